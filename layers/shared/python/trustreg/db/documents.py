"""How JSON documents (details, ratings) and free text are written: values both databases take.

PostgreSQL's jsonb refuses the NUL character, lone UTF-16 surrogates, NaN and the infinities,
and its text columns refuse NUL; SQLite's JSON text stored all of them. They come from outside
(a card's YAML header, a config.json, a README, an upstream API, a check program's output), so
a model carrying one must not fail with a 500. They are written the same on both databases:
NUL and lone surrogates as U+FFFD, the replacement character; NaN and infinities as null; a
value or key JSON has no type for (a YAML date) as its ISO-8601 or string form; a document
that contains itself (a YAML alias) with null where it recurs.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """The text with NUL and lone surrogates replaced (a surrogate pair held as two code points
    becomes the one character it encodes)."""
    if not _UNSTORABLE.search(text):
        return text
    paired = text.replace("\x00", REPLACEMENT).encode("utf-16", "surrogatepass")
    return paired.decode("utf-16", "replace")


def _plain(value: Any) -> Any:
    # What json.dumps calls for a value it has no type for.
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, set | frozenset):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _key(key: Any) -> Any:
    if isinstance(key, str):
        return clean_text(key)
    if key is None or isinstance(key, bool | int):
        return key
    if isinstance(key, float):
        return key if math.isfinite(key) else None
    return clean_text(str(_plain(key)))


def clean(value: Any, _path: frozenset[int] = frozenset()) -> Any:
    """The document with every value both databases refuse replaced, in keys and values."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict | list | tuple):
        if id(value) in _path:  # the document contains itself here
            return None
        inner = _path | {id(value)}
        if isinstance(value, dict):
            return {_key(k): clean(v, inner) for k, v in value.items()}
        return [clean(v, inner) for v in value]
    if value is None or isinstance(value, bool | int):
        return value
    return clean(_plain(value), _path)


def dumps(value: Any) -> str:
    """The engine's JSON serializer: `json.dumps`, cleaned when the value needs it."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, default=_plain)
    except (ValueError, TypeError, RecursionError):  # NaN, a key JSON refuses, a cycle
        return json.dumps(clean(value), ensure_ascii=False)
    # Characters appear as themselves here (surrogates too), except NUL, which json escapes;
    # an escaped backslash before "u0000" is a false alarm that only costs the walk.
    if "\\u0000" in text or _SURROGATE.search(text):
        text = json.dumps(clean(value), ensure_ascii=False)
    return text


def needs_cleaning(document: Any) -> bool:
    """Whether writing this (decoded) document would change it: for rewriting old rows."""
    return bool(json.loads(dumps(document)) != document)
