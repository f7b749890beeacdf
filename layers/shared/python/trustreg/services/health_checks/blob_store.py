"""The `blob-store` component: reachable, object count and bytes, and ingest/download activity."""

from __future__ import annotations

import time

from trustreg import storage
from trustreg.db.repositories.health import HealthRepository
from trustreg.observability import logger
from trustreg.services.health_checks.report import Component
from trustreg.services.health_checks.window import Window, sum_counts, timeline

STATS_DEGRADED_MS = 2000.0


def check(component: Component) -> None:
    """List the store (bounded by the store's `stats()`) and fill the component."""
    started = time.perf_counter()
    try:
        store = storage.get_blob_store()
        objects, size = store.stats()
    except Exception as exc:
        logger.error("health check: blob store unreachable", exc_info=True)
        component.metrics.update(reachable=False)
        component.flag(
            "critical",
            "BLOB_STORE_UNREACHABLE",
            "error",
            "The blob store could not be listed.",
            f"{type(exc).__name__}; check the bucket policy and the function's grant.",
        )
        return
    elapsed = (time.perf_counter() - started) * 1000
    component.metrics.update(
        reachable=True,
        backend=type(store).__name__,
        objects=objects,
        bytes=size,
        list_ms=round(elapsed, 2),
    )
    if elapsed > STATS_DEGRADED_MS:
        component.flag(
            "degraded", "BLOB_STORE_SLOW", "warning", f"Listing the store took {elapsed:.0f} ms."
        )


def add_activity(component: Component, repo: HealthRepository, window: Window) -> None:
    """Ingests and downloads in the window: the traffic that fills and reads the store."""
    ingests = repo.totals("ingest:", window.since)
    component.metrics.update(
        ingests_accepted=sum_counts({k: v for k, v in ingests.items() if k == "ingest:accepted"}),
        ingests_refused=sum_counts({k: v for k, v in ingests.items() if k == "ingest:refused"}),
        ingests_failed=sum_counts({k: v for k, v in ingests.items() if k == "ingest:failed"}),
        downloads=sum_counts(repo.totals("download:", window.since)),
    )
    component.timeline = [
        *timeline(repo, window, "ingest:accepted", "ingests", "count"),
        *timeline(repo, window, "download:", "downloads", "count"),
    ]
