"""Streaming helpers: hash files and count/hash bytes as they are written, in bounded chunks."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


def sha256_file(path: str | Path, chunk_bytes: int = CHUNK) -> str:
    """Return the hex SHA-256 of a file, reading it in fixed-size chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk_bytes):
            digest.update(block)
    return digest.hexdigest()


class HashingWriter:
    """A write-only stream that hashes and counts everything passed on to `target`.

    It deliberately has no `seek`: zipfile then writes data descriptors instead of seeking back
    to patch headers, so the hash covers exactly the bytes the target received, in order.
    """

    def __init__(self, target: BinaryIO) -> None:
        self._target = target
        self._digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        """Forward `data` to the target, hashing and counting it."""
        self._target.write(data)
        self._digest.update(data)
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        """Bytes written so far (zipfile records entry offsets from this)."""
        return self.size

    def flush(self) -> None:
        """Flush the target."""
        self._target.flush()

    def close(self) -> None:
        """Leave the target open: whoever passed it in owns it (zipfile never calls this)."""

    def hexdigest(self) -> str:
        """Hex SHA-256 of everything written so far."""
        return self._digest.hexdigest()
