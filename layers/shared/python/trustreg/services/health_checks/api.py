"""The `api` component: request, error and latency rates from the `req:`/`err4:`/`err5:` series."""

from __future__ import annotations

from trustreg.db.repositories.health import HealthRepository
from trustreg.services.health_checks.report import Component, rate
from trustreg.services.health_checks.window import Window, max_of, mean_of, sum_counts, timeline

ERROR_5XX_DEGRADED = 0.05
ERROR_5XX_CRITICAL = 0.25
# Below this many requests one unlucky 500 says little: a bad rate is at most `degraded`.
MIN_REQUESTS_FOR_CRITICAL = 10
MEAN_LATENCY_DEGRADED_MS = 3000.0
ERROR_4XX_NOTICE = 0.5


def check(component: Component, repo: HealthRepository, window: Window) -> None:
    """Fill the api component from the window's request series."""
    reqs = repo.totals("req:", window.since)
    err4 = sum_counts(repo.totals("err4:", window.since))
    err5 = sum_counts(repo.totals("err5:", window.since))
    total = sum_counts(reqs)
    latency_sum = sum(t for _, t, _ in reqs.values())
    mean_ms = round(latency_sum / total, 2) if total else 0.0
    m = component.metrics
    m.update(
        requests=total,
        errors_4xx=err4,
        errors_5xx=err5,
        error_rate_5xx=rate(err5, total),
        error_rate_4xx=rate(err4, total),
        requests_per_minute=round(total / window.minutes, 3),
        latency_mean_ms=mean_ms,
        latency_max_ms=round(max((x for _, _, x in reqs.values()), default=0.0), 2),
    )
    if reqs:
        busiest = max(reqs, key=lambda s: reqs[s][0])
        slowest = max(reqs, key=lambda s: reqs[s][1] / max(reqs[s][0], 1))
        m.update(
            busiest_function=busiest.removeprefix("req:"),
            slowest_function=slowest.removeprefix("req:"),
        )
    _judge(component, total, err4, err5, mean_ms)
    component.timeline = [
        *timeline(repo, window, "req:", "requests", "count"),
        *timeline(repo, window, "err4:", "errors_4xx", "count"),
        *timeline(repo, window, "err5:", "errors_5xx", "count"),
        *timeline(repo, window, "req:", "latency_mean_ms", "ms", mean_of),
        *timeline(repo, window, "req:", "latency_max_ms", "ms", max_of),
    ]


def _judge(component: Component, total: int, err4: int, err5: int, mean_ms: float) -> None:
    if total == 0:
        # This very request is being served, so the API is up; there is simply nothing to rate.
        component.flag("ok", "NO_TRAFFIC", "info", "No API requests were recorded in the window.")
        return
    share5 = err5 / total
    if share5 > ERROR_5XX_CRITICAL and total >= MIN_REQUESTS_FOR_CRITICAL:
        component.flag(
            "critical",
            "HIGH_5XX_RATE",
            "error",
            f"{share5:.0%} of {total} requests failed with a 5xx status.",
            "Open the function logs linked below and look for 'unhandled error'.",
        )
    elif share5 > ERROR_5XX_DEGRADED:
        component.flag(
            "degraded",
            "ELEVATED_5XX_RATE",
            "warning",
            f"{share5:.0%} of {total} requests failed with a 5xx status.",
            "Check the function logs linked below for the failing endpoint.",
        )
    if err4 / total > ERROR_4XX_NOTICE and total >= MIN_REQUESTS_FOR_CRITICAL:
        component.flag(
            "ok",
            "HIGH_4XX_RATE",
            "info",
            f"{err4 / total:.0%} of requests were refused with a 4xx status.",
            "Usually client mistakes or expired tokens; no action unless it persists.",
        )
    if mean_ms > MEAN_LATENCY_DEGRADED_MS:
        component.flag(
            "degraded",
            "HIGH_LATENCY",
            "warning",
            f"Mean response time is {mean_ms:.0f} ms.",
            "See slowest_function; API Gateway gives up at 29 s.",
        )
