"""Cold start: import time of every function's handler in a fresh interpreter, against its baseline.

The baseline of a function is the import time of the bare libraries it truly needs to serve a
request, measured the same way in the same run:
- every function: Powertools `Logger` and `Metrics` (the observability singletons);
- a route that uses the database: + `sqlalchemy.orm` and the driver `psycopg2`;
- a route with blob access: + `boto3` (S3 in AWS);
- a route that fetches from HuggingFace/GitHub: + `requests`-free stdlib `http.client` and `ssl`;
- extras named in EXTRA_LIBS (RE2 for regex search, bcrypt for password checks, PyYAML for
  model cards, jwt for tokens...).
Target: no handler above 1.3x its own baseline; /health and /tracks import no sqlalchemy, boto3
or psycopg2 (checked in sys.modules after the import).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

from bench.common import ROOT, Result, chart, python_path

RUNS = int(os.environ.get("BENCH_COLD_RUNS", "5"))
TARGET = 1.3
POWERTOOLS = "from aws_lambda_powertools import Logger, Metrics"
HEAVY = ("sqlalchemy", "boto3", "botocore", "psycopg2", "re2", "bcrypt", "jwt", "yaml")
# Libraries a route needs beyond what its Route flags say (import statements).
EXTRA_LIBS: dict[str, list[str]] = {
    "artifact_by_regex": ["import re2"],
    "authenticate": ["import bcrypt"],
    "user_login": ["import bcrypt"],
    "user_register": ["import bcrypt"],
    "registry_reset": ["import bcrypt"],
}
MUST_STAY_LIGHT = ("health", "tracks")

_HANDLER_SNIPPET = """
import importlib.util, json, sys, time
t = time.perf_counter()
spec = importlib.util.spec_from_file_location("fn_{fn}", {path!r})
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
d = time.perf_counter() - t
print(json.dumps({{"s": d, "mods": [k for k in {heavy!r} if k in sys.modules]}}))
"""
_LIBS_SNIPPET = """
import json, time
t = time.perf_counter()
{stmts}
print(json.dumps({{"s": time.perf_counter() - t, "mods": []}}))
"""


def baseline_stmts(route: object) -> list[str]:
    """The import statements of the libraries a route truly needs."""
    stmts = [POWERTOOLS]
    if getattr(route, "uses_database", False):
        stmts += ["import sqlalchemy.orm", "import psycopg2"]
    if getattr(route, "blob_access", "none") != "none":
        stmts.append("import boto3")
    if getattr(route, "needs_internet", False):
        stmts += ["import http.client", "import ssl"]
    stmts += EXTRA_LIBS.get(getattr(route, "function", ""), [])
    return stmts


def _run(code: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": python_path(), "PYTHONDONTWRITEBYTECODE": "0"}
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _median(code: str) -> tuple[float, list[str]]:
    _run(code)  # warm the .pyc and page caches; a Lambda's layer is pre-compiled too
    samples = [_run(code) for _ in range(RUNS)]
    return statistics.median(float(s["s"]) for s in samples), list(samples[-1]["mods"])  # type: ignore[arg-type]


def run(ctx: object = None) -> Result:
    """Measure every function in the route table against its baseline."""
    from trustreg.routes import ROUTES

    res = Result("cold_start")
    baselines: dict[tuple[str, ...], float] = {}
    per_fn: dict[str, dict[str, object]] = {}
    for route in ROUTES:
        path = ROOT / "functions" / route.function / "handler.py"
        if not path.exists():
            continue
        stmts = tuple(baseline_stmts(route))
        if stmts not in baselines:
            baselines[stmts] = _median(_LIBS_SNIPPET.format(stmts="\n".join(stmts)))[0]
        seconds, mods = _median(_HANDLER_SNIPPET.format(fn=route.function, path=str(path), heavy=HEAVY))
        base = baselines[stmts]
        ratio = seconds / base
        light_ok = not {"sqlalchemy", "boto3", "psycopg2"} & set(mods)
        ok = ratio <= TARGET and (route.function not in MUST_STAY_LIGHT or light_ok)
        per_fn[route.function] = {
            "import_ms": round(seconds * 1000, 1),
            "baseline_ms": round(base * 1000, 1),
            "baseline_libs": list(stmts),
            "ratio": round(ratio, 2),
            "heavy_modules_after_import": mods,
            "ok": ok,
        }
        extra = ""
        if route.function in MUST_STAY_LIGHT:
            extra = " (no sqlalchemy/boto3/psycopg2)" if light_ok else f" (imports {mods})"
        res.row(
            route.function,
            f"{seconds * 1000:.0f} ms{extra}",
            f"{base * 1000:.0f} ms",
            ratio,
            target=f"<= {TARGET}x",
            ok=ok,
        )
    res.data = {"runs": RUNS, "functions": per_fn}
    names = list(per_fn)

    def draw(ax: object) -> None:
        xs = range(len(names))
        ax.bar(xs, [per_fn[n]["ratio"] for n in names], color="tab:blue")  # type: ignore[attr-defined]
        ax.axhline(TARGET, color="red", linestyle="--", label=f"target {TARGET}x")  # type: ignore[attr-defined]
        ax.set_xticks(list(xs), names, rotation=75, fontsize=7)  # type: ignore[attr-defined]
        ax.set_ylabel("handler import / baseline libraries")  # type: ignore[attr-defined]
        ax.set_title(f"Cold start: handler import time vs its libraries (median of {RUNS})")  # type: ignore[attr-defined]
        ax.legend()  # type: ignore[attr-defined]

    chart("cold_start", draw, size=(11, 5))
    return res


if __name__ == "__main__":
    from bench.__main__ import main

    main(["cold_start"])
