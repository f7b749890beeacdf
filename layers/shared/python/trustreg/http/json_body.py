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

# Datetimes and dataclasses go back to `json.dumps`, which refuses them: a date must reach a
# body as the contract's `...Z` text (`timefmt.iso_utc`), and a stray one should fail as it
# did, not leave as orjson's `+00:00` form.
_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


def body_text(value: Any) -> str:
    """`value` as JSON text, parsing to what `json.dumps` wrote.

    What orjson refuses and `json.dumps` writes (an integer beyond 64 bits from a package's
    config.json, a lone surrogate) goes the old way, so nothing that was written before fails
    now. The text itself differs: compact, non-ASCII as UTF-8 rather than escapes, and NaN
    or an infinity as `null` where `json.dumps` wrote tokens JSON does not have. orjson also
    writes a UUID, a plain Enum and date keys, which `json.dumps` refused; no answer holds one.
    """
    try:
        return orjson.dumps(value, option=_OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(value)
