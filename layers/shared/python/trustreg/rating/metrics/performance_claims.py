"""performance_claims: whether the card backs its performance with results and sources."""

from __future__ import annotations

from typing import Any

from trustreg.rating import card
from trustreg.rating.inputs import RatingInputs
from trustreg.rating.result import MetricResult, checklist, describe

_METRIC_WORDS = (
    "accuracy",
    "f1",
    "bleu",
    "rouge",
    "exact match",
    "perplexity",
    "wer",
    "mmlu",
    "precision",
    "recall",
    "auc",
    "score",
    "map",
    "glue",
    "squad",
    "benchmark",
    "eval",
    "pass@",
    "top-1",
    "top1",
    "hellaswag",
)
_RESULT_HEADINGS = ("evaluation", "results", "benchmark", "performance")
_MANY_VALUES = 3


def _number(value: Any) -> float | None:
    # bools are ints in Python, and a "value: true" is not a measurement
    if isinstance(value, bool):
        return None
    try:
        return float(str(value).strip().rstrip("%"))
    except ValueError:
        return None


def _model_index_values(metadata: dict[str, Any]) -> list[dict[str, Any]]:
    values: list[dict[str, Any]] = []
    index = metadata.get("model-index") or metadata.get("model_index") or []
    for entry in index if isinstance(index, list) else []:
        results = entry.get("results") if isinstance(entry, dict) else None
        for result in results if isinstance(results, list) else []:
            if not isinstance(result, dict):
                continue
            ds = result.get("dataset")
            dataset = ds.get("name") if isinstance(ds, dict) else None
            for m in result.get("metrics") or []:
                value = _number(m.get("value")) if isinstance(m, dict) else None
                if value is not None:
                    values.append(
                        {
                            "dataset": dataset,
                            "type": m.get("type"),
                            "value": value,
                            "verified": bool(m.get("verified")),
                        }
                    )
    return values


def _benchmark_tables(text: str) -> int:
    return sum(
        1
        for t in card.tables(text)
        if card.mentions(t, _METRIC_WORDS) and any(ch.isdigit() for ch in t)
    )


def compute(inputs: RatingInputs) -> MetricResult:
    """Score eval results in metadata, benchmark tables and citations in the card."""
    if not inputs.card_text.strip() and not inputs.card_metadata:
        return MetricResult(0.0, "no model card: no performance claims", {})
    values = _model_index_values(inputs.card_metadata)
    tables = _benchmark_tables(inputs.card_text)
    results_section = card.has_heading(inputs.card_text, _RESULT_HEADINGS)
    score, found = checklist(
        [
            ("model-index results", 0.50, bool(values)),
            ("several reported metrics", 0.10, len(values) >= _MANY_VALUES or tables >= 2),
            ("benchmark table", 0.25, tables > 0),
            ("results section", 0.05, results_section),
            ("citation", 0.10, card.has_citation(inputs.card_text)),
        ]
    )
    evidence = {
        "checks": found,
        "model_index": values[:20],
        "model_index_count": len(values),
        "benchmark_tables": tables,
    }
    return MetricResult(score, "performance claims: " + describe(found), evidence)
