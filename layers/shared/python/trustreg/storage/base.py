"""The blob-store port: what the services need from S3 or a local folder."""

from __future__ import annotations

import re
from typing import BinaryIO, Protocol

from trustreg.errors import BadRequest

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/]{0,500}$")


def check_key(key: str) -> str:
    """Refuse keys that could escape the store's root (`..`, absolute, odd characters)."""
    if not _KEY.match(key) or ".." in key.split("/") or "//" in key:
        raise BadRequest("invalid storage key")
    return key


class BlobStore(Protocol):
    """Store and serve package bytes."""

    def put_file(self, key: str, path: str, content_type: str = "application/zip") -> None:
        """Upload a local file under `key`."""

    def get_to_file(self, key: str, fileobj: BinaryIO) -> None:
        """Copy the blob's bytes into an open file."""

    def delete(self, key: str) -> None:
        """Remove a blob (missing is fine)."""

    def exists(self, key: str) -> bool:
        """True when the blob is stored."""

    def size(self, key: str) -> int:
        """The blob's size in bytes."""

    def download_url(self, key: str, ttl_s: int, filename: str) -> str:
        """A short-lived URL that serves the blob's bytes."""

    def upload_url(self, key: str, ttl_s: int) -> str:
        """A short-lived URL a client may PUT the blob's bytes to."""

    def delete_prefix(self, prefix: str) -> int:
        """Remove every blob under a prefix; returns how many."""

    def stats(self) -> tuple[int, int]:
        """(object count, total bytes), for health checks."""
