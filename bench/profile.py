"""Profile one hot path with pyinstrument, in-process, on a throwaway PostgreSQL.

    python -m bench.profile read      # GET /artifacts/model/{id} through the real handler
    python -m bench.profile download  # GET /artifacts/model/{id}/download through the handler
    python -m bench.profile regex     # POST /artifact/byRegEx with a rare literal at 100k rows
    python -m bench.profile page      # POST /artifacts, a page of 100 of 1,000 artifacts
    python -m bench.profile audit     # GET .../audit?limit=100, a page of 100 entries
    python -m bench.profile gather    # gather + rate bert-base-uncased from the fake hub

Writes bench/results/profile-<case>.txt (not part of `make bench`).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench.common import RESULTS, Postgres, bench_env


def gather() -> Path:
    """Profile one gather + rate of bert-base-uncased against the fake hub."""
    bench_env()
    import os

    from pyinstrument import Profiler

    from bench.rating import one_rating
    from tests.fakehub.server import FakeHub
    from trustreg.config import reset_settings

    with FakeHub() as hub:
        os.environ.update(
            {
                "HF_ENDPOINT": hub.url,
                "GITHUB_API_URL": hub.github_api_url,
                "GITHUB_WEB_URL": hub.github_web_url,
                "ALLOWED_SOURCE_HOSTS": "127.0.0.1,localhost",
            }
        )
        reset_settings()
        one_rating(hub.url)
        profiler = Profiler(interval=0.001)
        profiler.start()
        one_rating(hub.url)
        profiler.stop()
    out = RESULTS / "profile-gather.txt"
    out.write_text(profiler.output_text(unicode=False, color=False))
    return out


def main(case: str, calls: int = 300) -> Path:
    """Seed, warm up, profile `calls` calls of the case, write the text report."""
    if case == "gather":
        return gather()
    bench_env()
    from pyinstrument import Profiler

    from bench.seed import bulk_artifacts, models_with_blobs, seed_admin
    from tests.support.api_client import ApiClient

    pg = Postgres()
    pg.start()
    try:
        url = pg.database(f"bench_profile_{case}")
        seed_admin()
        blob_dir = Path(tempfile.mkdtemp(prefix="bench-prof-blobs-"))
        import os

        os.environ["BLOB_DIR"] = str(blob_dir)
        from bench.common import use_database

        use_database(url)
        ids = models_with_blobs(url, blob_dir, 5)
        if case == "regex":
            bulk_artifacts(url, 100_000)
        if case == "page":
            bulk_artifacts(url, 1000)
        client = ApiClient()
        client.login()
        path, method, body = {
            "read": (f"/artifacts/model/{ids[0]}", "GET", None),
            "download": (f"/artifacts/model/{ids[0]}/download?format=json", "GET", None),
            "regex": ("/artifact/byRegEx", "POST", {"regex": "quantization-aware distil"}),
            "page": ("/artifacts", "POST", [{"name": "*"}]),
            "audit": (f"/artifact/model/{ids[0]}/audit?limit=100", "GET", None),
        }[case]
        for _ in range(5 if case != "audit" else 110):  # the audit: a trail of 100+ entries
            r = client.call(method, path, body)
            assert r.status == 200, (r.status, r.body)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(calls if case != "regex" else 10):
            client.call(method, path, body)
        profiler.stop()
        out = RESULTS / f"profile-{case}.txt"
        out.write_text(profiler.output_text(unicode=False, color=False))
        return out
    finally:
        from trustreg.db.engine import dispose_engine

        dispose_engine()
        pg.stop()


if __name__ == "__main__":
    print(main(sys.argv[1] if len(sys.argv) > 1 else "read"))
