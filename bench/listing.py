"""Listing: deep pages of POST /artifacts at 100k artifacts (keyset) against a naive OFFSET query.

Over HTTP through the real handler: page 1 (no offset) against the page after seq 99,000 (the
`offset` header value a client would follow ~990 pages deep), 100 artifacts a page. Then the
same two positions as SQL: the keyset query the repository runs (`seq > :after ORDER BY seq
LIMIT 101`) against the naive `ORDER BY seq LIMIT 101 OFFSET 99000`, the baseline whose cost
grows with depth. Reuses the 100k database of the search benchmark when it exists.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from typing import Any

from bench.common import Http, Result, chart, local_server, login

N = 100_000
DEEP = 99_000
REPEAT = int(os.environ.get("BENCH_LIST_REPEAT", "30"))


def _ensure_db(ctx: Any) -> str:
    from sqlalchemy import create_engine, text

    from bench.search import LISTING_DB
    from bench.seed import bulk_artifacts, seed_admin

    pg = ctx.pg
    url = pg.database(LISTING_DB, fresh=False)
    engine = create_engine(url)
    with engine.connect() as conn:
        count = int(conn.scalar(text("SELECT count(*) FROM artifacts")) or 0)
    engine.dispose()
    if count < N:
        url = pg.database(LISTING_DB)
        bulk_artifacts(url, N)
    seed_admin()
    return url


def _sql_times(url: str) -> dict[str, list[float]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    cols = "seq, id, name, type"
    queries = {
        "keyset page 1": f"SELECT {cols} FROM artifacts WHERE seq > 0 ORDER BY seq LIMIT 101",  # noqa: S608
        "keyset deep": f"SELECT {cols} FROM artifacts WHERE seq > {DEEP} ORDER BY seq LIMIT 101",  # noqa: S608
        "OFFSET page 1": f"SELECT {cols} FROM artifacts ORDER BY seq LIMIT 101 OFFSET 0",  # noqa: S608
        "OFFSET deep": f"SELECT {cols} FROM artifacts ORDER BY seq LIMIT 101 OFFSET {DEEP}",  # noqa: S608
    }
    times: dict[str, list[float]] = {k: [] for k in queries}
    with engine.connect() as conn:
        for q in queries.values():
            conn.execute(text(q)).fetchall()
        for _ in range(REPEAT):
            for k, q in queries.items():
                t = time.perf_counter()
                conn.execute(text(q)).fetchall()
                times[k].append(time.perf_counter() - t)
    engine.dispose()
    return times


def run(ctx: Any) -> Result:
    """Page 1 vs a page ~99k deep, over HTTP and in SQL (keyset vs OFFSET)."""
    url = _ensure_db(ctx)
    http_times: dict[str, list[float]] = {"page 1": [], "deep page": []}
    with local_server(url, tempfile.mkdtemp(prefix="bench-list-")) as base:
        client = Http(base, login(base))
        paths = {"page 1": "/artifacts", "deep page": f"/artifacts?offset={DEEP}"}
        first = {}
        for k, p in paths.items():
            status, body = client.json("POST", p, [{"name": "*"}])
            if status != 200 or len(body) != 100:
                raise RuntimeError(f"{k}: {status} {str(body)[:200]}")
            first[k] = body[0]["name"]
        for _ in range(REPEAT):
            for k, p in paths.items():
                t = time.perf_counter()
                client.request("POST", p, [{"name": "*"}])
                http_times[k].append(time.perf_counter() - t)
        client.close()
    sql_times = _sql_times(url)
    med = {k: statistics.median(v) * 1000 for k, v in {**http_times, **sql_times}.items()}
    res = Result("listing")
    res.row(
        "HTTP deep page (offset 99000) vs page 1",
        f"{med['deep page']:.1f} ms",
        f"{med['page 1']:.1f} ms",
        med["deep page"] / med["page 1"],
        target="~1x (flat)",
        ok=med["deep page"] / med["page 1"] < 1.5,
    )
    res.row(
        "SQL keyset deep vs keyset page 1",
        f"{med['keyset deep']:.2f} ms",
        f"{med['keyset page 1']:.2f} ms",
        med["keyset deep"] / med["keyset page 1"],
    )
    res.row(
        "SQL OFFSET deep vs OFFSET page 1",
        f"{med['OFFSET deep']:.2f} ms",
        f"{med['OFFSET page 1']:.2f} ms",
        med["OFFSET deep"] / med["OFFSET page 1"],
    )
    res.row(
        "SQL keyset deep vs OFFSET deep (baseline)",
        f"{med['keyset deep']:.2f} ms",
        f"{med['OFFSET deep']:.2f} ms",
        med["keyset deep"] / med["OFFSET deep"],
    )
    res.data = {
        "artifacts": N,
        "deep_offset": DEEP,
        "repeat": REPEAT,
        "median_ms": {k: round(v, 3) for k, v in med.items()},
        "first_names": first,
    }

    def draw(ax: Any) -> None:
        keys = [
            "page 1",
            "deep page",
            "keyset page 1",
            "keyset deep",
            "OFFSET page 1",
            "OFFSET deep",
        ]
        ax.bar(
            range(len(keys)),
            [med[k] for k in keys],
            color=["tab:blue"] * 2 + ["tab:green"] * 2 + ["tab:red"] * 2,
        )
        ax.set_xticks(
            range(len(keys)),
            [
                "HTTP p1",
                "HTTP 99k",
                "keyset p1",
                "keyset 99k",
                "OFFSET p1",
                "OFFSET 99k",
            ],
        )
        ax.set_ylabel("median ms")
        ax.set_title(f"Listing at {N // 1000}k artifacts: page 1 vs 99k deep")

    chart("listing", draw)
    return res
