"""The `upstream-sources` component: HuggingFace and GitHub success, failure and error rate."""

from __future__ import annotations

from urllib.parse import urlsplit

from trustreg.config import get_settings
from trustreg.db.repositories.health import HealthRepository
from trustreg.services.health_checks.report import Component, iso, rate
from trustreg.services.health_checks.window import Window, timeline

ERROR_RATE_DEGRADED = 0.20
MIN_CALLS_FOR_CRITICAL = 3


def _hosts(series_names: list[str]) -> list[str]:
    """The configured sources first, then any other host the clients reported."""
    s = get_settings()
    hosts = [urlsplit(s.hf_endpoint).netloc, urlsplit(s.github_api_url).netloc]
    for name in series_names:  # upstream:<host>:<outcome>; a host may hold a port's colon
        host = name.removeprefix("upstream:").rsplit(":", 1)[0]
        if host and host not in hosts:
            hosts.append(host)
    return [h for h in hosts if h]


def check(component: Component, repo: HealthRepository, window: Window) -> None:
    """Fill the upstream component from `upstream:<host>:ok` and `upstream:<host>:error`."""
    totals = repo.totals("upstream:", window.since)
    seen = repo.last_seen("upstream:")
    any_calls = False
    for host in _hosts(sorted(set(totals) | set(seen))):
        ok = totals.get(f"upstream:{host}:ok", (0, 0.0, 0.0))[0]
        err = totals.get(f"upstream:{host}:error", (0, 0.0, 0.0))[0]
        calls = ok + err
        any_calls = any_calls or calls > 0
        m = component.metrics
        m[f"{host}:calls"], m[f"{host}:errors"] = calls, err
        m[f"{host}:error_rate"] = rate(err, calls)
        if f"upstream:{host}:ok" in seen:
            m[f"{host}:last_success_at"] = iso(seen[f"upstream:{host}:ok"])
        if f"upstream:{host}:error" in seen:
            m[f"{host}:last_failure_at"] = iso(seen[f"upstream:{host}:error"])
        _judge(component, host, ok, err)
        component.timeline += [
            *timeline(repo, window, f"upstream:{host}:ok", f"{host}:ok", "count"),
            *timeline(repo, window, f"upstream:{host}:error", f"{host}:error", "count"),
        ]
    if not any_calls:
        component.flag(
            "unknown",
            "NO_UPSTREAM_CALLS",
            "info",
            "No calls to HuggingFace or GitHub were made in the window.",
        )


def _judge(component: Component, host: str, ok: int, err: int) -> None:
    calls = ok + err
    if calls == 0 or err == 0:
        return
    if ok == 0 and calls >= MIN_CALLS_FOR_CRITICAL:
        component.flag(
            "critical",
            "UPSTREAM_DOWN",
            "error",
            f"Every one of {calls} calls to {host} failed.",
            "Ingests from this source will fail; check its status page and our token.",
        )
    elif err / calls > ERROR_RATE_DEGRADED:
        component.flag(
            "degraded", "UPSTREAM_ERRORS", "warning", f"{err} of {calls} calls to {host} failed."
        )
