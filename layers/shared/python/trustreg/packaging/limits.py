"""Bounds an uploaded package must respect; the defaults are sized for Hugging Face models."""

from __future__ import annotations

from dataclasses import dataclass

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


@dataclass(frozen=True)
class ZipLimits:
    """Every cap `validate_zip` enforces; override per call with `dataclasses.replace`.

    Defaults and why:
    - max_archive_bytes = 8 GiB: a 3B-parameter fp16 model is ~6 GiB; anything larger will not
      fit Lambda's 10 GiB /tmp alongside a copy, so it must go through another path anyway.
    - max_entries = 10_000: real HF repos have tens of files; 10k leaves room for sharded
      checkpoints and small datasets while bounding per-entry work (one header read each).
    - max_total_bytes = 16 GiB uncompressed: weights barely compress, so a legitimate package
      is rarely more than ~2x its archive; 16 GiB still fits processing in bounded chunks.
    - max_ratio = 100 per entry: text compresses ~3-10x, weights ~1.1x; zip bombs reach
      1000x+ (deflate tops out near 1032x), so 100 separates them with a wide margin.
    - ratio_floor_bytes = 1 MiB: entries smaller than this cannot hurt anyone, and tiny files
      of repeated characters (padding, empty JSON arrays) legitimately exceed any ratio.
    - max_name_bytes = 1024: longer names are never real and break S3 keys (1024-byte limit).
    - verify_contents = True: decompress every entry in bounded chunks so lying size fields
      and CRC mismatches are caught before the package becomes visible.
    - chunk_bytes = 256 KiB: zipfile holds a few buffers of this size per read, so peak memory
      while streaming stays near 1 MiB whatever the entry size.
    """

    max_archive_bytes: int = 8 * GIB
    max_entries: int = 10_000
    max_total_bytes: int = 16 * GIB
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 1 * MIB
    max_name_bytes: int = 1024
    verify_contents: bool = True
    chunk_bytes: int = 256 * KIB
