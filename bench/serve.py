"""The bench's own server launcher: the real local server, with optional benchmark-only patches.

BENCH_NO_AUDIT=1 turns token-use counting and download-history recording into no-ops inside this
process only, so the download benchmark can show what auditing costs. Production code has no
such switch.
"""

from __future__ import annotations

import os
from typing import Any


def _no_audit() -> None:
    from trustreg.db.repositories.artifacts import ArtifactRepository
    from trustreg.db.repositories.tokens import TokenRepository

    def consume(self: Any, jti: str) -> bool:
        return True

    def record_download(self: Any, **fields: Any) -> None:
        return None

    TokenRepository.consume = consume  # type: ignore[method-assign]
    ArtifactRepository.record_download = record_download  # type: ignore[method-assign]


def main() -> None:
    """Apply the requested patches, then run `trustreg.local.server.main()`."""
    if os.environ.get("BENCH_NO_AUDIT") == "1":
        _no_audit()
    from trustreg.local import server

    server.main()


if __name__ == "__main__":
    main()
