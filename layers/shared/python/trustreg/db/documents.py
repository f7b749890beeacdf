"""How JSON documents (details, ratings) and free text are written: values both databases take.

PostgreSQL's jsonb refuses the NUL character, lone UTF-16 surrogates, NaN and the infinities,
and its text columns refuse NUL; SQLite's JSON text stored all of them. They come from outside
(a card's YAML header, a config.json, a README, an upstream API, a check program's output), so
a model carrying one must not fail with a 500. They are written the same on both databases:
NUL and lone surrogates as U+FFFD, the replacement character; NaN and infinities as null; and a
value JSON has no type for (a YAML date) as its ISO-8601 or string form.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from typing import Any

REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# In serialized JSON (json.dumps writes ASCII) these characters are escapes: NUL, a high
# surrogate without its low half, a low one without its high half. Valid pairs (emoji) pass. A
# false alarm (an escaped backslash before "u0000") only costs a walk that changes nothing.
_HIGH = r"\\u[dD][89abAB][0-9a-fA-F]{2}"
_LOW = r"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
UNSTORABLE_ESCAPE = re.compile(rf"\\u0000|{_HIGH}(?!{_LOW})|(?<!{_HIGH}){_LOW}")


def clean_text(text: str) -> str:
    """The text with NUL and lone surrogates replaced (a surrogate pair held as two code points
    becomes the one character it encodes)."""
    if not _UNSTORABLE.search(text):
        return text
    paired = text.replace("\x00", REPLACEMENT).encode("utf-16", "surrogatepass")
    return paired.decode("utf-16", "replace")


def clean(value: Any) -> Any:
    """The document with every unstorable value replaced, in keys and values alike."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {clean_text(k) if isinstance(k, str) else k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    # json.dumps calls this for values it has no type for.
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def dumps(value: Any) -> str:
    """The engine's JSON serializer: `json.dumps`, cleaned when the text shows a need."""
    try:
        text = json.dumps(value, allow_nan=False, default=_plain)
    except ValueError:  # NaN or an infinity somewhere
        return json.dumps(clean(value), default=_plain)
    if UNSTORABLE_ESCAPE.search(text):
        text = json.dumps(clean(value), default=_plain)
    return text
