"""Byte-layout checks: every entry's data must sit in its own, non-overlapping region.

Overlapping entries are how "non-recursive" zip bombs (one compressed kernel referenced by
thousands of headers) reach huge expansion while each entry alone looks harmless.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from typing import BinaryIO

from trustreg.errors import BadRequest

_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, (skipped fields), name len, extra len
_LOCAL_SIGNATURE = b"PK\x03\x04"
_UTF8_FLAG = 0x800


def check_layout(path: str | Path, infos: list[zipfile.ZipInfo], directory_start: int) -> None:
    """Raise BadRequest when entries overlap, run into the directory, or disagree on names."""
    ordered = sorted(infos, key=lambda info: info.header_offset)
    with open(path, "rb") as handle:
        ends = [_data_end(handle, info) for info in ordered]
    for index, info in enumerate(ordered):
        limit = ordered[index + 1].header_offset if index + 1 < len(ordered) else directory_start
        if ends[index] > limit:
            raise BadRequest(
                f"zip entry {info.filename!r} overlaps another entry or the directory",
                details={"entry": info.filename},
            )


def _data_end(handle: BinaryIO, info: zipfile.ZipInfo) -> int:
    """Return the offset just past the entry's compressed data, checking its local header."""
    handle.seek(info.header_offset)
    header = handle.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size:
        raise BadRequest(f"zip entry {info.filename!r} points outside the file")
    signature, name_len, extra_len = _LOCAL_HEADER.unpack(header)
    if signature != _LOCAL_SIGNATURE:
        raise BadRequest(f"zip entry {info.filename!r} has no local header where it claims")
    encoding = "utf-8" if info.flag_bits & _UTF8_FLAG else "cp437"  # as zipfile decodes names
    local_name = handle.read(name_len).decode(encoding, "replace")
    if local_name != info.orig_filename:
        # Tools that read local headers would see a different file than the directory lists.
        raise BadRequest(
            f"zip entry {info.filename!r} has a different name in its local header",
            details={"entry": info.filename},
        )
    return info.header_offset + _LOCAL_HEADER.size + name_len + extra_len + info.compress_size
