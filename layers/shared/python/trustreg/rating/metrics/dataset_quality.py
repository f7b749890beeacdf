"""dataset_quality: how complete and credible the linked datasets' cards are."""

from __future__ import annotations

from trustreg.rating import card
from trustreg.rating.inputs import DatasetEvidence, RatingInputs
from trustreg.rating.result import MetricResult, checklist

_STRUCTURE = ("structure", "fields", "splits")
_COLLECTION = ("collection", "curation", "source")
_LIMITS = ("limitation", "bias", "social")
_MIN_CARD_CHARS = 200
_LONG_CARD_CHARS = 1500
_CREDIBLE_DOWNLOADS = 1000
_CREDIBLE_LIKES = 10
# Declaring that the license is not known is not declaring a license.
_NO_LICENSE = {"unknown", "noassertion", "none", ""}


def _has_license(meta: dict) -> bool:
    return any(v.strip().lower() not in _NO_LICENSE for v in card.as_list(meta.get("license")))


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
            ("license", 0.1, _has_license(meta)),
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
            # A section counts only when filled in: templates ship "[More Information Needed]".
            ("structure section", 0.1, card.has_filled_section(text, _STRUCTURE)),
            ("collection section", 0.1, card.has_filled_section(text, _COLLECTION)),
            ("limitations section", 0.1, card.has_filled_section(text, _LIMITS)),
            ("credible usage", 0.1, credible),
        ]
    )


def compute(inputs: RatingInputs) -> MetricResult:
    """Average the per-dataset card scores; no named dataset scores 0 (absent, not judged)."""
    if not inputs.datasets:
        # Nothing named: the card is silent on data (dataset_and_code_score marks that down).
        return MetricResult(
            0.0,
            "no dataset named: nothing to assess (not judged by the gate)",
            {"datasets": []},
            absent=True,
        )
    per = {ds.name: dataset_score(ds) for ds in inputs.datasets}
    score = round(sum(s for s, _ in per.values()) / len(per), 4)
    missing = [name for name, (_, checks) in per.items() if checks.get("found") is False]
    reason = f"mean card quality over {len(per)} dataset(s)"
    if missing:
        reason += f"; not found: {', '.join(missing)}"
    evidence = {"datasets": {n: {"score": s, "checks": c} for n, (s, c) in per.items()}}
    return MetricResult(score, reason, evidence)
