"""A finished rating: per-metric outcomes, the contract shape, an explanation, and storage."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from trustreg.rating.weights import DEVICES, WEIGHTS

SCHEMA_VERSION = 1
SCORE_DIGITS = 4  # scores are coarse judgements; more digits would suggest false precision
LATENCY_DIGITS = 6  # seconds to the microsecond: fast metrics take tens of microseconds
NET = "net_score"


@dataclass(frozen=True)
class MetricOutcome:
    """One metric as rated: its score, why, evidence, seconds taken, and size's devices."""

    score: float
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)
    latency: float = 0.0
    devices: dict[str, float] | None = None
    absent: bool = False  # its evidence does not exist: shown, but not judged by the gate


@dataclass(frozen=True)
class Rating:
    """Every metric's outcome (net_score included) and the metrics that failed, with why."""

    metrics: dict[str, MetricOutcome]
    failed: dict[str, str] = field(default_factory=dict)

    def score(self, name: str) -> float:
        """The score of one metric (net_score included)."""
        return self.metrics[name].score

    def summary(self, category: str) -> dict[str, Any]:
        """What GET .../rate answers, kept on the artifact: the category the card gave when
        rated, the scores, and which metrics failed (a read then decodes no reasons and no
        evidence)."""
        return {"category": category, "scores": self.scores(), "failed": dict(self.failed)}

    def scores(self) -> dict[str, Any]:
        """ModelRating's 24 score and latency fields, rounded."""
        out: dict[str, Any] = {}
        for metric in (NET, *WEIGHTS):
            outcome = self.metrics[metric]
            if metric == "size_score":
                devices = outcome.devices or {}
                out[metric] = {d: round(devices.get(d, 0.0), SCORE_DIGITS) for d in DEVICES}
            else:
                out[metric] = round(outcome.score, SCORE_DIGITS)
            out[f"{metric}_latency"] = round(outcome.latency, LATENCY_DIGITS)
        return out

    def explain(self) -> dict[str, dict[str, Any]]:
        """Per metric: score, reason, evidence, latency, weight (and devices, failure)."""
        explained: dict[str, dict[str, Any]] = {}
        for metric, outcome in self.metrics.items():
            entry: dict[str, Any] = {
                "score": outcome.score,
                "reason": outcome.reason,
                "evidence": outcome.evidence,
                "latency": outcome.latency,
                "weight": WEIGHTS.get(metric),
            }
            if outcome.devices is not None:
                entry["devices"] = outcome.devices
            if metric in self.failed:
                entry["failed"] = self.failed[metric]
            if outcome.absent:
                entry["gate"] = "not judged: the evidence this metric reads does not exist"
            explained[metric] = entry
        return explained

    def to_json(self) -> str:
        """Serialise for storage; from_json restores an equal Rating."""
        body = {"version": SCHEMA_VERSION, **asdict(self)}
        return json.dumps(body, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Rating:
        """Restore a Rating stored by to_json."""
        body = json.loads(text)
        if body.get("version") != SCHEMA_VERSION:
            raise ValueError(f"unsupported rating schema version {body.get('version')!r}")
        metrics = {n: MetricOutcome(**m) for n, m in body["metrics"].items()}
        return cls(metrics=metrics, failed=dict(body.get("failed") or {}))


def model_rating(name: str, category: str, scores: dict[str, Any]) -> dict[str, Any]:
    """The contract's ModelRating from a name, a category and `Rating.scores()`, in the
    contract's field order whatever order `scores` kept (jsonb sorts keys its own way)."""
    out: dict[str, Any] = {"name": name, "category": category}
    for metric in (NET, *WEIGHTS):
        score = scores[metric]
        out[metric] = {d: score[d] for d in DEVICES} if metric == "size_score" else score
        out[f"{metric}_latency"] = scores[f"{metric}_latency"]
    return out
