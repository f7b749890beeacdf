"""performance_claims: whether the card backs its performance with results and sources."""

from __future__ import annotations

from typing import Any

from trustreg.rating import card
from trustreg.rating.inputs import RatingInputs
from trustreg.rating.result import MetricResult, checklist, describe
from trustreg.rating.results_text import (
    RESULT_HEADINGS,
    benchmark_tables,
    stated_results,
    table_numbers,
)

_MANY_RESULTS = 3
# A cited paper holds the results a card does not repeat; adequate, but not this card's own.
_BY_REFERENCE = 0.5


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


def compute(inputs: RatingInputs) -> MetricResult:
    """Score reported results (metadata, tables, prose), their structure and cited sources."""
    text = inputs.card_text
    if not text.strip() and not inputs.card_metadata:
        return MetricResult(0.0, "no model card: no performance claims", {})
    values = _model_index_values(inputs.card_metadata)
    tables = benchmark_tables(text)
    stated = stated_results(text)
    count = len(values) + sum(table_numbers(t) for t in tables) + len(stated)
    cited = card.has_citation(text)
    score, found = checklist(
        [
            ("reported results", 0.50, bool(values or tables or stated)),
            ("machine-readable results", 0.15, bool(values)),
            ("several results", 0.10, count >= _MANY_RESULTS),
            ("results section", 0.10, card.has_heading(text, RESULT_HEADINGS)),
            ("citation", 0.15, cited),
        ]
    )
    reason = "performance claims: " + describe(found)
    # A fine-tune's numbers are not in its base model's paper, so only an original model gets
    # credit for results published in the paper it cites.
    by_reference = (
        cited
        and not found["reported results"]
        and not card.as_list(inputs.card_metadata.get("base_model"))
    )
    if by_reference and score < _BY_REFERENCE:
        score = _BY_REFERENCE
        reason += "; results by reference to the cited paper"
    evidence = {
        "checks": found,
        "model_index": values[:20],
        "model_index_count": len(values),
        "benchmark_tables": len(tables),
        "stated_results": stated[:20],
        "result_count": count,
        "by_reference": by_reference,
    }
    return MetricResult(score, reason, evidence)
