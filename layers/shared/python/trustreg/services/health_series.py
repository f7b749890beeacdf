"""The registry's own per-minute time series, written cheaply by every request."""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime, timedelta

from trustreg.db.models import utcnow
from trustreg.db.repositories.health import bucket_of
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


# Request series are buffered per process and merged in one transaction at most once per
# FLUSH_INTERVAL_S (or every FLUSH_EVERY observations), instead of a write per request. A
# container that dies loses at most that much; CloudWatch EMF stays the complete record.
FLUSH_INTERVAL_S = float(os.environ.get("HEALTH_FLUSH_SECONDS", "2"))
FLUSH_EVERY = 200
_buffer: dict[tuple[str, datetime], list[float]] = {}
_buffer_lock = threading.Lock()
_last_flush = time.monotonic()
_pending = 0


def _add(series: str, bucket: datetime, value: float) -> None:
    cell = _buffer.setdefault((series, bucket), [0, 0.0, value])
    cell[0] += 1
    cell[1] += value
    cell[2] = max(cell[2], value)


def record_request(function: str, status: int, elapsed_ms: float) -> None:
    """Count a request (and its error class and latency) in this minute's buckets."""
    global _pending
    bucket = bucket_of(utcnow())
    with _buffer_lock:
        _add(f"req:{function}", bucket, elapsed_ms)
        if status >= 500:
            _add(f"err5:{function}", bucket, 1.0)
        elif status >= 400:
            _add(f"err4:{function}", bucket, 1.0)
        _pending += 1
        due = _pending >= FLUSH_EVERY or time.monotonic() - _last_flush >= FLUSH_INTERVAL_S
    if due:
        flush()
    maybe_prune()


def flush() -> None:
    """Write the buffered request series now (health views call this before reading)."""
    global _pending, _last_flush
    with _buffer_lock:
        items = list(_buffer.items())
        _buffer.clear()
        _pending = 0
        _last_flush = time.monotonic()
    if not items:
        return
    try:
        with unit_of_work() as uow:
            cells = [(s, b, int(count), total, high) for (s, b), (count, total, high) in items]
            uow.health.add_many(sorted(cells))
    except Exception:  # health bookkeeping never fails a request; the counts are re-queued
        with _buffer_lock:
            if len(_buffer) > 10_000:  # a long outage: keep memory bounded, drop the oldest
                return
            for (series, bucket), (count, total, maximum) in items:
                cell = _buffer.setdefault((series, bucket), [0, 0.0, maximum])
                cell[0] += count
                cell[1] += total
                cell[2] = max(cell[2], maximum)
        logger.warning("could not write health buckets", exc_info=True)


def record_event(series: str, value: float = 1.0) -> None:
    """Count a domain event (ingest outcome, rating, download) in its minute bucket."""
    record_events([(series, value)])


def record_events(observations: list[tuple[str, float]]) -> None:
    """Count several domain events in one transaction; health bookkeeping never fails a caller."""
    try:
        with unit_of_work() as uow:
            for series, value in observations:
                uow.health.record(series, value)
    except Exception:
        logger.warning("could not record health events", exc_info=True)


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
