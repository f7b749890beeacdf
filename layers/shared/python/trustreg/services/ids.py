"""Checks of the ids and types that arrive in paths."""

from __future__ import annotations

import re

from trustreg.db.models import ARTIFACT_TYPES  # one list, next to the schema's check
from trustreg.errors import BadRequest

_ID = re.compile(r"^[a-zA-Z0-9-]{1,64}$")


def check_type(artifact_type: str) -> str:
    """A known artifact type, else 400."""
    if artifact_type not in ARTIFACT_TYPES:
        raise BadRequest(f"artifact type must be one of {', '.join(ARTIFACT_TYPES)}")
    return artifact_type


def check_id(artifact_id: str) -> str:
    """An id of the contract's pattern `^[a-zA-Z0-9-]+$`, else 400."""
    if not _ID.match(artifact_id):
        raise BadRequest("artifact id must match ^[a-zA-Z0-9-]+$ (at most 64 characters)")
    return artifact_id
