"""Given contributor histories and card results, bus_factor and performance_claims follow the
documented curves."""

from __future__ import annotations

from dataclasses import replace

import pytest

from trustreg.rating.inputs import GitHubEvidence, RatingInputs
from trustreg.rating.metrics import bus_factor, performance_claims


@pytest.mark.parametrize(
    ("commits", "expected"),
    [
        ([14], 0.25),  # a single author
        ([90, 20, 12, 4, 2], 0.5),  # one lead, others wrote 30 % (google-research/bert)
        ([25, 18, 6], 0.5),  # one person covers half, a strong second
        ([30, 25, 22, 20, 18, 15], 0.875),  # three people cover half
        ([10, 10, 10, 10, 10, 10, 10, 10], 0.9375),  # four
    ],
)
def test_given_commit_shares_when_bus_factor_then_documented_curve(
    good: RatingInputs, commits: list[int], expected: float
) -> None:
    people = tuple({"login": f"u{i}", "contributions": n} for i, n in enumerate(commits))
    gh = GitHubEvidence("o", "r", contributors=people)
    assert bus_factor.compute(replace(good, github=gh)).score == pytest.approx(expected)


def test_given_results_stated_in_prose_then_reported(good: RatingInputs) -> None:
    text = (
        "## Evaluation\n\nOn the SQuAD v1.1 dev set the model reaches an F1 score of 86.9 "
        "and an exact match of 79.1.\n"
    )
    result = performance_claims.compute(replace(good, card_text=text, card_metadata={}))
    assert result.evidence["stated_results"] == ["F1 86.9", "exact match 79.1"]
    assert result.score == pytest.approx(0.6)  # reported + results section; no citation


def test_given_numbers_outside_results_sections_then_not_reported(good: RatingInputs) -> None:
    text = "## Model description\n\nAbout 0.5% more accurate (top-1) than v1.\n"
    result = performance_claims.compute(replace(good, card_text=text, card_metadata={}))
    assert result.score == 0.0


def test_given_glue_task_table_then_benchmark_table(good: RatingInputs) -> None:
    text = "| Task | MNLI | QQP | SST-2 |\n|---|---|---|---|\n| | 82.2 | 88.5 | 91.3 |\n"
    result = performance_claims.compute(replace(good, card_text=text, card_metadata={}))
    assert result.evidence["benchmark_tables"] == 1 and result.evidence["result_count"] == 3
