"""Run the benchmarks, print one table of ratios against baselines, write bench/results/."""

from __future__ import annotations

import importlib
import json
import sys
import time
import traceback
from typing import Any

from bench.common import RESULTS, Postgres, Result, Row, bench_env

ORDER = ["cold_start", "warm_latency", "downloads", "search", "listing", "rating"]


class Context:
    """Shared, lazily started resources: one PostgreSQL cluster, one fake hub."""

    def __init__(self) -> None:
        self._pg: Postgres | None = None
        self._hub: Any = None

    @property
    def pg(self) -> Postgres:
        """The throwaway PostgreSQL cluster (started on first use)."""
        if self._pg is None:
            self._pg = Postgres()
            self._pg.start()
        return self._pg

    @property
    def hub(self) -> Any:
        """The fake HuggingFace/GitHub hub on 127.0.0.1 (started on first use)."""
        if self._hub is None:
            from tests.fakehub.server import FakeHub

            self._hub = FakeHub()
            self._hub.start()
        return self._hub

    def hub_env(self) -> dict[str, str]:
        """Settings that point the registry at the fake hub."""
        return {
            "HF_ENDPOINT": self.hub.url,
            "GITHUB_API_URL": self.hub.github_api_url,
            "GITHUB_WEB_URL": self.hub.github_web_url,
            "ALLOWED_SOURCE_HOSTS": "127.0.0.1,localhost",
        }

    def close(self) -> None:
        """Stop what was started."""
        if self._hub is not None:
            self._hub.stop()
        if self._pg is not None:
            self._pg.stop()


def _fmt_ratio(r: Row) -> str:
    return "" if r.ratio is None else f"{r.ratio:.2f}x"


def print_table(rows: list[Row]) -> str:
    """Print (and return) the table as Markdown."""
    head = "| bench | case | measured | baseline | ratio | target | ok |"
    lines = [head, "|---|---|---|---|---|---|---|"]
    for r in rows:
        ok = "" if r.ok is None else ("yes" if r.ok else "NO")
        lines.append(
            f"| {r.bench} | {r.case} | {r.value} | {r.baseline} | {_fmt_ratio(r)} "
            f"| {r.target} | {ok} |"
        )
    text = "\n".join(lines)
    print(text, flush=True)
    return text


def main(argv: list[str] | None = None) -> int:
    """Run the named benchmarks (all by default); non-zero exit only if one crashed."""
    bench_env()
    names = (argv if argv is not None else sys.argv[1:]) or ORDER
    ctx = Context()
    rows: list[Row] = []
    crashed: list[str] = []
    started = time.monotonic()
    try:
        for name in names:
            t0 = time.monotonic()
            print(f"== {name} ...", flush=True)
            try:
                module = importlib.import_module(f"bench.{name}")
                result: Result = module.run(ctx)
                result.data["bench_seconds"] = round(time.monotonic() - t0, 1)
                result.save()
                rows += result.rows
                print_table(result.rows)
            except Exception:
                traceback.print_exc()
                crashed.append(name)
            print(f"== {name} took {time.monotonic() - t0:.0f} s", flush=True)
    finally:
        ctx.close()
    total = time.monotonic() - started
    print(f"\n== all benchmarks ({total:.0f} s)")
    table = print_table(rows)
    if set(names) == set(ORDER):
        (RESULTS / "summary.md").write_text(table + "\n")
        (RESULTS / "summary.json").write_text(
            json.dumps({"seconds": round(total, 1), "rows": [r.__dict__ for r in rows]}, indent=2)
            + "\n"
        )
    if crashed:
        print(f"crashed: {', '.join(crashed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
