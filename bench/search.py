"""Search scaling: regex search over names and cards at 1k, 10k and 100k artifacts on PostgreSQL.

Rows (realistic names, 300-1200 character model cards) are bulk-inserted by COPY. Each size is
measured twice in the same run: without the pg_trgm GIN index of migration 0005 (dropped for
the baseline) and with it (re-created as the migration does). The search runs in-process
through `catalog.by_regex`, i.e. RE2 + the LIKE prefilter + batched keyset scan. Patterns:
- rare-card: a literal planted in 1 card out of 1000 (the prefilter's best case);
- name: a name prefix (literal `llama-7b-chat-`), about 1 name in 3,400;
- ignore-case: a case-insensitive pattern (its literal prefilters with ILIKE, which pg_trgm serves).
Reported: median latency per size, the growth factor 100k/1k, and the speed-up of the index.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

from bench.common import Result, chart, use_database

SIZES = [1_000, 10_000, 100_000]
REPEAT = int(os.environ.get("BENCH_SEARCH_REPEAT", "5"))
PATTERNS = {
    "rare-card": "quantization-aware\\s+distillation",
    "name": "^llama-7b-chat-",
    "ignore-case": "(?i)QUANTIZATION-AWARE distillation",
}
# Migration 0005's index, over the text `artifact_statements.searchable` builds.
INDEX = "ix_artifacts_text_trgm"
INDEX_DDL = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON artifacts USING gin "
    "((name || E'\\n' || readme) gin_trgm_ops) WITH (fastupdate = off)"
)
LISTING_DB = "bench_100k"  # the 100k database is reused by the listing benchmark


def _sql(url: str, *stmts: str) -> list[Any]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    out = []
    with engine.begin() as conn:
        for s in stmts:
            res = conn.execute(text(s))
            out.append(res.fetchall() if res.returns_rows else None)
    engine.dispose()
    return out


def drop_indexes(url: str) -> None:
    """Remove the trigram index (the 'before' state)."""
    _sql(url, f"DROP INDEX IF EXISTS {INDEX}")


def create_indexes(url: str) -> None:
    """Re-create it exactly as migration 0005 does, then ANALYZE."""
    _sql(
        url,
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        INDEX_DDL,
        f"ALTER INDEX {INDEX} ALTER COLUMN 1 SET STATISTICS 0",
        "ANALYZE artifacts",
    )


def search_once(pattern: str) -> tuple[float, int]:
    """(seconds, hits) of one catalog.by_regex call."""
    from trustreg.errors import NotFound
    from trustreg.services import catalog

    t = time.perf_counter()
    try:
        hits = len(catalog.by_regex(pattern))
    except NotFound:
        hits = 0
    return time.perf_counter() - t, hits


def measure(url: str) -> dict[str, dict[str, float]]:
    """Median seconds and hits per pattern (after one warm-up call)."""
    use_database(url)
    out = {}
    for label, pattern in PATTERNS.items():
        search_once(pattern)
        runs = [search_once(pattern) for _ in range(REPEAT)]
        out[label] = {"median_s": statistics.median(r[0] for r in runs), "hits": runs[-1][1]}
    return out


def plan(url: str) -> str:
    """EXPLAIN of the first prefiltered batch, to show which index the planner picked."""
    like = "%quantization-aware%"
    rows = _sql(
        url,
        "EXPLAIN SELECT seq, id, name, type, readme FROM artifacts WHERE (name LIKE "  # noqa: S608
        f"'{like}' OR readme LIKE '{like}') AND seq > 0 ORDER BY seq LIMIT 500",
    )[0]
    return "\n".join(r[0] for r in rows)


def run(ctx: Any) -> Result:
    """Seed each size, measure without then with the trigram indexes."""
    from bench.seed import bulk_artifacts

    pg = ctx.pg
    res = Result("search")
    data: dict[str, Any] = {"repeat": REPEAT, "patterns": PATTERNS, "sizes": {}}
    for n in SIZES:
        name = LISTING_DB if n == 100_000 else f"bench_search_{n}"
        url = pg.database(name)
        drop_indexes(url)
        bulk_artifacts(url, n)
        before = measure(url)
        plan_before = plan(url)
        t = time.perf_counter()
        create_indexes(url)
        build_s = time.perf_counter() - t
        after = measure(url)
        data["sizes"][n] = {
            "before": before,
            "after": after,
            "index_build_s": round(build_s, 2),
            "plan_before": plan_before,
            "plan_after": plan(url),
        }
    sizes = data["sizes"]
    for label in PATTERNS:
        for n in SIZES:
            b, a = sizes[n]["before"][label], sizes[n]["after"][label]
            res.row(
                f"{label} @ {n // 1000}k (hits {a['hits']})",
                f"{a['median_s'] * 1000:.1f} ms with trigram",
                f"{b['median_s'] * 1000:.1f} ms without",
                a["median_s"] / b["median_s"],
            )
        for state in ("before", "after"):
            small, big = sizes[SIZES[0]][state][label], sizes[SIZES[-1]][state][label]
            growth = big["median_s"] / small["median_s"]
            data.setdefault("growth", {}).setdefault(label, {})[state] = round(growth, 1)
        g = data["growth"][label]
        res.row(
            f"{label} growth 1k->100k",
            f"{g['after']}x with trigram",
            f"{g['before']}x without",
            None,
        )
    res.data = data

    def draw(ax: Any) -> None:
        for label in PATTERNS:
            for state, style in (("before", "--"), ("after", "-")):
                ys = [sizes[n][state][label]["median_s"] * 1000 for n in SIZES]
                tag = "without" if state == "before" else "with"
                ax.plot(SIZES, ys, style, marker="o", label=f"{label} ({tag} trigram)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("artifacts")
        ax.set_ylabel("median ms per search")
        ax.set_title("Regex search scaling on PostgreSQL")
        ax.legend(fontsize=7)

    chart("search", draw)
    return res
