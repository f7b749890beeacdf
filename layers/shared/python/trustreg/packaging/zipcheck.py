"""Validate an uploaded model package before it becomes visible (zip bombs, path tricks...)."""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from pathlib import Path

from trustreg.errors import BadRequest, PayloadTooLarge
from trustreg.packaging.layout import check_layout
from trustreg.packaging.limits import ZipLimits
from trustreg.packaging.names import check_entry_name, check_unique
from trustreg.packaging.summary import ZipEntry, ZipSummary, common_prefix

_ENCRYPTED = 0x01 | 0x40  # traditional PKWARE encryption, strong encryption
_ALLOWED_TYPES = (0, stat.S_IFREG, stat.S_IFDIR)  # 0: created on a system without unix modes


def validate_zip(path: str | Path, limits: ZipLimits = ZipLimits()) -> ZipSummary:
    """Check an uploaded package against `limits`; raise BadRequest/PayloadTooLarge or summarise."""
    archive_size = os.path.getsize(path)
    if archive_size > limits.max_archive_bytes:
        raise PayloadTooLarge(
            f"package is {archive_size} bytes; the limit is {limits.max_archive_bytes}",
            details={"size": archive_size, "limit": limits.max_archive_bytes},
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_entries(infos, limits)
            check_layout(path, infos, getattr(archive, "start_dir", archive_size))
            if limits.verify_contents:
                for info in infos:
                    if not info.is_dir():
                        _read_fully(archive, info, limits.chunk_bytes)
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:  # zipfile's ways of saying "broken"
        raise BadRequest(f"package is not a valid zip file: {exc}") from exc
    except NotImplementedError as exc:  # e.g. an unsupported compression method
        raise BadRequest(f"package uses an unsupported zip feature: {exc}") from exc
    files = [info for info in infos if not info.is_dir()]
    entries = tuple(ZipEntry(i.filename, i.file_size, i.compress_size) for i in files)
    return ZipSummary(
        entries=entries,
        total_size=sum(e.size for e in entries),
        prefix=common_prefix([e.name for e in entries]),
    )


def _check_entries(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    """Apply the per-entry rules that need only the central directory."""
    if len(infos) > limits.max_entries:
        raise BadRequest(
            f"package has {len(infos)} entries; the limit is {limits.max_entries}",
            details={"entries": len(infos), "limit": limits.max_entries},
        )
    total = 0
    for info in infos:
        name = info.filename
        check_entry_name(name, limits.max_name_bytes)
        if info.flag_bits & _ENCRYPTED:
            raise BadRequest(f"zip entry {name!r} is encrypted", details={"entry": name})
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise BadRequest(f"zip entry {name!r} is a symbolic link", details={"entry": name})
        if stat.S_IFMT(mode) not in _ALLOWED_TYPES:
            raise BadRequest(f"zip entry {name!r} is not a regular file", details={"entry": name})
        _check_ratio(info, limits)
        total += info.file_size
        if total > limits.max_total_bytes:
            raise BadRequest(
                f"package expands to more than {limits.max_total_bytes} bytes",
                details={"limit": limits.max_total_bytes},
            )
    check_unique([info.filename for info in infos])


def _check_ratio(info: zipfile.ZipInfo, limits: ZipLimits) -> None:
    """Reject an entry whose declared expansion is typical of a zip bomb."""
    if info.file_size < limits.ratio_floor_bytes:
        return
    ratio = info.file_size / max(info.compress_size, 1)
    if ratio > limits.max_ratio:
        raise BadRequest(
            f"zip entry {info.filename!r} expands {ratio:.0f}x "
            f"(limit {limits.max_ratio:.0f}x); it looks like a zip bomb",
            details={"entry": info.filename, "ratio": round(ratio), "limit": limits.max_ratio},
        )


def _read_fully(archive: zipfile.ZipFile, info: zipfile.ZipInfo, chunk_bytes: int) -> None:
    """Decompress one entry in bounded chunks; its real size must equal the declared size."""
    seen = 0
    try:
        # zipfile stops at the declared size and then checks the CRC, so a stream that is
        # longer than declared fails the CRC instead of expanding without bound.
        with archive.open(info) as stream:
            while block := stream.read(chunk_bytes):
                seen += len(block)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise BadRequest(
            f"zip entry {info.filename!r} is corrupt or does not match its declared size",
            details={"entry": info.filename, "reason": str(exc)},
        ) from exc
    if seen != info.file_size:
        raise BadRequest(
            f"zip entry {info.filename!r} holds {seen} bytes but declares {info.file_size}",
            details={"entry": info.filename},
        )
