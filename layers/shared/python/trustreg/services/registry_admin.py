"""Registry-wide actions: reset to the default state, and the tracks we implement."""

from __future__ import annotations

BLOB_PREFIX = "artifacts/"
# Only tracks whose features work end to end are named (checked by a test).
TRACKS = [
    "Access control track",  # users, permissions, 1000-call/10-hour tokens, admin-only reset
    "Other Security track",  # sensitive-model checks, download history, confusion audit
    "High assurance track",  # threat model with tests, schemathesis, coverage and error gates
]


def reset() -> None:
    """Empty artifacts, ratings, lineage, history, blobs and every user but the default admin.

    Rows go first, then blobs: an interrupted reset leaves unreachable blobs at worst, never
    rows pointing at missing blobs. The default admin keeps its tokens (clients go on with
    the token that called reset) and gets its configured password back.
    """
    # Imported here so GET /tracks (which shares this module) loads no SQLAlchemy or bcrypt.
    from trustreg.config import get_settings
    from trustreg.db.seed import ensure_default_admin
    from trustreg.db.uow import unit_of_work
    from trustreg.storage import get_blob_store

    settings = get_settings()
    with unit_of_work() as uow:
        uow.events.delete_all()
        uow.scores.delete_all()
        uow.artifacts.delete_all()
        uow.users.delete_all_except(settings.admin_name)
    get_blob_store().delete_prefix(BLOB_PREFIX)
    get_blob_store().delete_prefix("uploads/")
    ensure_default_admin(reset_password=True)


def planned_tracks() -> list[str]:
    """The contract's track names this registry implements."""
    return list(TRACKS)
