"""Warm latency of the read endpoints over HTTP on PostgreSQL, against GET /health (the no-op).

One local server (every request through its real handler) on a throwaway PostgreSQL database
holding 1,000 bulk artifacts plus bert-base-uncased ingested from the fake hub (so rate, lineage
and cost have real data). One keep-alive client calls the endpoints round-robin, so load on the
machine hits every endpoint alike. GET /health runs the same server path (parse, endpoint
wrapper, Powertools, response) without a database or a token: the ratio is what the database
work and authentication add. Target: every DB-backed read within 3x the no-op at p50.
"""

from __future__ import annotations

import os
import tempfile
import time
from typing import Any

from bench.common import Http, Result, chart, local_server, login, summary_ms

# 600 rounds: at 150 the p50 ratios moved by up to 0.4x between back-to-back runs.
ROUNDS = int(os.environ.get("BENCH_WARM_ROUNDS", "600"))
TARGET = 3.0


def endpoints(aid: str) -> list[tuple[str, str, str, object]]:
    """(label, method, path, body) of every read endpoint; the first is the no-op."""
    return [
        ("GET /health (no-op)", "GET", "/health", None),
        ("GET /artifacts/{t}/{id}", "GET", f"/artifacts/model/{aid}", None),
        ("POST /artifacts", "POST", "/artifacts", [{"name": "bert-base-uncased"}]),
        ("POST /artifacts (page of 100)", "POST", "/artifacts", [{"name": "*"}]),
        ("GET byName", "GET", "/artifact/byName/bert-base-uncased", None),
        ("POST byRegEx", "POST", "/artifact/byRegEx", {"regex": "bert-base-unc"}),
        ("GET rate", "GET", f"/artifact/model/{aid}/rate", None),
        ("GET lineage", "GET", f"/artifact/model/{aid}/lineage", None),
        ("GET cost", "GET", f"/artifact/model/{aid}/cost", None),
        # A page of 100 like the listing's: every rate and audit call adds an entry, so an
        # unbounded page would grow with the rounds and measure the round count, not the read.
        ("GET audit (page of 100)", "GET", f"/artifact/model/{aid}/audit?limit=100", None),
    ]


def measure(base_url: str, token: str, aid: str, rounds: int) -> dict[str, list[float]]:
    """Round-robin timings (seconds) per endpoint label; every answer must be 200."""
    client = Http(base_url, token)
    eps = endpoints(aid)
    times: dict[str, list[float]] = {label: [] for label, *_ in eps}
    for label, method, path, body in eps:  # warm every handler module first
        status, _, raw = client.request(method, path, body)
        if status != 200:
            raise RuntimeError(f"{label}: {status} {raw[:300]!r}")
    for _ in range(rounds):
        for label, method, path, body in eps:
            t = time.perf_counter()
            status, _, raw = client.request(method, path, body)
            times[label].append(time.perf_counter() - t)
            if status != 200:
                raise RuntimeError(f"{label}: {status} {raw[:300]!r}")
    client.close()
    return times


def ingest_bert(base_url: str, token: str, hub_url: str) -> str:
    """POST /artifact/model for the fake hub's bert-base-uncased; returns its id."""
    status, body = Http(base_url, token).json(
        "POST", "/artifact/model", {"url": f"{hub_url}/google-bert/bert-base-uncased"}
    )
    if status != 201:
        raise RuntimeError(f"ingest failed: {status} {body}")
    return str(body["metadata"]["id"])


def run(ctx: Any) -> Result:
    """Measure p50/p99 of each read endpoint against the no-op."""
    from bench.seed import bulk_artifacts, seed_admin

    pg = ctx.pg
    url = pg.database("bench_warm")
    seed_admin()
    bulk_artifacts(url, 1000, seed=3)
    data_dir = tempfile.mkdtemp(prefix="bench-warm-")
    with local_server(url, data_dir, ctx.hub_env()) as base:
        token = login(base)
        aid = ingest_bert(base, token, ctx.hub.url)
        times = measure(base, token, aid, ROUNDS)
    res = Result("warm_latency")
    stats = {label: summary_ms(v) for label, v in times.items()}
    noop = stats["GET /health (no-op)"]
    for label, s in stats.items():
        ratio = s["p50_ms"] / noop["p50_ms"]
        is_noop = label.startswith("GET /health")
        res.row(
            label,
            f"p50 {s['p50_ms']:.1f} ms, p99 {s['p99_ms']:.1f} ms",
            f"p50 {noop['p50_ms']:.1f} ms, p99 {noop['p99_ms']:.1f} ms",
            ratio,
            target="" if is_noop else f"p50 <= {TARGET}x",
            ok=None if is_noop else ratio <= TARGET,
        )
    res.data = {"rounds": ROUNDS, "stats": stats, "noop": "GET /health"}
    labels = list(stats)

    def draw(ax: Any) -> None:
        xs = range(len(labels))
        ax.bar([x - 0.2 for x in xs], [stats[k]["p50_ms"] for k in labels], 0.4, label="p50")
        ax.bar([x + 0.2 for x in xs], [stats[k]["p99_ms"] for k in labels], 0.4, label="p99")
        ax.axhline(noop["p50_ms"] * TARGET, color="red", linestyle="--", label="3x no-op p50")
        ax.set_xticks(list(xs), labels, rotation=40, ha="right", fontsize=8)
        ax.set_ylabel("ms")
        ax.set_title(f"Warm latency over HTTP on PostgreSQL ({ROUNDS} rounds)")
        ax.legend()

    chart("warm_latency", draw, size=(10, 5))
    return res
