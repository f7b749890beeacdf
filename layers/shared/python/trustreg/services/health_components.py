"""GET /health/components: real checks of the API, database, blob store, rating and sources."""

from __future__ import annotations

from typing import Any

from trustreg.db.models import utcnow
from trustreg.db.uow import unit_of_work
from trustreg.errors import BadRequest
from trustreg.observability import logger
from trustreg.services.health_checks import api, blob_store, database, rating, upstream
from trustreg.services.health_checks.logs import log_refs
from trustreg.services.health_checks.report import Component, iso
from trustreg.services.health_checks.window import DEFAULT_WINDOW, MAX_WINDOW, MIN_WINDOW, Window

DESCRIPTIONS = {
    "api": ("API", "Request, error and latency rates of every endpoint."),
    "database": ("Database", "PostgreSQL (SQLite locally): reachability and query latency."),
    "blob-store": ("Blob store", "S3 (a local folder locally): package bytes, ingests, downloads."),
    "rating-pipeline": ("Rating pipeline", "Trust ratings computed at ingest and on request."),
    "upstream-sources": ("Upstream sources", "HuggingFace and GitHub, as our clients see them."),
}


def parse_window(raw: str | None) -> int:
    """windowMinutes: an integer in 5..1440, default 60; BadRequest otherwise."""
    if raw is None or raw == "":
        return DEFAULT_WINDOW
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 5:
        raise BadRequest("windowMinutes must be an integer between 5 and 1440")
    value = int(text)
    if not MIN_WINDOW <= value <= MAX_WINDOW:
        raise BadRequest("windowMinutes must be an integer between 5 and 1440")
    return value


def _series_checks(comps: dict[str, Component], window: Window) -> None:
    """The checks that read our own series, in one transaction; unknown if it cannot be read."""
    from trustreg.services.health_series import flush

    flush()  # this process's buffered request counts belong in the report
    try:
        with unit_of_work() as uow:
            api.check(comps["api"], uow.health, window)
            blob_store.add_activity(comps["blob-store"], uow.health, window)
            rating.check(comps["rating-pipeline"], uow.health, window)
            upstream.check(comps["upstream-sources"], uow.health, window)
    except Exception as exc:
        logger.error("health check: series unreadable", exc_info=True)
        for cid in ("api", "rating-pipeline", "upstream-sources"):
            comp = comps[cid]
            comp.status, comp.issues, comp.timeline, comp.metrics = "ok", [], [], {}
            comp.flag(
                "unknown",
                "METRICS_UNAVAILABLE",
                "warning",
                "The health series could not be read.",
                type(exc).__name__,
            )
        comps["blob-store"].timeline = []


def component_collection(window_minutes: int, include_timeline: bool) -> dict[str, Any]:
    """The contract's HealthComponentCollection; a failing dependency is `critical`, never a 500."""
    now = utcnow()
    window = Window(now, window_minutes, include_timeline)
    comps = {
        cid: Component(cid, name, text, now, logs=log_refs(cid))
        for cid, (name, text) in DESCRIPTIONS.items()
    }
    db_ok = database.check(comps["database"])
    blob_store.check(comps["blob-store"])
    if db_ok:
        _series_checks(comps, window)
    else:
        for cid in ("api", "rating-pipeline", "upstream-sources"):
            comps[cid].flag(
                "unknown",
                "METRICS_UNAVAILABLE",
                "warning",
                "The database holding the health series is unreachable.",
            )
    return {
        "components": [c.to_json(include_timeline) for c in comps.values()],
        "generated_at": iso(now),
        "window_minutes": window_minutes,
    }
