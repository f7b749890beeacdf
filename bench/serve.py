"""The bench's own server launcher: the real local server, with optional benchmark-only patches.

BENCH_NO_AUDIT=1 turns token-use counting, download-history rows and audit-trail entries into
no-ops inside this process only (the caller's role is still read), so the download benchmark can
show what auditing costs. Production code has no such switch.
"""

from __future__ import annotations

import os
from typing import Any


def _no_audit() -> None:
    from sqlalchemy import select

    from trustreg.db.models import AuthToken
    from trustreg.db.repositories.artifacts import ArtifactRepository
    from trustreg.db.repositories.events import EventRepository
    from trustreg.db.repositories.tokens import TokenRepository

    def spend(self: Any, jti: str, user_id: int) -> Any:
        # Still reads the caller's role (every request must be authorized); counts nothing.
        stmt = select(AuthToken.is_admin, AuthToken.permissions).where(AuthToken.jti == jti)
        row = self._s.execute(stmt).first()
        return None if row is None else (bool(row[0]), frozenset(filter(None, row[1].split(","))))

    def record_download(self: Any, **fields: Any) -> None:
        return None

    def add_event(self: Any, *args: Any, **kwargs: Any) -> None:
        return None

    for cls, name, fn in (
        (TokenRepository, "spend", spend),
        (ArtifactRepository, "record_download", record_download),
        (EventRepository, "add", add_event),
    ):
        if not callable(getattr(cls, name, None)):  # a rename must not silently void the baseline
            raise RuntimeError(f"BENCH_NO_AUDIT: {cls.__name__}.{name} no longer exists")
        setattr(cls, name, fn)


def main() -> None:
    """Apply the requested patches, then run `trustreg.local.server.main()`."""
    if os.environ.get("BENCH_NO_AUDIT") == "1":
        _no_audit()
    from trustreg.local import server

    server.main()


if __name__ == "__main__":
    main()
