"""Which files are model weights and which are data, by suffix: one list for the whole layer."""

from __future__ import annotations

WEIGHT_SUFFIXES: tuple[str, ...] = (
    ".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".h5", ".onnx", ".gguf", ".msgpack", ".tflite",
)  # fmt: skip
DATA_SUFFIXES: tuple[str, ...] = (".parquet", ".arrow", ".csv", ".jsonl", ".tsv")
