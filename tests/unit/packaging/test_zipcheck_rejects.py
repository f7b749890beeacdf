"""Given a hostile or broken package, When validated, Then a precise 400/413 is raised."""

from __future__ import annotations

import stat
import zipfile
from dataclasses import replace

import pytest

from tests.unit.packaging.zipkit import central_records, patch, write_streamed
from trustreg.errors import BadRequest, PayloadTooLarge
from trustreg.packaging import ZipLimits, validate_zip


def _rejects(path, match: str, limits: ZipLimits = ZipLimits()) -> BadRequest:
    with pytest.raises(BadRequest, match=match) as caught:
        validate_zip(path, limits)
    assert caught.value.status == 400
    return caught.value


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../x", r"zip entry '\.\./x' escapes the package"),
        ("model/../../etc/passwd", "escapes the package"),
        ("/etc/passwd", "is an absolute path"),
        ("C:/Windows/evil.dll", "is an absolute path"),
        ("..\\evil.txt", "contains a backslash"),
        ("a/./b", "'.' path segment"),
        ("a//b", "empty or '.' path segment"),
        ("bad\x01name", "control characters"),
    ],
)
def test_path_tricks_are_rejected_by_name(make_zip, name: str, reason: str) -> None:
    error = _rejects(make_zip([("ok.txt", b"x"), (name, b"y")]), reason)
    assert error.details["entry"] == name


def test_symlink_entry_is_rejected(make_zip) -> None:
    link = zipfile.ZipInfo("repo/link")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    _rejects(make_zip([(link, b"/etc/passwd")]), "'repo/link' is a symbolic link")


def test_device_files_are_rejected(make_zip) -> None:
    fifo = zipfile.ZipInfo("pipe")
    fifo.external_attr = (stat.S_IFIFO | 0o644) << 16
    _rejects(make_zip([(fifo, b"")]), "not a regular file")


def test_duplicate_names_are_rejected(make_zip) -> None:
    _rejects(make_zip([("a.txt", b"1"), ("a.txt", b"2")]), "'a.txt' appears more than once")


def test_file_and_folder_with_one_name_are_rejected(make_zip) -> None:
    _rejects(make_zip([("a", b"1"), ("a/b", b"2")]), "'a' is both a file and a folder")


def test_too_many_entries_is_rejected(make_zip) -> None:
    path = make_zip({f"f{i}.txt": b"" for i in range(6)})
    _rejects(path, "6 entries; the limit is 5", replace(ZipLimits(), max_entries=5))


def test_total_uncompressed_size_cap(make_zip) -> None:
    path = make_zip({"a.txt": b"a" * 600, "b.txt": b"b" * 600})
    _rejects(path, "expands to more than 1000 bytes", replace(ZipLimits(), max_total_bytes=1000))


def test_archive_size_cap_is_413(make_zip) -> None:
    with pytest.raises(PayloadTooLarge, match="the limit is 100") as caught:
        validate_zip(
            make_zip({"a.bin": bytes(range(256))}), replace(ZipLimits(), max_archive_bytes=100)
        )
    assert caught.value.status == 413


def test_zip_bomb_by_ratio_is_rejected(tmp_path) -> None:
    # 32 MiB of zeros deflate to ~32 KB: a ~1000x ratio, generated in well under a second.
    path = write_streamed(tmp_path / "bomb.zip", "zeros.bin", (bytes(1 << 20) for _ in range(32)))
    assert path.stat().st_size < 100_000
    error = _rejects(path, "'zeros.bin' expands .*x .*looks like a zip bomb")
    assert error.details["ratio"] > 100


def test_encrypted_entry_is_rejected(make_zip) -> None:
    raw = bytearray(make_zip({"secret.bin": b"x" * 100}).read_bytes())
    patch(raw, central_records(bytes(raw))[0] + 8, "H", 0x1)
    forged = make_zip({}, name="enc.zip")
    forged.write_bytes(raw)
    _rejects(forged, "'secret.bin' is encrypted")


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04" + bytes(40)])
def test_not_a_zip_is_rejected(tmp_path, content: bytes) -> None:
    path = tmp_path / "junk.zip"
    path.write_bytes(content)
    _rejects(path, "not a valid zip file")
