"""size_score: how well the model's weights fit four deployment targets."""

from __future__ import annotations

import re
from collections import defaultdict

from trustreg.rating.inputs import RatingInputs, RepoFile
from trustreg.rating.result import MetricResult
from trustreg.rating.weights import DEVICES, size_for_net

GB = 1_000_000_000
# Memory a device can give to weights (decimal GB): Pi 4/5 class with ~2-4 GB RAM shared with
# the OS, Jetson Nano's 4 GB shared CPU/GPU, a desktop GPU/RAM of 16 GB, a 64 GB cloud instance.
BUDGETS: dict[str, int] = {
    "raspberry_pi": 1 * GB,
    "jetson_nano": 2 * GB,
    "desktop_pc": 16 * GB,
    "aws_server": 64 * GB,
}
# One deployment uses one serialisation; the first present format is the one counted.
FORMATS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("safetensors", (".safetensors",)),
    ("pytorch", (".bin", ".pt", ".pth", ".ckpt")),
    ("gguf", (".gguf",)),
    ("onnx", (".onnx",)),
    ("tensorflow", (".h5", ".tflite")),
    ("flax", (".msgpack",)),
)
# Formats whose files are alternative variants (quantisations) rather than shards of one model.
_VARIANT_FORMATS = frozenset({"gguf", "onnx"})
_SHARD = re.compile(r"-\d{5}-of-\d{5}")


def device_score(weight_bytes: int, budget: int) -> float:
    """1 up to half the budget, 0.5 at the budget, 0 from 1.5x the budget, linear between."""
    ratio = weight_bytes / budget
    return round(max(0.0, min(1.0, 1.5 - ratio)), 4)


def _format_of(path: str) -> str | None:
    low = path.lower()
    return next((name for name, exts in FORMATS if low.endswith(exts)), None)


def weight_bytes(files: tuple[RepoFile, ...]) -> tuple[int, str | None, int]:
    """Bytes of weights in the preferred format, that format, and how many files were counted."""
    by_format: dict[str, list[RepoFile]] = defaultdict(list)
    for f in files:
        fmt = _format_of(f.path)
        if fmt is not None:
            by_format[fmt].append(f)
    for fmt, _ in FORMATS:
        chosen = by_format.get(fmt)
        if not chosen:
            continue
        if fmt not in _VARIANT_FORMATS:
            return sum(f.size for f in chosen), fmt, len(chosen)
        # Variants: group shards of one variant, then deploy the smallest variant.
        variants: dict[str, list[RepoFile]] = defaultdict(list)
        for f in chosen:
            variants[_SHARD.sub("", f.path)].append(f)
        smallest = min(variants.values(), key=lambda fs: (sum(f.size for f in fs), fs[0].path))
        return sum(f.size for f in smallest), fmt, len(smallest)
    return 0, None, 0


def compute(inputs: RatingInputs) -> MetricResult:
    """Score each device by weight bytes against its budget; the score is the devices' mean."""
    total, fmt, count = weight_bytes(inputs.files)
    if fmt is None:
        devices = dict.fromkeys(DEVICES, 0.0)
        return MetricResult(
            0.0, "no weight files listed: size unknown", {"files": len(inputs.files)}, devices
        )
    devices = {d: device_score(total, BUDGETS[d]) for d in DEVICES}
    evidence = {
        "weight_bytes": total,
        "format": fmt,
        "files_counted": count,
        "budgets_bytes": BUDGETS,
    }
    reason = f"{total / GB:.2f} GB of {fmt} weights ({count} files)"
    return MetricResult(round(size_for_net(devices), 4), reason, evidence, devices)
