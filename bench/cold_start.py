"""Cold start: import time of every function's handler in a fresh interpreter, against its baseline.

The baseline of a function is the import time of the bare libraries it truly needs to serve a
request, measured the same way in the same run:
- every function: Powertools `Logger` and `Metrics` (the observability singletons);
- a route that uses the database: + `sqlalchemy.orm`, the driver `psycopg2`, and `orjson`,
  which writes its JSON bodies (pages of rows; fix 18 in docs/performance.md);
- a route with blob access: + `boto3` (S3 in AWS);
- a route that fetches from HuggingFace/GitHub: + `requests`-free stdlib `http.client` and `ssl`;
- a route that takes a token (or issues one): + PyJWT;
- extras named in EXTRA_LIBS (RE2 for regex search, bcrypt for password checks, PyYAML for
  model cards, jwt for tokens...).
Baseline and handler runs are interleaved and timed in CPU time (time.process_time), so other
load on the machine does not skew the ratio; wall times are kept in the JSON too.
Target: no handler above 1.3x its own baseline; /health and /tracks import no sqlalchemy, boto3
or psycopg2 (checked in sys.modules after the import).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from typing import Any

from bench.common import ROOT, Result, chart, python_path

RUNS = int(os.environ.get("BENCH_COLD_RUNS", "5"))
TARGET = 1.3
POWERTOOLS = "from aws_lambda_powertools import Logger, Metrics"
HEAVY = ("sqlalchemy", "boto3", "botocore", "psycopg2", "re2", "bcrypt", "jwt", "yaml", "orjson")
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
t, c = time.perf_counter(), time.process_time()
spec = importlib.util.spec_from_file_location("fn_{fn}", {path!r})
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
w, c = time.perf_counter() - t, time.process_time() - c
print(json.dumps({{"s": w, "cpu": c, "mods": [k for k in {heavy!r} if k in sys.modules]}}))
"""
_LIBS_SNIPPET = """
import json, time
t, c = time.perf_counter(), time.process_time()
{stmts}
w, c = time.perf_counter() - t, time.process_time() - c
print(json.dumps({{"s": w, "cpu": c, "mods": []}}))
"""


def baseline_stmts(route: object) -> list[str]:
    """The import statements of the libraries a route truly needs."""
    stmts = [POWERTOOLS]
    if getattr(route, "uses_database", False):
        stmts += ["import sqlalchemy.orm", "import psycopg2", "import orjson"]
    if getattr(route, "blob_access", "none") != "none":
        stmts.append("import boto3")
    if getattr(route, "needs_internet", False):
        stmts += ["import http.client", "import ssl"]
    access = getattr(getattr(route, "access", None), "value", "public")
    fn = getattr(route, "function", "")
    if access != "public" or fn in ("authenticate", "user_login"):
        stmts.append("import jwt")  # every call verifies (or login issues) a JWT
    stmts += EXTRA_LIBS.get(fn, [])
    return stmts


def _run(code: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": python_path(), "PYTHONDONTWRITEBYTECODE": "0"}
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _pair(base_code: str, fn_code: str) -> dict[str, object]:
    """Interleave baseline and handler runs so machine load hits both alike; medians of each."""
    _run(base_code), _run(fn_code)  # warm .pyc and page caches (a Lambda layer is pre-compiled)
    base, fn = [], []
    for _ in range(RUNS):
        base.append(_run(base_code))
        fn.append(_run(fn_code))

    def med(samples: list[dict[str, object]], key: str) -> float:
        return statistics.median(float(s[key]) for s in samples)  # type: ignore[arg-type]

    return {
        "base_cpu": med(base, "cpu"),
        "base_wall": med(base, "s"),
        "fn_cpu": med(fn, "cpu"),
        "fn_wall": med(fn, "s"),
        "mods": list(fn[-1]["mods"]),  # type: ignore[call-overload]
    }


def run(ctx: Any = None) -> Result:
    """Measure every function in the route table against its baseline."""
    from trustreg.routes import ROUTES

    res = Result("cold_start")
    per_fn: dict[str, dict[str, object]] = {}
    for route in ROUTES:
        path = ROOT / "functions" / route.function / "handler.py"
        if not path.exists():
            continue
        stmts = baseline_stmts(route)
        m = _pair(
            _LIBS_SNIPPET.format(stmts="\n".join(stmts)),
            _HANDLER_SNIPPET.format(fn=route.function, path=str(path), heavy=HEAVY),
        )
        seconds, base, mods = float(m["fn_cpu"]), float(m["base_cpu"]), list(m["mods"])  # type: ignore[arg-type, call-overload]
        ratio = seconds / base
        light_ok = not {"sqlalchemy", "boto3", "psycopg2"} & set(mods)
        ok = ratio <= TARGET and (route.function not in MUST_STAY_LIGHT or light_ok)
        per_fn[route.function] = {
            "import_cpu_ms": round(seconds * 1000, 1),
            "baseline_cpu_ms": round(base * 1000, 1),
            "import_wall_ms": round(float(m["fn_wall"]) * 1000, 1),  # type: ignore[arg-type]
            "baseline_wall_ms": round(float(m["base_wall"]) * 1000, 1),  # type: ignore[arg-type]
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
            f"{seconds * 1000:.0f} ms CPU{extra}",
            f"{base * 1000:.0f} ms CPU",
            ratio,
            target=f"<= {TARGET}x",
            ok=ok,
        )
    res.data = {"runs": RUNS, "functions": per_fn}
    names = list(per_fn)

    def draw(ax: Any) -> None:
        xs = range(len(names))
        ax.bar(xs, [per_fn[n]["ratio"] for n in names], color="tab:blue")
        ax.axhline(TARGET, color="red", linestyle="--", label=f"target {TARGET}x")
        ax.set_xticks(list(xs), names, rotation=75, fontsize=7)
        ax.set_ylabel("handler import / baseline libraries")
        ax.set_title(
            f"Cold start: handler import time vs its libraries (CPU, median of {RUNS}, interleaved)"
        )
        ax.legend()

    chart("cold_start", draw, size=(11, 5))
    return res


if __name__ == "__main__":
    from bench.__main__ import main

    main(["cold_start"])
