"""Given a version query, When matched against versions, Then npm-style semantics hold."""

from __future__ import annotations

import pytest

from trustreg.errors import BadRequest
from trustreg.search.versions import normalize_version, parse_version_query

_TABLE = [
    # query, versions that match, versions that do not
    ("1.2.3", ["1.2.3", "v1.2.3", "1.2.3 "], ["1.2.4", "1.2", "main"]),
    ("1.2", ["1.2.0", "1.2"], ["1.2.1"]),
    ("v2", ["2.0.0"], ["2.0.1"]),
    ("1.2.3-2.1.0", ["1.2.3", "1.9.99", "2.1.0", "v2"], ["1.2.2", "2.1.1", "3"]),
    ("v1.0 - v1.5", ["1.0.0", "1.5.0"], ["1.5.1", "0.9"]),
    ("~1.2.0", ["1.2.0", "1.2.9"], ["1.3.0", "1.1.9"]),
    ("~1.2.3", ["1.2.3", "1.2.10"], ["1.2.2", "1.3.0"]),
    ("~1", ["1.0.0", "1.99.9"], ["2.0.0", "0.9.9"]),
    ("^1.2.0", ["1.2.0", "1.9.9"], ["2.0.0", "1.1.9"]),
    ("^0.2.3", ["0.2.3", "0.2.99"], ["0.3.0", "0.2.2"]),
    ("^0.0.3", ["0.0.3"], ["0.0.4", "0.0.2"]),
    ("^0.0", ["0.0.0", "0.0.9"], ["0.1.0"]),
    ("^0", ["0.0.0", "0.99.0"], ["1.0.0"]),
    ("^v1", ["1.0.0", "1.5.2"], ["2.0.0"]),
]


@pytest.mark.parametrize(("query", "hits", "misses"), _TABLE)
def test_version_query_table(query: str, hits: list[str], misses: list[str]) -> None:
    parsed = parse_version_query(query)
    assert [v for v in hits if not parsed.matches(v)] == []
    assert [v for v in misses if parsed.matches(v)] == []


@pytest.mark.parametrize(
    "query",
    ["", "   ", "latest", "1.2.3.4", "~", "^", "1..2", "2.0.0-1.0.0", "1.2.3-", "-1.0", ">=1.0",
     "1.0.0-beta", "1" * 80, "1.2.3-2.0.0-3.0.0", "1234567890.0.0"],
)  # fmt: skip
def test_malformed_queries_are_400(query: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_version_query(query)
    assert caught.value.status == 400


def test_range_that_ends_before_it_starts_says_so() -> None:
    with pytest.raises(BadRequest, match="ends before it starts"):
        parse_version_query("2.0.0-1.0.0")


@pytest.mark.parametrize(
    ("tag", "normalized"),
    [
        ("v1.2.3", "1.2.3"),
        ("1.2", "1.2.0"),
        ("V3", "3.0.0"),
        ("refs/tags/v0.4.1", "0.4.1"),
        ("release-2.0", "2.0.0"),
        ("1.0.0+build.7", "1.0.0"),
        ("01.02.03", "1.2.3"),
        (" 1.2.3\n", "1.2.3"),
        ("1.0.0-rc1", None),
        ("main", None),
        ("", None),
        ("1.2.3.4", None),
    ],
)
def test_normalize_version(tag: str, normalized: str | None) -> None:
    assert normalize_version(tag) == normalized
