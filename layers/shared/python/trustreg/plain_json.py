"""Values as JSON, and both databases, can hold them.

What the registry reads from outside (a card's YAML header, a config.json, a README, an upstream
API) may hold what JSON has no type for (a YAML date, a set, bytes), what JSON refuses (NaN, the
infinities, an integer too long to write out) or what PostgreSQL refuses (NUL, lone UTF-16
surrogates). Such a package must not fail with a 500, so these values are made plain where
they are read and again where they are written: NUL and lone surrogates become U+FFFD, the
replacement character; NaN, infinities and integers of thousands of digits become null; dates
become ISO-8601 strings and other values their string form; a part that contains itself
becomes null where it recurs.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_MAX_INT_BITS = 4000  # ~1,200 digits: Python refuses to write out ints above 4,300 digits


def clean_text(text: str) -> str:
    """The text with NUL and lone surrogates replaced (a surrogate pair held as two code points
    becomes the one character it encodes)."""
    if not _UNSTORABLE.search(text):
        return text
    paired = text.replace("\x00", REPLACEMENT).encode("utf-16", "surrogatepass")
    return paired.decode("utf-16", "replace")


def plain(value: Any) -> Any:
    """A JSON-typed stand-in for a value JSON has no type for (what json.dumps's default does)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _key(key: Any) -> Any:
    # json.dumps writes None, booleans and numbers as keys itself; anything else (a YAML date,
    # a tuple from a complex key) becomes its string form.
    if key is None or isinstance(key, str | bool | int | float):
        return json_ready(key)
    return clean_text(str(plain(key)))


def json_ready(value: Any, _path: frozenset[int] = frozenset()) -> Any:
    """The value with everything JSON or the databases refuse made plain, keys included."""
    if isinstance(value, str):
        return clean_text(value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if value.bit_length() <= _MAX_INT_BITS else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict | list | tuple):
        if id(value) in _path:  # the value contains itself here
            return None
        inner = _path | {id(value)}
        if isinstance(value, dict):
            return {_key(k): json_ready(v, inner) for k, v in value.items()}
        return [json_ready(v, inner) for v in value]
    return json_ready(plain(value), _path)
