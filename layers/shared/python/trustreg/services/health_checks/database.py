"""The `database` component: reachable, latency of a trivial query, connections (PostgreSQL)."""

from __future__ import annotations

import time

from trustreg.db.uow import unit_of_work
from trustreg.observability import logger
from trustreg.services.health_checks.report import Component

PING_DEGRADED_MS = 500.0
CONNECTIONS_DEGRADED_SHARE = 0.8


def check(component: Component) -> bool:
    """Ping the database and fill the component; True when it answered."""
    started = time.perf_counter()
    try:
        with unit_of_work() as uow:
            uow.health.ping()
            ping_ms = (time.perf_counter() - started) * 1000
            connections = uow.health.connection_count()
            limit = uow.health.max_connections()
            dialect = uow.health.dialect()
    except Exception as exc:
        # The full error (host, port) goes to the log only: this endpoint is public.
        logger.error("health check: database unreachable", exc_info=True)
        component.metrics.update(reachable=False)
        component.flag(
            "critical",
            "DB_UNREACHABLE",
            "error",
            "The database did not answer.",
            f"{type(exc).__name__}; see the health_components function log.",
        )
        return False
    m = component.metrics
    m.update(reachable=True, ping_ms=round(ping_ms, 2), dialect=dialect)
    if connections is not None:
        m["connections"] = connections
    if limit:
        m["max_connections"] = limit
    if ping_ms > PING_DEGRADED_MS:
        component.flag(
            "degraded",
            "DB_SLOW",
            "warning",
            f"A trivial query took {ping_ms:.0f} ms.",
            "Check the database's CPU and the RDS Proxy's borrow latency.",
        )
    if connections is not None and limit and connections / limit > CONNECTIONS_DEGRADED_SHARE:
        component.flag(
            "degraded",
            "DB_CONNECTIONS_HIGH",
            "warning",
            f"{connections} of {limit} connections are open.",
            "Lambdas may be holding connections; check the proxy's pinning metrics.",
        )
    return True
