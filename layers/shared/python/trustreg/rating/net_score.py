"""net_score: the weighted sum of the metrics, renormalised over those that apply."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from trustreg.rating.result import NOT_APPLICABLE, MetricResult, clamp
from trustreg.rating.weights import WEIGHTS, size_for_net


def _contribution(name: str, result: MetricResult) -> float:
    if name == "size_score" and result.devices:
        return size_for_net(result.devices)
    return clamp(result.score)


def combine(results: Mapping[str, MetricResult]) -> MetricResult:
    """Weighted sum over applicable metrics; a missing (failed) metric counts as 0."""
    applicable = {
        n: w for n, w in WEIGHTS.items() if n not in results or results[n].score != NOT_APPLICABLE
    }
    total_weight = sum(applicable.values())
    if total_weight == 0:
        return MetricResult(0.0, "no applicable metrics", {})
    parts = {
        n: (w / total_weight) * (_contribution(n, results[n]) if n in results else 0.0)
        for n, w in applicable.items()
    }
    score = round(clamp(sum(parts.values())), 4)
    skipped = sorted(set(WEIGHTS) - set(applicable))
    reason = "weighted sum of metrics" + (
        f"; not applicable: {', '.join(skipped)}" if skipped else ""
    )
    evidence = {
        "weights": {n: round(w / total_weight, 4) for n, w in applicable.items()},
        "contributions": {n: round(v, 4) for n, v in parts.items()},
        "not_applicable": skipped,
    }
    return MetricResult(score, reason, evidence)


def resolve_tree_score(results: dict[str, MetricResult]) -> None:
    """Give a parentless tree_score the net score of the other metrics, so it is neutral."""
    tree = results.get("tree_score")
    if tree is None or tree.score != NOT_APPLICABLE:
        return
    own = combine(results).score  # tree_score is skipped here: it is still NOT_APPLICABLE
    results["tree_score"] = replace(tree, score=own, evidence={**tree.evidence, "own_net": own})
