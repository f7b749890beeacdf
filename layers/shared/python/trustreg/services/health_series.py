"""The registry's own per-minute time series, written cheaply by every request."""

from __future__ import annotations

from trustreg.db.uow import unit_of_work


def record_request(function: str, status: int, elapsed_ms: float) -> None:
    """One upsert per series and minute: requests, errors and latency of an endpoint."""
    with unit_of_work() as uow:
        uow.health.record(f"req:{function}", elapsed_ms)
        if status >= 500:
            uow.health.record(f"err5:{function}")
        elif status >= 400:
            uow.health.record(f"err4:{function}")


def record_event(series: str, value: float = 1.0) -> None:
    """Count a domain event (ingest outcome, rating, download) in its minute bucket."""
    with unit_of_work() as uow:
        uow.health.record(series, value)
