"""Zip builders for the packaging tests; raw-header patching forges hostile archives."""

from __future__ import annotations

import struct
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path

HF_PACKAGE = {
    "tiny-bert/README.md": b"# tiny-bert\nA model card.\n",
    "tiny-bert/config.json": b'{"model_type": "bert"}',
    "tiny-bert/generation_config.json": b"{}",
    "tiny-bert/tokenizer.json": b'{"vocab": {}}',
    "tiny-bert/vocab.txt": b"[PAD]\n[UNK]\n",
    "tiny-bert/model.safetensors": bytes(range(256)) * 64,
    "tiny-bert/model.safetensors.index.json": b'{"weight_map": {}}',
    "tiny-bert/pytorch_model.bin": b"\x80\x02" * 500,
    "tiny-bert/data/train.txt": b"hello\n" * 10,
    "tiny-bert/eval.parquet": b"PAR1" * 10,
    "tiny-bert/modeling.py": b"print('hi')\n",
}


def write_zip(path: Path, entries: Iterable[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    """Write `entries` (name or ZipInfo, data) deflated into a zip at `path`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on the duplicates some tests want
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return path


def central_records(data: bytes) -> list[int]:
    """Offsets of every central-directory record in a raw zip."""
    offsets, start = [], 0
    while (found := data.find(b"PK\x01\x02", start)) != -1:
        offsets.append(found)
        start = found + 4
    return offsets


def patch(data: bytearray, offset: int, fmt: str, value: int) -> None:
    """Overwrite one little-endian field in place."""
    struct.pack_into("<" + fmt, data, offset, value)


def write_streamed(path: Path, name: str, chunks: Iterable[bytes]) -> Path:
    """Write one deflated entry chunk by chunk, so big test entries never sit in memory whole."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w") as entry,
    ):
        for chunk in chunks:
            entry.write(chunk)
    return path
