"""The net_score weights (the only place they live) and the size_score reductions."""

from __future__ import annotations

from collections.abc import Mapping

# Sum to 1. License weighs most: an unusable license makes everything else moot for us.
WEIGHTS: Mapping[str, float] = {
    "ramp_up_time": 0.10,
    "bus_factor": 0.08,
    "performance_claims": 0.10,
    "license": 0.14,
    "size_score": 0.08,
    "dataset_and_code_score": 0.08,
    "dataset_quality": 0.08,
    "code_quality": 0.08,
    "reproducibility": 0.10,
    "reviewedness": 0.08,
    "tree_score": 0.08,
}

DEVICES: tuple[str, ...] = ("raspberry_pi", "jetson_nano", "desktop_pc", "aws_server")


def size_for_net(devices: Mapping[str, float]) -> float:
    """net_score's reduction of the four devices: their mean (broad deployability is worth more)."""
    return sum(devices.get(d, 0.0) for d in DEVICES) / len(DEVICES)


def size_for_gate(devices: Mapping[str, float]) -> float:
    """The gate's reduction of the four devices: the best one (it must fit somewhere)."""
    return max((devices.get(d, 0.0) for d in DEVICES), default=0.0)
