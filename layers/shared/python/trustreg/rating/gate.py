"""The ingest gate: every applicable non-latency metric of a public model must reach the minimum."""

from __future__ import annotations

from trustreg.rating.record import NET, Rating
from trustreg.rating.result import NOT_APPLICABLE
from trustreg.rating.weights import WEIGHTS, size_for_gate


def gate_score(rating: Rating, metric: str) -> float | None:
    """The score the gate judges for one metric; None when it does not apply."""
    outcome = rating.metrics[metric]
    if metric in rating.failed:
        return 0.0  # an unmeasured metric cannot vouch for the model
    if metric == "size_score" and outcome.devices is not None:
        return size_for_gate(outcome.devices)
    if outcome.score == NOT_APPLICABLE or outcome.absent:
        return None  # nothing to judge: no repository/dataset exists, which is not a bad one
    return outcome.score


def gate_failures(rating: Rating, min_score: float) -> dict[str, float]:
    """The metrics (net_score included) below min_score, with the scores the gate judged."""
    failures: dict[str, float] = {}
    for metric in (NET, *WEIGHTS):
        score = gate_score(rating, metric)
        if score is not None and score < min_score:
            failures[metric] = round(score, 4)
    return failures
