"""How JSON documents (details, ratings) are written: text both databases will take back.

PostgreSQL's jsonb refuses the NUL character and lone UTF-16 surrogates, which SQLite's JSON
text and PostgreSQL's old `json` stored. Both come from outside (a card's YAML, a config.json, an
upstream API), so a model carrying one must not fail its upload with a 500: such characters are
written as U+FFFD, the replacement character, on both databases alike.
"""

from __future__ import annotations

import json
import re
from typing import Any

REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# In serialized JSON these characters appear as escapes (json.dumps writes ASCII): a cheap test
# before walking the document. A false alarm (an escaped backslash before "u0000") only costs
# the walk, which changes nothing then.
_UNSTORABLE_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


def _clean_text(text: str) -> str:
    if not _UNSTORABLE.search(text):
        return text
    # A surrogate pair that Python holds as two code points becomes the one character it
    # encodes; a lone surrogate becomes U+FFFD.
    paired = text.replace("\x00", REPLACEMENT).encode("utf-16", "surrogatepass")
    return paired.decode("utf-16", "replace")


def clean(value: Any) -> Any:
    """The document with every unstorable character replaced, in keys and values alike."""
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, dict):
        return {_clean_text(str(k)): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def dumps(value: Any) -> str:
    """The engine's JSON serializer: `json.dumps`, cleaned when the text shows a need."""
    text = json.dumps(value)
    if _UNSTORABLE_ESCAPE.search(text):
        text = json.dumps(clean(value))
    return text
