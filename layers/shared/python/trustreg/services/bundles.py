"""Write a zip bundle from upstream files, copying what fits and listing what does not."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from trustreg.packaging.file_kinds import WEIGHT_SUFFIXES
from trustreg.rating.inputs import RepoFile

# Already-compressed binaries are stored as they are: deflating them costs time for nothing.
STORED_SUFFIXES = (*WEIGHT_SUFFIXES, ".parquet", ".arrow")


@dataclass
class BundleReport:
    """What went into the bundle, and what was left at the source (with size and link)."""

    copied: list[str] = field(default_factory=list)
    skipped: list[dict[str, object]] = field(default_factory=list)
    copied_bytes: int = 0


def write_bundle(
    path: str,
    files: Sequence[RepoFile],
    fetch: Callable[[str, BinaryIO, int], object],
    link: Callable[[str], str],
    *,
    max_file_bytes: int,
    max_bundle_bytes: int,
) -> BundleReport:
    """Stream each file into the zip at `path` unless it would break a size limit.

    Files above `max_file_bytes` (large weights) or past the bundle budget are recorded in
    `skipped` with their size and source link instead: the registry keeps the card, config and
    small files itself and points at the source for the rest.
    """
    report = BundleReport()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for f in sorted(files, key=lambda f: f.path):
            too_big = f.size > max_file_bytes
            over_budget = report.copied_bytes + f.size > max_bundle_bytes
            if too_big or over_budget:
                report.skipped.append(
                    {
                        "path": f.path,
                        "size": f.size,
                        "url": link(f.path),
                        "reason": "larger than the per-file limit" if too_big else "bundle budget",
                    }
                )
                continue
            method = zipfile.ZIP_STORED if f.path.endswith(STORED_SUFFIXES) else None
            info = zipfile.ZipInfo(f.path)
            info.compress_type = method if method is not None else zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=True) as dest:
                fetch(f.path, dest, max_file_bytes)  # type: ignore[arg-type]
            report.copied.append(f.path)
            report.copied_bytes += f.size
    return report
