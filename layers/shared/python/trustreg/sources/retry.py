"""Retry timing for upstream calls: which answers are worth retrying and how long to wait."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

# 429 and the 5xx a busy or restarting upstream gives; 501/505 will not get better on retry.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 4.0


def backoff_delay(attempt: int) -> float:
    """Exponential backoff before retry number `attempt` (1-based): 0.5s, 1s, 2s, capped."""
    return float(min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** (attempt - 1)))


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or HTTP-date), None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))
