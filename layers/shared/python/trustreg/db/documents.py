"""How JSON documents (details, ratings) are written: text both databases take back.

PostgreSQL's jsonb refuses NUL, lone UTF-16 surrogates, NaN and the infinities, which SQLite's
JSON text and PostgreSQL's old `json` stored; values come from outside, so they are made plain
(`trustreg.plain_json`) on both databases alike rather than failing a write with a 500.
"""

from __future__ import annotations

import json
import re
from typing import Any

from trustreg.plain_json import json_ready, plain

_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(value: Any) -> str:
    """The engine's JSON serializer: `json.dumps`, made plain when the value needs it."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, default=plain)
    except (ValueError, TypeError, RecursionError):  # NaN, a huge int, a key JSON refuses, a cycle
        return json.dumps(json_ready(value), ensure_ascii=False)
    # Characters appear as themselves here (surrogates too), except NUL, which json escapes;
    # an escaped backslash before "u0000" is a false alarm that only costs the walk.
    if "\\u0000" in text or _SURROGATE.search(text):
        text = json.dumps(json_ready(value), ensure_ascii=False)
    return text


def needs_cleaning(document: Any) -> bool:
    """Whether writing this (decoded) document would change it: for rewriting old rows."""
    return bool(json.loads(dumps(document)) != document)
