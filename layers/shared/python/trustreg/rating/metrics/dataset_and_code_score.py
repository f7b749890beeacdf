"""dataset_and_code_score: whether training data and example code are named, linked, documented."""

from __future__ import annotations

import re

from trustreg.rating import card
from trustreg.rating.inputs import RatingInputs
from trustreg.rating.result import MetricResult, checklist, describe

_DATASET_LINK = re.compile(
    r"huggingface\.co/datasets/|kaggle\.com/|zenodo\.org/|"
    r"paperswithcode\.com/dataset",
    re.IGNORECASE,
)
_DATA_HEADINGS = ("training data", "dataset", "data")
_CODE_LINK = re.compile(r"github\.com/|gitlab\.com/|colab\.research\.google\.com", re.IGNORECASE)


def compute(inputs: RatingInputs) -> MetricResult:
    """Score naming, linking and documenting of the training dataset and the example code."""
    text = inputs.card_text
    named_data = card.as_list(inputs.card_metadata.get("datasets")) or [
        d.name for d in inputs.datasets
    ]
    score, found = checklist(
        [
            ("dataset named", 0.25, bool(named_data)),
            (
                "dataset linked",
                0.15,
                any(d.found for d in inputs.datasets) or bool(_DATASET_LINK.search(text)),
            ),
            ("training data documented", 0.10, card.has_heading(text, _DATA_HEADINGS)),
            (
                "code named",
                0.25,
                bool(inputs.code_urls)
                or inputs.github is not None
                or bool(_CODE_LINK.search(text)),
            ),
            ("code repository resolved", 0.15, inputs.github is not None),
            ("usage code in card", 0.10, bool(card.code_blocks(text))),
        ]
    )
    evidence = {"checks": found, "datasets": named_data[:20], "code_urls": list(inputs.code_urls)}
    return MetricResult(score, "dataset and code: " + describe(found), evidence)
