"""One module per metric; METRICS maps each contract field name to its compute function."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from trustreg.rating.inputs import RatingInputs
from trustreg.rating.metrics import (
    bus_factor,
    code_quality,
    dataset_and_code_score,
    dataset_quality,
    license,
    performance_claims,
    ramp_up_time,
    reproducibility,
    reviewedness,
    size_score,
    tree_score,
)
from trustreg.rating.result import MetricResult

MetricFn = Callable[[RatingInputs], MetricResult]

# Order is the contract's field order; net_score is combined after these run.
METRICS: Mapping[str, MetricFn] = {
    "ramp_up_time": ramp_up_time.compute,
    "bus_factor": bus_factor.compute,
    "performance_claims": performance_claims.compute,
    "license": license.compute,
    "dataset_and_code_score": dataset_and_code_score.compute,
    "dataset_quality": dataset_quality.compute,
    "code_quality": code_quality.compute,
    "reproducibility": reproducibility.compute,
    "reviewedness": reviewedness.compute,
    "tree_score": tree_score.compute,
    "size_score": size_score.compute,
}
