"""The JSON writer of routes that answer with database rows: orjson, with a safe way back.

orjson writes a 20 KB audit page in ~7 us where `json.dumps` took ~105 us (docs/performance.md,
fix 18). It costs ~2.4 ms to import after Powertools, so only routes that use the database
load it (their cold start already holds SQLAlchemy); `/health` and the other light routes keep
`json.dumps`, which is quick for their small bodies.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def body_text(value: Any) -> str:
    """`value` as JSON text. What orjson refuses and `json.dumps` writes (an integer beyond 64
    bits from a package's config.json, a lone surrogate) goes the old way, so nothing that was
    written before fails now."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(value)
