"""Given the runner, metrics run in parallel, are timed, fail softly and round-trip as JSON."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from trustreg.rating import runner
from trustreg.rating.inputs import RatingInputs
from trustreg.rating.record import Rating, model_rating
from trustreg.rating.result import MetricResult

CONTRACT_FIELDS = {"name", "category", "net_score", "net_score_latency"} | {
    f
    for m in (
        "ramp_up_time",
        "bus_factor",
        "performance_claims",
        "license",
        "dataset_and_code_score",
        "dataset_quality",
        "code_quality",
        "reproducibility",
        "reviewedness",
        "tree_score",
        "size_score",
    )
    for f in (m, f"{m}_latency")
}
SLEEP = 0.2


def _sleeper(windows: dict[str, tuple[float, float]], name: str, seconds: float = SLEEP):
    def metric(_: RatingInputs) -> MetricResult:
        start = time.perf_counter()
        time.sleep(seconds)
        windows[name] = (start, time.perf_counter())
        return MetricResult(0.5, "slept", {})

    return metric


def test_given_any_model_then_all_26_fields_exist_and_are_in_range(
    good: RatingInputs, bare: RatingInputs
) -> None:
    for inputs in (good, bare):
        out = model_rating(inputs.name, "model", runner.rate(inputs).scores())
        assert set(out) == CONTRACT_FIELDS and len(out) == 26
        for key, value in out.items():
            if key.endswith("_latency"):
                assert value >= 0.0
            elif key == "size_score":
                assert set(value) == {"raspberry_pi", "jetson_nano", "desktop_pc", "aws_server"}
                assert all(0.0 <= v <= 1.0 for v in value.values())
            elif key == "reviewedness":
                assert value == -1.0 or 0.0 <= value <= 1.0
            elif key not in ("name", "category"):
                assert 0.0 <= value <= 1.0, key


def test_given_three_slow_metrics_then_they_overlap_and_latency_is_measured(
    good: RatingInputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    windows: dict[str, tuple[float, float]] = {}
    for name in ("bus_factor", "license", "code_quality"):
        monkeypatch.setitem(runner.METRICS, name, _sleeper(windows, name))
    began = time.perf_counter()
    rating = runner.rate(good)
    wall = time.perf_counter() - began
    assert max(s for s, _ in windows.values()) < min(e for _, e in windows.values())
    assert wall < 3 * SLEEP  # sequential would take at least 0.6 s
    for name in windows:
        assert rating.metrics[name].latency >= SLEEP


def test_given_raising_metric_then_it_is_failed_and_others_survive(
    good: RatingInputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(_: RatingInputs) -> MetricResult:
        raise RuntimeError("upstream shape changed")

    monkeypatch.setitem(runner.METRICS, "ramp_up_time", boom)
    rating = runner.rate(good)
    assert rating.failed == {"ramp_up_time": "RuntimeError: upstream shape changed"}
    assert rating.score("ramp_up_time") == 0.0
    assert rating.score("license") == 1.0
    assert "ramp_up_time" in model_rating("m", "model", rating.scores())


def test_given_out_of_range_score_then_failed(
    good: RatingInputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(runner.METRICS, "license", lambda _: MetricResult(7.0, "bad", {}))
    assert "outside" in runner.rate(good).failed["license"]


def test_given_hanging_metric_then_timed_out_without_waiting(
    good: RatingInputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a user sees, whatever the scheduler did: a failed metric with a timeout reason, zero
    # scores, and a prompt answer. Whether the hung thread had started by the deadline depends
    # on machine load, so neither the suffix of the reason nor the latency is asserted exactly.
    release = threading.Event()
    monkeypatch.setitem(
        runner.METRICS, "size_score", lambda _: MetricResult(float(release.wait(5)), "late", {})
    )
    began = time.perf_counter()
    try:
        rating = runner.rate(good, timeout_s=0.1)
        elapsed = time.perf_counter() - began
    finally:
        release.set()
    assert rating.failed["size_score"].startswith("timed out after 0.1s")
    assert elapsed < 2.0  # the 5 s hang was not waited for
    assert 0.0 <= rating.metrics["size_score"].latency <= elapsed
    assert rating.score("size_score") == 0.0
    assert rating.metrics["size_score"].devices == dict.fromkeys(
        ("raspberry_pi", "jetson_nano", "desktop_pc", "aws_server"), 0.0
    )


def test_given_queued_metric_past_deadline_then_timed_out_before_it_started(
    good: RatingInputs,
) -> None:
    # One worker, held by a blocker: every metric waits in the queue past its deadline.
    release = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(release.wait, 5)
        try:
            rating = runner.rate(good, timeout_s=0.05, executor=pool)
        finally:
            release.set()
    assert rating.failed["license"] == "timed out after 0.05s before it started"
    assert rating.metrics["license"].latency == 0.0


def test_given_caller_executor_then_used_and_not_shut_down(good: RatingInputs) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        rating = runner.rate(good, executor=pool)
        assert pool.submit(lambda: 1).result() == 1
    assert not rating.failed


def test_given_rating_then_json_round_trips(good: RatingInputs) -> None:
    rating = runner.rate(good)
    assert Rating.from_json(rating.to_json()) == rating


def test_given_same_inputs_then_same_scores(good: RatingInputs) -> None:
    def scores(r: Rating) -> dict:
        return {
            k: v
            for k, v in model_rating("m", "model", r.scores()).items()
            if not k.endswith("_latency")
        }

    first, second = runner.rate(good), runner.rate(good)
    assert scores(first) == scores(second)
    assert {k: v["reason"] for k, v in first.explain().items()} == {
        k: v["reason"] for k, v in second.explain().items()
    }


def test_given_rating_then_explain_has_weight_and_latency(good: RatingInputs) -> None:
    explained = runner.rate(good).explain()
    assert explained["license"]["weight"] == pytest.approx(0.14)
    assert explained["net_score"]["weight"] is None
    assert explained["size_score"]["devices"]["aws_server"] == 1.0
    assert all({"score", "reason", "evidence", "latency"} <= set(e) for e in explained.values())
