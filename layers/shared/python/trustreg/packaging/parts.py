"""Cut a validated package into downloadable parts, streaming entry by entry.

Parts (each file belongs to at most one of the first three; "full" is everything):
- weights:  *.safetensors, *.bin, *.pt, *.pth, *.ckpt, *.h5, *.onnx, *.gguf, *.msgpack, *.tflite
            and their shard indexes (e.g. model.safetensors.index.json).
- datasets: anything below a top-level data/, dataset/ or datasets/ folder (this wins over the
            suffix rules), plus *.parquet, *.arrow, *.csv, *.jsonl, *.tsv anywhere.
- card:     README*, LICENSE*, *config*.json and tokenizer files. Decision: the card part is
            "everything small you need to inspect and load the model except the weights", and a
            config without its tokenizer cannot be used, so tokenizer files belong here.
- full:     every file, including ones in no other part (code, images, .gitattributes).
Names are relative to the package's common top folder for classification, but copied unchanged.
An empty part raises NotFound: the download simply does not exist for this package.
"""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from trustreg.errors import BadRequest, NotFound
from trustreg.packaging.file_kinds import DATA_SUFFIXES as _DATA_SUFFIXES
from trustreg.packaging.file_kinds import WEIGHT_SUFFIXES as _WEIGHT_SUFFIXES
from trustreg.packaging.limits import ZipLimits
from trustreg.packaging.streams import HashingWriter
from trustreg.packaging.zipcheck import validate_zip

PARTS = ("weights", "card", "datasets", "full")
_DATA_FOLDERS = ("data", "dataset", "datasets")
_TOKENIZER_FILES = {
    "tokenizer.json", "tokenizer.model", "vocab.txt", "vocab.json", "merges.txt",
    "special_tokens_map.json", "added_tokens.json", "spiece.model", "sentencepiece.bpe.model",
}  # fmt: skip


@dataclass(frozen=True)
class PartSummary:
    """The written part: its byte size, hex SHA-256 and the entry names it holds."""

    size: int
    sha256: str
    entries: tuple[str, ...]


def classify(relative_name: str) -> str | None:
    """Return "weights", "datasets" or "card" for a name below the package folder, else None."""
    lowered = relative_name.lower()
    base = lowered.rsplit("/", 1)[-1]
    if lowered.split("/", 1)[0] in _DATA_FOLDERS and "/" in lowered:
        return "datasets"
    if base.endswith(_WEIGHT_SUFFIXES) or base.removesuffix(".index.json").endswith(
        _WEIGHT_SUFFIXES
    ):
        return "weights"
    if base.endswith(_DATA_SUFFIXES):
        return "datasets"
    if base.startswith(("readme", "license")) or base in _TOKENIZER_FILES:
        return "card"
    if base.endswith(".json") and "config" in base:
        return "card"
    return None


def write_part(
    src_zip_path: str | Path, part: str, dest_fileobj: BinaryIO, limits: ZipLimits = ZipLimits()
) -> PartSummary:
    """Stream the entries of `part` from the package into a new zip written to `dest_fileobj`."""
    if part not in PARTS:
        raise BadRequest(f"unknown part {part!r}; expected one of {', '.join(PARTS)}")
    # Structure only: the copy below decompresses everything and zipfile checks each CRC.
    summary = validate_zip(src_zip_path, dataclasses.replace(limits, verify_contents=False))
    chosen = [e for e in summary.entries if part == "full" or classify(summary.relative(e)) == part]
    if not chosen:
        raise NotFound(f"this package has no {part} files", details={"part": part})
    sink = HashingWriter(dest_fileobj)
    with zipfile.ZipFile(src_zip_path) as source, zipfile.ZipFile(sink, "w") as target:
        for entry in chosen:
            _copy_entry(source, target, source.getinfo(entry.name), limits.chunk_bytes)
    sink.flush()
    return PartSummary(sink.size, sink.hexdigest(), tuple(e.name for e in chosen))


def write_subtree(
    src_zip_path: str | Path, subdir: str, dest_fileobj: BinaryIO, limits: ZipLimits = ZipLimits()
) -> PartSummary:
    """Copy one folder of the package (e.g. a repo's `/tree/<ref>/<subdir>`) to a new zip.

    Names are kept relative to that folder, so the result reads like a package of its own.
    """
    folder = subdir.strip("/") + "/"
    summary = validate_zip(src_zip_path, dataclasses.replace(limits, verify_contents=False))
    chosen = [e for e in summary.entries if summary.relative(e).startswith(folder)]
    if not chosen:
        raise NotFound(f"the package has no folder {subdir!r}", details={"subdir": subdir})
    sink = HashingWriter(dest_fileobj)
    with zipfile.ZipFile(src_zip_path) as source, zipfile.ZipFile(sink, "w") as target:
        for entry in chosen:
            name = summary.relative(entry)[len(folder) :]
            _copy_entry(source, target, source.getinfo(entry.name), limits.chunk_bytes, name)
    sink.flush()
    return PartSummary(sink.size, sink.hexdigest(), tuple(e.name for e in chosen))


def _copy_entry(
    source: zipfile.ZipFile,
    target: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    chunk: int,
    name: str | None = None,
) -> None:
    """Copy one entry in chunks; weights are stored as-is because they barely compress."""
    out = zipfile.ZipInfo(name or info.filename, date_time=info.date_time)
    out.file_size = info.file_size  # lets zipfile decide on zip64 before the data is written
    weights = info.filename.lower().endswith(_WEIGHT_SUFFIXES)
    out.compress_type = zipfile.ZIP_STORED if weights else zipfile.ZIP_DEFLATED
    out.external_attr = 0o644 << 16  # a plain readable file, whatever the upload claimed
    with source.open(info) as reader, target.open(out, "w") as writer:
        shutil.copyfileobj(reader, writer, chunk)
