"""Given archives whose headers lie, When validated, Then the lie is caught before extraction."""

from __future__ import annotations

import pytest

from tests.unit.packaging.zipkit import central_records, patch, write_zip
from trustreg.errors import BadRequest
from trustreg.packaging import validate_zip

_CENTRAL_COMPRESSED, _CENTRAL_SIZE, _CENTRAL_OFFSET = 20, 24, 42  # central-record fields
_LOCAL_SIZE = 22


def test_declared_size_smaller_than_contents_is_caught(tmp_path) -> None:
    # A 3 MB stream that claims to be 1000 bytes would pass every ratio check on paper.
    path = write_zip(tmp_path / "liar.zip", [("a.bin", bytes(3_000_000))])
    raw = bytearray(path.read_bytes())
    patch(raw, central_records(bytes(raw))[0] + _CENTRAL_SIZE, "I", 1000)
    patch(raw, _LOCAL_SIZE, "I", 1000)
    path.write_bytes(raw)
    with pytest.raises(BadRequest, match="'a.bin' is corrupt or does not match its declared size"):
        validate_zip(path)


def test_corrupted_data_fails_the_crc_check(tmp_path) -> None:
    path = write_zip(tmp_path / "bad.zip", [("a.txt", b"hello world" * 100)])
    raw = bytearray(path.read_bytes())
    data_start = 30 + len("a.txt")
    raw[data_start + 5] ^= 0xFF
    path.write_bytes(raw)
    with pytest.raises(BadRequest, match="'a.txt' is corrupt"):
        validate_zip(path)


def test_two_records_sharing_one_header_are_rejected(tmp_path) -> None:
    # Two directory records pointing at one local header: the core of a non-recursive bomb.
    path = write_zip(tmp_path / "overlap.zip", [("a.txt", b"a" * 100), ("b.txt", b"b" * 100)])
    raw = bytearray(path.read_bytes())
    patch(raw, central_records(bytes(raw))[1] + _CENTRAL_OFFSET, "I", 0)
    path.write_bytes(raw)
    with pytest.raises(BadRequest, match="overlaps another entry|different name"):
        validate_zip(path)


def test_local_header_name_must_match_directory(tmp_path) -> None:
    path = write_zip(tmp_path / "names.zip", [("a.txt", b"x")])
    raw = bytearray(path.read_bytes())
    raw[30:35] = b"z.txt"  # the local header now names a different file
    path.write_bytes(raw)
    with pytest.raises(BadRequest, match="'a.txt' has a different name in its local header"):
        validate_zip(path)


def test_entry_whose_data_runs_into_the_next_is_rejected(tmp_path) -> None:
    # Fifield-style bombs let each entry's compressed span cover the following entries' bytes.
    path = write_zip(tmp_path / "span.zip", [("a.txt", b"a" * 100), ("b.txt", b"b" * 100)])
    raw = bytearray(path.read_bytes())
    patch(raw, central_records(bytes(raw))[0] + _CENTRAL_COMPRESSED, "I", 200)
    path.write_bytes(raw)
    with pytest.raises(BadRequest, match="'a.txt' overlaps another entry or the directory"):
        validate_zip(path)
