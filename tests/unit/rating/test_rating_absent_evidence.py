"""Given evidence that does not exist (vs. exists and is poor), the score stays low with a reason
and only the gate stops judging it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from trustreg.rating import runner
from trustreg.rating.gate import gate_failures
from trustreg.rating.inputs import DatasetEvidence, RatingInputs
from trustreg.rating.metrics import bus_factor, code_quality, dataset_quality
from trustreg.rating.record import Rating

ABSENT_WITHOUT_CODE = ("bus_factor", "code_quality")


@pytest.mark.parametrize("metric", [bus_factor, code_quality])
def test_given_no_linked_code_when_rated_then_zero_absent_and_said(
    good: RatingInputs, metric
) -> None:
    result = metric.compute(replace(good, github=None, code_urls=()))
    assert result.score == 0.0 and result.absent
    assert "not judged by the gate" in result.reason


@pytest.mark.parametrize("metric", [bus_factor, code_quality])
def test_given_linked_code_that_could_not_be_read_then_zero_and_judged(
    good: RatingInputs, metric
) -> None:
    result = metric.compute(replace(good, github=None))  # code_urls still name the repository
    assert result.score == 0.0 and not result.absent
    assert "could not be read" in result.reason


def test_given_no_dataset_named_then_absent_but_missing_dataset_judged(good: RatingInputs) -> None:
    assert dataset_quality.compute(replace(good, datasets=())).absent
    missing = replace(good.datasets[0], found=False)
    result = dataset_quality.compute(replace(good, datasets=(missing,)))
    assert result.score == 0.0 and not result.absent


def test_given_model_without_code_or_data_then_gate_skips_only_absent_metrics(
    good: RatingInputs,
) -> None:
    rating = runner.rate(replace(good, github=None, code_urls=(), datasets=()))
    failures = gate_failures(rating, 0.5)
    assert not set(failures) & {*ABSENT_WITHOUT_CODE, "dataset_quality", "reviewedness"}
    for name in (*ABSENT_WITHOUT_CODE, "dataset_quality"):
        assert rating.score(name) == 0.0  # the rating still shows the low score
        assert rating.explain()[name]["gate"].startswith("not judged")


def test_given_absent_metric_then_it_still_counts_in_net_and_round_trips(
    good: RatingInputs,
) -> None:
    with_code = runner.rate(good)
    without = runner.rate(replace(good, github=None, code_urls=()))
    assert without.score("net_score") < with_code.score("net_score")
    assert Rating.from_json(without.to_json()) == without


def test_given_old_stored_rating_without_absent_then_it_loads(good: RatingInputs) -> None:
    text = runner.rate(good).to_json().replace(',"absent":false', "")
    assert all(not m.absent for m in Rating.from_json(text).metrics.values())


def test_given_placeholder_sections_then_they_do_not_count(good: RatingInputs) -> None:
    filled = good.datasets[0]
    hollow = replace(
        filled,
        card_text=filled.card_text.replace(
            "Skewed to electronics.", "[More Information Needed]"
        ).replace("x " * 700, ""),
    )
    checks = dataset_quality.dataset_score(hollow)[1]
    assert checks["limitations section"] is False and checks["structure section"] is True


def test_given_license_unknown_then_dataset_license_not_counted() -> None:
    ds = DatasetEvidence("d", card_metadata={"license": ["unknown"]}, found=True)
    assert dataset_quality.dataset_score(ds)[1]["license"] is False
