"""dataset_quality: how complete and credible the linked datasets' cards are."""

from __future__ import annotations

from trustreg.rating import card
from trustreg.rating.inputs import DatasetEvidence, RatingInputs
from trustreg.rating.result import MetricResult, checklist

_MIN_CARD_CHARS = 200
_LONG_CARD_CHARS = 1500
_CREDIBLE_DOWNLOADS = 1000
_CREDIBLE_LIKES = 10


def dataset_score(ds: DatasetEvidence) -> tuple[float, dict[str, bool]]:
    """Score one dataset's card on ten equally weighted checks."""
    if not ds.found:
        return 0.0, {"found": False}
    meta, text, info = ds.card_metadata, ds.card_text, ds.info
    credible = (
        int(info.get("downloads") or 0) >= _CREDIBLE_DOWNLOADS
        or int(info.get("likes") or 0) >= _CREDIBLE_LIKES
    )
    return checklist(
        [
            ("card", 0.1, len(text) >= _MIN_CARD_CHARS),
            ("detailed card", 0.1, len(text) >= _LONG_CARD_CHARS),
            ("license", 0.1, bool(meta.get("license"))),
            ("task metadata", 0.1, bool(meta.get("task_categories") or meta.get("task_ids"))),
            (
                "size/language metadata",
                0.1,
                bool(meta.get("size_categories") or meta.get("language")),
            ),
            (
                "provenance metadata",
                0.1,
                bool(meta.get("source_datasets") or meta.get("annotations_creators")),
            ),
            ("structure section", 0.1, card.has_heading(text, ("structure", "fields", "splits"))),
            (
                "collection section",
                0.1,
                card.has_heading(text, ("collection", "curation", "source")),
            ),
            ("limitations section", 0.1, card.has_heading(text, ("limitation", "bias", "social"))),
            ("credible usage", 0.1, credible),
        ]
    )


def compute(inputs: RatingInputs) -> MetricResult:
    """Average the per-dataset card scores; no linked dataset scores 0."""
    if not inputs.datasets:
        return MetricResult(0.0, "no linked datasets to assess", {"datasets": []})
    per = {ds.name: dataset_score(ds) for ds in inputs.datasets}
    score = round(sum(s for s, _ in per.values()) / len(per), 4)
    missing = [name for name, (_, checks) in per.items() if checks.get("found") is False]
    reason = f"mean card quality over {len(per)} dataset(s)"
    if missing:
        reason += f"; not found: {', '.join(missing)}"
    evidence = {"datasets": {n: {"score": s, "checks": c} for n, (s, c) in per.items()}}
    return MetricResult(score, reason, evidence)
