"""The registry's own per-minute time series, written cheaply by every request."""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta

from trustreg.db.uow import unit_of_work
from trustreg.observability import logger

# Pruning is a DELETE over an indexed range; once per interval per process (per Lambda
# container) keeps the table bounded without adding a second statement to every request.
PRUNE_INTERVAL_S = 600.0
DEFAULT_RETENTION_HOURS = 48
_prune_lock = threading.Lock()
_last_prune = float("-inf")


def retention() -> timedelta:
    """How long buckets are kept: HEALTH_RETENTION_HOURS (default 48, at least 1)."""
    raw = os.environ.get("HEALTH_RETENTION_HOURS", "")
    try:
        hours = int(raw) if raw.strip() else DEFAULT_RETENTION_HOURS
    except ValueError:
        hours = DEFAULT_RETENTION_HOURS
    return timedelta(hours=max(1, hours))


def record_request(function: str, status: int, elapsed_ms: float) -> None:
    """One upsert per series and minute: requests, errors and latency of an endpoint."""
    with unit_of_work() as uow:
        uow.health.record(f"req:{function}", elapsed_ms)
        if status >= 500:
            uow.health.record(f"err5:{function}")
        elif status >= 400:
            uow.health.record(f"err4:{function}")
    maybe_prune()


def record_event(series: str, value: float = 1.0) -> None:
    """Count a domain event (ingest outcome, rating, download) in its minute bucket."""
    with unit_of_work() as uow:
        uow.health.record(series, value)


def maybe_prune(now: float | None = None) -> bool:
    """Delete buckets older than the retention, at most once per PRUNE_INTERVAL_S; True if run."""
    global _last_prune
    moment = time.monotonic() if now is None else now
    with _prune_lock:
        if moment - _last_prune < PRUNE_INTERVAL_S:
            return False
        _last_prune = moment
    try:
        with unit_of_work() as uow:
            uow.health.prune(retention())
    except Exception:  # a missed prune only delays the next one; never fail the request
        logger.warning("could not prune health buckets", exc_info=True)
    return True
