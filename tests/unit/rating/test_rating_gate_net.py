"""Given ratings, net_score renormalises its weights and the gate names what falls short."""

from __future__ import annotations

from dataclasses import replace

import pytest

from trustreg.rating import runner
from trustreg.rating.gate import gate_failures
from trustreg.rating.inputs import RatingInputs
from trustreg.rating.net_score import combine
from trustreg.rating.result import NOT_APPLICABLE, MetricResult
from trustreg.rating.weights import DEVICES, WEIGHTS


def test_weights_sum_to_one() -> None:
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)


def test_given_reviewedness_not_applicable_then_weights_renormalise() -> None:
    results = {
        n: MetricResult(1.0, "", {}, dict.fromkeys(DEVICES, 1.0) if n == "size_score" else None)
        for n in WEIGHTS
    }
    results["reviewedness"] = MetricResult(NOT_APPLICABLE, "", {})
    net = combine(results)
    assert net.score == pytest.approx(1.0)
    assert "reviewedness" in net.evidence["not_applicable"]


def test_given_size_devices_then_net_uses_their_mean() -> None:
    results = {n: MetricResult(0.0, "", {}) for n in WEIGHTS}
    results["size_score"] = MetricResult(
        0.0, "", {}, {"raspberry_pi": 0.0, "jetson_nano": 0.0, "desktop_pc": 1.0, "aws_server": 1.0}
    )
    assert combine(results).score == pytest.approx(WEIGHTS["size_score"] * 0.5, abs=1e-4)


def test_given_good_model_then_gate_passes(good: RatingInputs) -> None:
    assert gate_failures(runner.rate(good), 0.5) == {}


def test_given_bare_model_then_gate_lists_failures_with_scores(bare: RatingInputs) -> None:
    failures = gate_failures(runner.rate(bare), 0.5)
    assert failures["license"] == 0.0 and failures["net_score"] == 0.0
    assert "reviewedness" not in failures  # -1: not applicable


def test_given_huge_model_then_size_gated_on_best_device(huge: RatingInputs) -> None:
    assert "size_score" not in gate_failures(runner.rate(huge), 0.5)


def test_given_non_commercial_then_gate_fails_on_license(non_commercial: RatingInputs) -> None:
    assert gate_failures(runner.rate(non_commercial), 0.5) == {"license": 0.0}


def test_given_failed_metric_then_gate_fails_it(
    good: RatingInputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(_: RatingInputs) -> MetricResult:
        raise ValueError("x")

    monkeypatch.setitem(runner.METRICS, "reviewedness", boom)
    assert gate_failures(runner.rate(good), 0.5) == {"reviewedness": 0.0}


def test_given_no_parents_then_tree_score_never_blocks_gate_alone(good: RatingInputs) -> None:
    rating = runner.rate(replace(good, parent_net_scores=()))
    assert "tree_score" not in gate_failures(rating, rating.score("net_score"))
