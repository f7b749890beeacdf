"""Download workload: 100 concurrent clients, each asking for a model and fetching its bytes.

The registry holds 500 tiny LLM-shaped packages (config.json, tokenizer.json, README.md and a
256 KB model.safetensors in a zip) in the local blob folder, rows inserted by COPY. Each client
has its own token and, ROUNDS times, asks GET /artifacts/model/{id}/download?format=json for a
random model, then GETs the signed URL and checks the byte count. One download = both calls.

Baseline: the same workload against a server launched with BENCH_NO_AUDIT=1 (bench/serve.py
turns token-use counting, download-history rows and audit entries into no-ops in that process
only).
The two modes alternate PASSES times so machine load drifts over both alike.
"""

from __future__ import annotations

import os
import random
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import Http, Result, chart, local_server, login, run_threads, summary_ms

MODELS = 500
CLIENTS = int(os.environ.get("BENCH_DL_CLIENTS", "100"))
ROUNDS = int(os.environ.get("BENCH_DL_ROUNDS", "3"))
PASSES = int(os.environ.get("BENCH_DL_PASSES", "2"))


def workload(base: str, tokens: list[str], ids: list[str], sizes: dict[str, int]) -> dict[str, Any]:
    """Run CLIENTS threads x ROUNDS downloads; latencies (s), errors, wall time."""
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        rng = random.Random(i)
        http = Http(base, tokens[i])
        for _ in range(ROUNDS):
            aid = rng.choice(ids)
            t = time.perf_counter()
            try:
                status, grant = http.json("GET", f"/artifacts/model/{aid}/download?format=json")
                if status != 200:
                    raise RuntimeError(f"grant {status}: {grant}")
                signed = grant["url"].split("127.0.0.1:", 1)[1].split("/", 1)[1]
                status, _, raw = http.request("GET", "/" + signed, headers={"X-Authorization": ""})
                if status != 200 or len(raw) != sizes[aid]:
                    raise RuntimeError(f"blob {status}, {len(raw)} bytes")
                took = time.perf_counter() - t
                with lock:
                    lat.append(took)
            except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:200])
        http.close()

    wall = run_threads(len(tokens), client)
    return {"latencies": lat, "errors": errors, "wall_s": wall}


def run(ctx: Any) -> Result:
    """Audit on vs off, alternating; throughput, mean, median, p99 and errors of each."""
    from bench.seed import models_with_blobs, seed_admin

    pg = ctx.pg
    url = pg.database("bench_downloads")
    seed_admin()
    data_dir = Path(tempfile.mkdtemp(prefix="bench-dl-"))
    ids = models_with_blobs(url, data_dir / "blobs", MODELS)
    sizes = {
        aid: (data_dir / "blobs" / f"artifacts/model/{aid}/package.zip").stat().st_size
        for aid in ids
    }
    runs: dict[str, list[dict[str, Any]]] = {"audit": [], "no_audit": []}
    for _ in range(PASSES):
        for mode in ("no_audit", "audit"):
            env = {"BENCH_NO_AUDIT": "1" if mode == "no_audit" else "0"}
            with local_server(url, str(data_dir), env) as base:
                token = login(base)  # one login; tokens are per client below
                tokens = [token] + [login(base) for _ in range(CLIENTS - 1)]
                Http(base, token).request("GET", f"/artifacts/model/{ids[0]}/download?format=json")
                runs[mode].append(workload(base, tokens, ids, sizes))
    res = Result("downloads")
    stats: dict[str, dict[str, Any]] = {}
    for mode, passes in runs.items():
        lat = [x for p in passes for x in p["latencies"]]
        errors = [e for p in passes for e in p["errors"]]
        wall = sum(p["wall_s"] for p in passes)
        stats[mode] = {
            **summary_ms(lat),
            "throughput_per_s": round(len(lat) / wall, 1) if wall else 0.0,
            "errors": len(errors),
            "error_samples": errors[:5],
            "downloads": len(lat),
        }
    base_s, audit_s = stats["no_audit"], stats["audit"]
    for key, label in (
        ("throughput_per_s", "throughput /s"),
        ("mean_ms", "mean ms"),
        ("p50_ms", "median ms"),
        ("p99_ms", "p99 ms"),
    ):
        ratio = audit_s[key] / base_s[key] if base_s[key] else None
        res.row(
            f"{label} (audit on)", f"{audit_s[key]:.1f}", f"{base_s[key]:.1f} (audit off)", ratio
        )
    res.row(
        "errors",
        f"{audit_s['errors']} / {audit_s['downloads']}",
        f"{base_s['errors']} / {base_s['downloads']}",
        None,
        target="0",
        ok=audit_s["errors"] == 0 and base_s["errors"] == 0,
    )
    res.data = {
        "models": MODELS,
        "clients": CLIENTS,
        "rounds": ROUNDS,
        "passes": PASSES,
        "package_bytes_mean": round(sum(sizes.values()) / len(sizes)),
        "stats": stats,
    }

    def draw(ax: Any) -> None:
        keys = ["mean_ms", "p50_ms", "p99_ms"]
        xs = range(len(keys))
        ax.bar([x - 0.2 for x in xs], [base_s[k] for k in keys], 0.4, label="audit off (baseline)")
        ax.bar([x + 0.2 for x in xs], [audit_s[k] for k in keys], 0.4, label="audit on")
        ax.set_xticks(list(xs), ["mean", "median", "p99"])
        ax.set_ylabel("ms per download (grant + bytes)")
        ax.set_title(
            f"{CLIENTS} concurrent clients: {audit_s['throughput_per_s']}/s audited vs "
            f"{base_s['throughput_per_s']}/s not"
        )
        ax.legend()

    chart("downloads", draw)
    return res
