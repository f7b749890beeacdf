"""The `rating-pipeline` component: ratings and failures, and the slowest metric, from series."""

from __future__ import annotations

from trustreg.db.repositories.health import HealthRepository
from trustreg.services.health_checks.report import Component, rate
from trustreg.services.health_checks.window import Window, mean_of, sum_counts, timeline

FAILURE_DEGRADED = 0.10
FAILURE_CRITICAL = 0.50
MIN_RATINGS_FOR_CRITICAL = 5
SLOW_METRIC_MS = 10_000.0
METRIC_PREFIX = "rating:metric:"


def check(component: Component, repo: HealthRepository, window: Window) -> None:
    """Fill the rating component from `rating:ok`, `rating:failed`, `rating:metric:<name>`."""
    ok = sum_counts(repo.totals("rating:ok", window.since))
    failed = sum_counts(repo.totals("rating:failed", window.since))
    per_metric = repo.totals(METRIC_PREFIX, window.since)
    total = ok + failed
    m = component.metrics
    m.update(ratings=total, ratings_ok=ok, ratings_failed=failed, failure_rate=rate(failed, total))
    slow_ms = 0.0
    if per_metric:
        slowest = max(per_metric, key=lambda s: per_metric[s][1] / max(per_metric[s][0], 1))
        count, latency_sum, worst = per_metric[slowest]
        slow_ms = latency_sum / max(count, 1)
        m.update(
            slowest_metric=slowest.removeprefix(METRIC_PREFIX),
            slowest_metric_mean_ms=round(slow_ms, 2),
            slowest_metric_max_ms=round(worst, 2),
        )
    component.timeline = [
        *timeline(repo, window, "rating:ok", "ratings_ok", "count"),
        *timeline(repo, window, "rating:failed", "ratings_failed", "count"),
        *timeline(repo, window, METRIC_PREFIX, "metric_mean_ms", "ms", mean_of),
    ]
    if total == 0:
        # No rating ran, so nothing shows whether one would succeed: say so rather than "ok".
        component.flag("unknown", "NO_RATINGS", "info", "No ratings ran in the window.")
        return
    share = failed / total
    if share > FAILURE_CRITICAL and total >= MIN_RATINGS_FOR_CRITICAL:
        component.flag(
            "critical",
            "RATING_FAILURES",
            "error",
            f"{failed} of {total} ratings failed.",
            "Check the ingest and rate function logs for the failing metric.",
        )
    elif share > FAILURE_DEGRADED:
        component.flag(
            "degraded", "RATING_FAILURES", "warning", f"{failed} of {total} ratings failed."
        )
    if slow_ms > SLOW_METRIC_MS:
        component.flag(
            "degraded",
            "SLOW_METRIC",
            "warning",
            f"Metric {m['slowest_metric']} takes {slow_ms:.0f} ms on average.",
        )
