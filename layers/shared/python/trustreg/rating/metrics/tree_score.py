"""tree_score: the health of the model's registered lineage, as its parents' net scores."""

from __future__ import annotations

from trustreg.rating.inputs import RatingInputs
from trustreg.rating.result import NOT_APPLICABLE, MetricResult, clamp

NO_PARENTS_REASON = "no registered parents: takes the model's own net score (neutral)"


def compute(inputs: RatingInputs) -> MetricResult:
    """Mean of the registered parents' net scores; NOT_APPLICABLE until resolved without parents."""
    parents = [clamp(s) for s in inputs.parent_net_scores]
    if not parents:
        # The runner resolves this to the net score of the other metrics (see net_score.py).
        return MetricResult(NOT_APPLICABLE, NO_PARENTS_REASON, {"parents": 0})
    score = round(sum(parents) / len(parents), 4)
    return MetricResult(
        score,
        f"mean net score of {len(parents)} registered parent(s)",
        {"parents": len(parents), "parent_net_scores": parents},
    )
