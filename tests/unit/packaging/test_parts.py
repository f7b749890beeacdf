"""Given a package, When a part is written, Then it holds exactly that part's files, intact."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from tests.unit.packaging.zipkit import HF_PACKAGE
from trustreg.errors import BadRequest, NotFound
from trustreg.packaging import classify, sha256_file, write_part

_WEIGHTS = {"model.safetensors", "model.safetensors.index.json", "pytorch_model.bin"}
_CARD = {"README.md", "config.json", "generation_config.json", "tokenizer.json", "vocab.txt"}
_DATASETS = {"data/train.txt", "eval.parquet"}


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("model-00001-of-00002.safetensors", "weights"),
        ("pytorch_model.bin.index.json", "weights"),
        ("onnx/model.onnx", "weights"),
        ("ggml-q4.GGUF", "weights"),
        ("README.md", "card"),
        ("tokenizer_config.json", "card"),
        ("special_tokens_map.json", "card"),
        ("LICENSE", "card"),
        ("datasets/x.bin", "datasets"),
        ("train.jsonl", "datasets"),
        ("modeling_bert.py", None),
        ("src/data/loader.py", None),
    ],
)
def test_classification(name: str, part: str | None) -> None:
    assert classify(name) == part


@pytest.mark.parametrize(
    ("part", "expected"),
    [("weights", _WEIGHTS), ("card", _CARD), ("datasets", _DATASETS), ("full", None)],
)
def test_part_holds_its_files_with_identical_bytes(hf_zip, part, expected) -> None:
    out = io.BytesIO()
    summary = write_part(hf_zip, part, out)
    wanted = set(HF_PACKAGE) if expected is None else {f"tiny-bert/{n}" for n in expected}
    assert set(summary.entries) == wanted
    blob = out.getvalue()
    assert summary.size == len(blob)
    assert summary.sha256 == hashlib.sha256(blob).hexdigest()
    with zipfile.ZipFile(io.BytesIO(blob)) as part_zip:
        assert part_zip.testzip() is None
        assert {n: part_zip.read(n) for n in part_zip.namelist()} == {
            n: HF_PACKAGE[n] for n in wanted
        }


def test_part_written_to_a_file_hashes_like_sha256_file(hf_zip, tmp_path) -> None:
    dest = tmp_path / "weights.zip"
    with dest.open("wb") as handle:
        summary = write_part(hf_zip, "weights", handle)
    assert sha256_file(dest) == summary.sha256
    assert dest.stat().st_size == summary.size


def test_missing_part_is_404_and_writes_nothing(make_zip) -> None:
    out = io.BytesIO()
    with pytest.raises(NotFound, match="this package has no datasets files") as caught:
        write_part(make_zip({"m/model.safetensors": b"w"}), "datasets", out)
    assert caught.value.status == 404
    assert out.getvalue() == b""


def test_unknown_part_is_400(hf_zip) -> None:
    with pytest.raises(BadRequest, match="unknown part 'everything'"):
        write_part(hf_zip, "everything", io.BytesIO())


def test_hostile_source_is_rejected_before_copying(make_zip) -> None:
    with pytest.raises(BadRequest, match="escapes the package"):
        write_part(make_zip({"../model.bin": b"w"}), "weights", io.BytesIO())


def test_sha256_file_matches_hashlib(tmp_path) -> None:
    path = tmp_path / "blob"
    path.write_bytes(b"abc" * 1_000_000)
    assert sha256_file(path, chunk_bytes=4096) == hashlib.sha256(b"abc" * 1_000_000).hexdigest()
