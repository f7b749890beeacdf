"""Given a 20 MB entry, When validated and re-packed, Then memory stays far below its size."""

from __future__ import annotations

import os
import tracemalloc

import pytest

from tests.unit.packaging.zipkit import write_streamed
from trustreg.packaging import validate_zip, write_part

ENTRY_BYTES = 20 * 1024 * 1024


@pytest.fixture(scope="module")
def big_zip(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.zip"
    # Random bytes, so the ratio check does not fire; written in 1 MiB chunks.
    chunks = (os.urandom(1024 * 1024) for _ in range(ENTRY_BYTES // (1024 * 1024)))
    return write_streamed(path, "repo/model.safetensors", chunks)


def _peak(action) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_validation_streams_the_entry(big_zip) -> None:
    assert _peak(lambda: validate_zip(big_zip)) < ENTRY_BYTES // 4


def test_write_part_streams_the_entry(big_zip, tmp_path) -> None:
    dest = tmp_path / "weights.zip"

    def copy() -> None:
        with dest.open("wb") as handle:
            write_part(big_zip, "weights", handle)

    assert _peak(copy) < ENTRY_BYTES // 4
    assert dest.stat().st_size > ENTRY_BYTES
