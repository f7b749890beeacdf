"""On PostgreSQL, a regex search with a literal is answered from migration 0005's trigram index.

The index only serves the search while the statement's text expression is the one the index was
built on; change either alone and every search reads every card again, with no test failing
except this one.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import insert, text

from trustreg.db.engine import get_engine
from trustreg.db.models import Artifact, table_of
from trustreg.db.repositories import artifact_statements as stmts

WORDS = [
    "weights",
    "tokenizer",
    "corpus",
    "license",
    "evaluation",
    "accuracy",
    "latency",
    "memory",
    "batch",
    "epochs",
]


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_given_a_thousand_cards_when_searching_a_literal_then_postgres_reads_the_index(database):
    rng = random.Random(3)
    rows = [
        {
            "id": f"{i:024x}",
            "name": f"model-{i}",
            "type": "model",
            "source_url": f"https://example.org/model-{i}",
            "source_kind": "reference",
            "readme": f"# model-{i}\n" + " ".join(rng.choice(WORDS) for _ in range(120)),
            "details": {},
        }
        for i in range(1000)
    ]
    with get_engine().begin() as conn:
        conn.execute(insert(table_of(Artifact)), rows)
        conn.execute(text("ANALYZE artifacts"))
        plans = []
        for ignore_case in (False, True):  # LIKE, and ILIKE for (?i) patterns
            compiled = stmts.scan(True, ignore_case).compile(dialect=conn.dialect)
            params = {**compiled.params, "like": "%model-742%", "after": 0, "limit": 500}
            explained = conn.exec_driver_sql("EXPLAIN " + compiled.string, params)
            plans.append("\n".join(r[0] for r in explained))
        options, targets = conn.execute(
            text(
                "SELECT c.reloptions, array_agg(a.attstattarget) FROM pg_class c"
                " JOIN pg_attribute a ON a.attrelid = c.oid"
                " WHERE c.relname = 'ix_artifacts_text_trgm' GROUP BY c.reloptions"
            )
        ).one()
    for plan in plans:
        assert "ix_artifacts_text_trgm" in plan, plan
    # New cards go into the index as they are written, not into a list every search reads.
    assert "fastupdate=off" in options
    # No statistics on the joined text: planning a search stays cheap (migration 0005).
    assert targets == [0]
