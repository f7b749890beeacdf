"""Run every metric in parallel with a per-metric timeout, then combine them into net_score."""

from __future__ import annotations

import time
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ThreadPoolExecutor, wait

from trustreg.rating.inputs import RatingInputs
from trustreg.rating.metrics import METRICS, MetricFn
from trustreg.rating.net_score import combine, resolve_tree_score
from trustreg.rating.record import NET, MetricOutcome, Rating
from trustreg.rating.result import NOT_APPLICABLE, MetricResult
from trustreg.rating.weights import DEVICES


class _Clock:
    """Start/end times each worker records for itself, so latency excludes queueing."""

    def __init__(self) -> None:
        self.start: dict[str, float] = {}
        self.end: dict[str, float] = {}

    def run(self, name: str, fn: MetricFn, inputs: RatingInputs) -> MetricResult:
        self.start[name] = time.perf_counter()
        try:
            return fn(inputs)
        finally:
            self.end[name] = time.perf_counter()


def _check(result: object) -> MetricResult:
    if not isinstance(result, MetricResult):
        raise TypeError(f"metric returned {type(result).__name__}, not MetricResult")
    if result.score != NOT_APPLICABLE and not 0.0 <= result.score <= 1.0:
        raise ValueError(f"score {result.score} outside [0, 1]")
    return result


def _collect(
    futures: dict[Future[MetricResult], str], clock: _Clock, submitted: float, timeout_s: float
) -> tuple[dict[str, MetricResult], dict[str, str]]:
    results: dict[str, MetricResult] = {}
    failed: dict[str, str] = {}
    pending = set(futures)
    while pending:
        now = time.perf_counter()
        # A running metric gets timeout_s from its own start; a queued one from submission.
        deadline = {f: clock.start.get(futures[f], submitted) + timeout_s for f in pending}
        for f in [f for f in pending if deadline[f] <= now and not f.done()]:
            pending.discard(f)
            f.cancel()
            started = futures[f] in clock.start
            # Both are timeouts to the user; the suffix only says whether it ever got a thread.
            failed[futures[f]] = f"timed out after {timeout_s:g}s" + (
                "" if started else " before it started"
            )
        if pending:
            done, pending = wait(
                pending,
                timeout=max(0.0, min(deadline[f] for f in pending) - now),
                return_when=FIRST_COMPLETED,
            )
            for f in done:
                try:
                    results[futures[f]] = _check(f.result())
                except Exception as exc:  # noqa: BLE001 - any metric bug must not sink the rating
                    failed[futures[f]] = f"{type(exc).__name__}: {exc}"
    return results, failed


def _latency(name: str, clock: _Clock) -> float:
    start = clock.start.get(name)
    if start is None:
        return 0.0  # never started: it took no time of its own
    # A timed-out metric is still running: its latency so far is what it cost the rating.
    return clock.end.get(name, time.perf_counter()) - start


def rate(
    inputs: RatingInputs, *, timeout_s: float = 20.0, executor: Executor | None = None
) -> Rating:
    """Compute every metric in parallel, then net_score; failures land in Rating.failed."""
    pool = executor or ThreadPoolExecutor(max_workers=len(METRICS), thread_name_prefix="metric")
    clock = _Clock()
    began = time.perf_counter()
    futures = {pool.submit(clock.run, name, fn, inputs): name for name, fn in METRICS.items()}
    try:
        results, failed = _collect(futures, clock, began, timeout_s)
    finally:
        if executor is None:
            # Never wait: a hung metric's thread cannot be killed, only abandoned.
            pool.shutdown(wait=False, cancel_futures=True)
    latencies = {name: _latency(name, clock) for name in METRICS}
    combine_start = time.perf_counter()
    resolve_tree_score(results)
    net = combine(results)
    net_latency = time.perf_counter() - combine_start
    net = MetricResult(
        net.score,
        net.reason,
        {**net.evidence, "rating_wall_s": round(time.perf_counter() - began, 6)},
    )
    outcomes = {NET: MetricOutcome(net.score, net.reason, net.evidence, net_latency)}
    for name in METRICS:
        r = results.get(name) or MetricResult(
            0.0,
            f"failed: {failed[name]}",
            {"failed": True},
            dict.fromkeys(DEVICES, 0.0) if name == "size_score" else None,
        )
        outcomes[name] = MetricOutcome(
            r.score, r.reason, r.evidence, latencies[name], r.devices, r.absent
        )
    return Rating(metrics=outcomes, failed=failed)
