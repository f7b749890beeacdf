"""The value every metric returns, and the sentinel for "does not apply to this model"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Reviewedness with no linked repository, and tree_score before it is resolved, use this value;
# net_score renormalizes the weights over the metrics that do apply.
NOT_APPLICABLE = -1.0


@dataclass(frozen=True)
class MetricResult:
    """A metric's score in [0, 1] (or NOT_APPLICABLE), why, and the evidence it used."""

    score: float
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)
    # Only size_score sets this: one score per deployment target.
    devices: dict[str, float] | None = None
    # True when the evidence the metric reads does not exist (no linked repository or dataset),
    # as opposed to existing and being poor: the low score stands, but the gate does not judge it.
    absent: bool = False


def clamp(value: float) -> float:
    """Clamp a score into [0, 1]."""
    return max(0.0, min(1.0, float(value)))


def checklist(items: list[tuple[str, float, bool]]) -> tuple[float, dict[str, bool]]:
    """Sum the weights of the satisfied (name, weight, ok) items; return score and what held."""
    score = sum(weight for _, weight, ok in items if ok)
    return clamp(round(score, 6)), {name: ok for name, _, ok in items}


def describe(found: dict[str, bool]) -> str:
    """Render a checklist outcome as 'has a, b; lacks c'."""
    has = [name for name, ok in found.items() if ok]
    lacks = [name for name, ok in found.items() if not ok]
    parts = []
    if has:
        parts.append("has " + ", ".join(has))
    if lacks:
        parts.append("lacks " + ", ".join(lacks))
    return "; ".join(parts) or "nothing to check"
