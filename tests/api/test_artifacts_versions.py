"""Listing with version ranges: exact, bounded, tilde and caret, against recorded versions."""

from __future__ import annotations

import pytest

from tests.support.packages import upload_model

VERSIONS = ["1.2.3", "1.2.9", "1.3.0", "2.0.0", "2.1.0", "0.2.5"]


@pytest.fixture
def versioned(api):
    for v in VERSIONS:
        upload_model(api, "tagger", f"v{v}")
    return api


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("1.2.3", ["1.2.3"]),
        ("1.2.3-2.0.0", ["1.2.3", "1.2.9", "1.3.0", "2.0.0"]),
        ("~1.2.0", ["1.2.3", "1.2.9"]),
        ("^1.2.0", ["1.2.3", "1.2.9", "1.3.0"]),
        ("^0.2.0", ["0.2.5"]),
        ("3.0.0", []),
    ],
)
def test_given_versioned_uploads_when_listing_with_a_range_then_only_matching_versions(
    versioned, query, expected
):
    r = versioned.post("/artifacts", [{"name": "tagger", "version": query}])
    assert r.status == 200, r.body
    listed = sorted(
        versioned.get(f"/artifacts/model/{a['id']}").body["metadata"]["name"] for a in r.body
    )
    assert len(r.body) == len(expected)
    assert listed == ["tagger"] * len(expected)


def test_given_a_version_query_and_a_small_page_then_pages_continue_without_gaps(versioned):
    seen: list[str] = []
    offset = ""
    while True:
        r = versioned.post(
            f"/artifacts?limit=1{'&offset=' + offset if offset else ''}",
            [{"name": "*", "version": "^1.0.0"}],
        )
        assert r.status == 200
        seen += [a["id"] for a in r.body]
        offset = r.headers.get("offset", "")
        if not offset:
            break
    assert len(seen) == len(set(seen)) == 3


def test_given_a_malformed_version_query_then_400(versioned):
    for bad in ("1.x", "^", "2.0.0-1.0.0", 5):
        r = versioned.post("/artifacts", [{"name": "tagger", "version": bad}])
        assert r.status == 400, bad
