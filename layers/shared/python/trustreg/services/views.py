"""The contract's shapes of artifacts, built from rows in one place."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # views know rows by shape only; importing the statements loads SQLAlchemy
    from trustreg.db.repositories.artifact_statements import Listed


class Named(Protocol):
    """An artifact row or a listing row: anything with the three metadata fields."""

    @property
    def name(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...


class Linked(Named, Protocol):
    """A row that also knows where the artifact came from."""

    @property
    def source_url(self) -> str | None: ...


def metadata(a: Named) -> dict[str, str]:
    """`ArtifactMetadata`: name, id, type."""
    return {"name": a.name, "id": a.id, "type": a.type}


def listed_metadata(rows: Iterable[Listed]) -> list[dict[str, str]]:
    """`ArtifactMetadata` of many listing rows, read by position: a SQLAlchemy Row's field read
    by name costs ~0.3 us, ~90 us of a page of 100 (docs/performance.md, fix 18)."""
    return [{"name": name, "id": aid, "type": atype} for _seq, aid, name, atype, _version in rows]


def download_url(a: Named, base_url: str) -> str:
    """Our own download endpoint for the artifact (it checks permission and records history)."""
    return f"{base_url}/artifacts/{a.type}/{a.id}/download"


def envelope(a: Linked, base_url: str) -> dict[str, Any]:
    """`Artifact`: metadata plus data.url (the source) and data.download_url."""
    dl = download_url(a, base_url)
    return {"metadata": metadata(a), "data": {"url": a.source_url or dl, "download_url": dl}}
