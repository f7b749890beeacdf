"""Rating: one full rating of bert-base-uncased against the fake hub, and 50 concurrent reads.

1. In-process: gather (`gather_hf`: info, card, config, files into a bundle, linked datasets
   and GitHub evidence from the fake hub on 127.0.0.1) then `runner.rate` (every metric in
   parallel). Baseline: the sum of the metrics' own latencies, i.e. what running them one after
   another would cost; the ratio sum/wall is the parallel speed-up. Median of REPEAT ratings.
2. Over HTTP: 50 clients (own tokens) call GET /artifact/model/{id}/rate at once, ROUNDS times
   each, against the same workload on GET /health (the no-op) on the same server.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
from typing import Any

from bench.common import Http, Result, chart, local_server, login, run_threads, summary_ms

REPEAT = int(os.environ.get("BENCH_RATE_REPEAT", "3"))
CLIENTS = 50
ROUNDS = int(os.environ.get("BENCH_RATE_ROUNDS", "4"))


def one_rating(hub_url: str) -> dict[str, Any]:
    """Gather + rate once; seconds of each phase and every metric's latency."""
    from trustreg.rating.runner import rate
    from trustreg.services.gather_hf import gather_hf
    from trustreg.sources.urls import parse_source_url

    ref = parse_source_url(f"{hub_url}/google-bert/bert-base-uncased", "model")
    with tempfile.TemporaryDirectory(prefix="bench-rate-") as workdir:
        t0 = time.perf_counter()
        _, inputs = gather_hf(ref, "model", "bert-base-uncased", workdir)
        t1 = time.perf_counter()
        assert inputs is not None
        rating = rate(inputs)
        t2 = time.perf_counter()
    lat = {k: m.latency for k, m in rating.metrics.items() if k != "net_score"}
    return {
        "gather_s": t1 - t0,
        "rate_wall_s": t2 - t1,
        "metric_sum_s": sum(lat.values()),
        "metrics_s": lat,
        "failed": dict(rating.failed),
    }


def concurrent(base: str, tokens: list[str], path: str) -> dict[str, Any]:
    """CLIENTS threads x ROUNDS GETs of `path`; latencies, errors, throughput."""
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        http = Http(base, tokens[i])
        for _ in range(ROUNDS):
            t = time.perf_counter()
            status, _, raw = http.request("GET", path)
            took = time.perf_counter() - t
            with lock:
                (lat.append(took) if status == 200 else errors.append(f"{status} {raw[:100]!r}"))
        http.close()

    wall = run_threads(len(tokens), client)
    return {**summary_ms(lat), "errors": len(errors), "throughput_per_s": round(len(lat) / wall, 1)}


def run(ctx: Any) -> Result:
    """Parallel speed-up of one rating; throughput of 50 concurrent rate reads vs the no-op."""
    from bench.seed import seed_admin
    from bench.warm_latency import ingest_bert
    from trustreg.config import reset_settings

    hub_env = ctx.hub_env()
    os.environ.update(hub_env)
    reset_settings()
    one_rating(ctx.hub.url)  # warm imports and the hub's caches
    ratings = [one_rating(ctx.hub.url) for _ in range(REPEAT)]
    med = {
        k: statistics.median(r[k] for r in ratings)
        for k in ("gather_s", "rate_wall_s", "metric_sum_s")
    }
    speedup = med["metric_sum_s"] / med["rate_wall_s"]

    url = ctx.pg.database("bench_rating")
    seed_admin()
    with local_server(url, tempfile.mkdtemp(prefix="bench-rate-srv-"), hub_env) as base:
        token = login(base)
        aid = ingest_bert(base, token, ctx.hub.url)
        tokens = [token] + [login(base) for _ in range(CLIENTS - 1)]
        rate_path = f"/artifact/model/{aid}/rate"
        noop = concurrent(base, tokens, "/health")
        reads = concurrent(base, tokens, rate_path)
        noop2 = concurrent(base, tokens, "/health")
    noop_tp = (noop["throughput_per_s"] + noop2["throughput_per_s"]) / 2
    res = Result("rating")
    res.row(
        "metric latencies summed vs rating wall (speed-up)",
        f"{med['metric_sum_s'] * 1000:.0f} ms summed",
        f"{med['rate_wall_s'] * 1000:.0f} ms wall",
        speedup,
    )
    res.row(
        "gather + rate (one full rating)",
        f"{(med['gather_s'] + med['rate_wall_s']) * 1000:.0f} ms",
        f"gather {med['gather_s'] * 1000:.0f} ms",
        None,
    )
    res.row(
        f"{CLIENTS} concurrent GET rate: throughput /s",
        f"{reads['throughput_per_s']}",
        f"{noop_tp:.1f} (GET /health)",
        reads["throughput_per_s"] / noop_tp,
    )
    res.row(
        f"{CLIENTS} concurrent GET rate: p50 / p99 ms",
        f"{reads['p50_ms']:.0f} / {reads['p99_ms']:.0f}",
        f"{noop['p50_ms']:.0f} / {noop['p99_ms']:.0f} (GET /health)",
        None,
        target="0 errors",
        ok=reads["errors"] == 0 and noop["errors"] == 0,
    )
    res.data = {
        "repeat": REPEAT,
        "median": med,
        "speedup": round(speedup, 2),
        "ratings": ratings,
        "concurrent": {"rate": reads, "health_before": noop, "health_after": noop2},
    }
    metrics = ratings[-1]["metrics_s"]

    def draw(ax: Any) -> None:
        names = sorted(metrics, key=metrics.get)  # type: ignore[arg-type]
        ax.barh(names, [metrics[n] * 1000 for n in names], color="tab:blue")
        ax.axvline(
            ratings[-1]["rate_wall_s"] * 1000,
            color="red",
            linestyle="--",
            label=f"rating wall {ratings[-1]['rate_wall_s'] * 1000:.0f} ms",
        )
        ax.set_xlabel("ms")
        ax.set_title(f"bert-base-uncased: metric latencies (speed-up {speedup:.1f}x)")
        ax.legend()

    chart("rating", draw, size=(8, 6))
    return res
