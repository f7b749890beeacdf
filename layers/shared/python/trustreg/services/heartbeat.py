"""The cheap liveness answer of GET /health: no database, no AWS calls."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from trustreg import __version__

_STARTED = time.monotonic()


def heartbeat() -> dict[str, object]:
    """Status, time, uptime of this process, and version."""
    return {
        "status": "ok",
        "checked_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "uptime_seconds": int(time.monotonic() - _STARTED),
        "version": __version__,
    }
