"""Listing (queries, types, pages), exact name lookup and RE2 regex search."""

from __future__ import annotations

import time

import pytest

from tests.api.conftest import ingest
from tests.support.artifacts import list_all, open_gate  # noqa: F401 - fixture

HANG_CEILING_S = 5.0


def reference(client, artifact_type: str, name: str, n: int | str = ""):
    """A cheap artifact: a non-hub URL is recorded, not fetched."""
    url = f"https://data.example.org/{artifact_type}/{name.replace(' ', '-')}-{n}"
    r = client.post(f"/artifact/{artifact_type}", {"url": url, "name": name})
    assert r.status == 201, r.body
    return r.body["metadata"]


@pytest.fixture
def mixed(hub_api):
    """Two datasets and one code artifact named 'alpha', one dataset 'beta', one code 'gamma'."""
    return {
        "alpha-d1": reference(hub_api, "dataset", "alpha", 1),
        "alpha-d2": reference(hub_api, "dataset", "alpha", 2),
        "alpha-c": reference(hub_api, "code", "alpha", 3),
        "beta": reference(hub_api, "dataset", "beta"),
        "gamma": reference(hub_api, "code", "gamma"),
    }


def ids(items) -> list[str]:
    return [a["id"] for a in items]


def test_given_a_reset_registry_when_listing_everything_then_an_empty_array(hub_api):
    assert hub_api.delete("/reset").status == 200
    hub_api.login()
    r = hub_api.post("/artifacts", [{"name": "*"}])
    assert r.status == 200 and r.body == []
    assert "offset" not in r.headers


def test_given_artifacts_when_listing_everything_then_all_in_registration_order(hub_api, mixed):
    r = hub_api.post("/artifacts", [{"name": "*"}])
    assert r.status == 200
    assert ids(r.body) == [m["id"] for m in mixed.values()]
    assert all(set(a) == {"name", "id", "type"} for a in r.body)


def test_given_several_queries_when_listing_then_their_union_without_duplicates(hub_api, mixed):
    r = hub_api.post("/artifacts", [{"name": "beta"}, {"name": "gamma"}, {"name": "beta"}])
    assert r.status == 200
    assert ids(r.body) == [mixed["beta"]["id"], mixed["gamma"]["id"]]


def test_given_a_types_filter_when_listing_then_only_those_types(hub_api, mixed):
    r = hub_api.post("/artifacts", [{"name": "alpha", "types": ["code"]}])
    assert ids(r.body) == [mixed["alpha-c"]["id"]]
    r = hub_api.post("/artifacts", [{"name": "*", "types": ["dataset"]}])
    assert ids(r.body) == [mixed[k]["id"] for k in ("alpha-d1", "alpha-d2", "beta")]
    r = hub_api.post("/artifacts", [{"name": "*", "types": ["model"]}])
    assert r.status == 200 and r.body == []


def test_given_an_unknown_type_in_a_query_when_listing_then_400(hub_api, mixed):
    assert hub_api.post("/artifacts", [{"name": "*", "types": ["weights"]}]).status == 400


def test_given_more_than_a_page_when_following_offsets_then_every_artifact_once_in_order(
    hub_api,
):
    created = [reference(hub_api, "dataset", f"page-item-{i:02d}")["id"] for i in range(11)]
    seen: list[str] = []
    offset = None
    pages = 0
    while True:
        path = "/artifacts?limit=3" + (f"&offset={offset}" if offset else "")
        r = hub_api.post(path, [{"name": "*"}])
        assert r.status == 200, r.body
        pages += 1
        seen += ids(r.body)
        offset = r.headers.get("offset")
        if offset is None:
            assert len(r.body) == 2  # 11 = 3 + 3 + 3 + 2; the last page has no offset header
            break
        assert len(r.body) == 3
        assert pages < 10, "pagination does not end"
    assert seen == created


def test_given_an_exact_page_multiple_when_listing_then_the_last_full_page_has_no_offset(
    hub_api,
):
    for i in range(4):
        reference(hub_api, "code", f"even-{i}")
    first = hub_api.post("/artifacts?limit=2", [{"name": "*"}])
    second = hub_api.post(f"/artifacts?limit=2&offset={first.headers['offset']}", [{"name": "*"}])
    assert len(second.body) == 2
    assert "offset" not in second.headers


def test_given_a_page_offset_when_new_artifacts_arrive_then_the_next_page_neither_skips_nor_repeats(
    hub_api,
):
    a = [reference(hub_api, "dataset", f"stable-{i}")["id"] for i in range(4)]
    first = hub_api.post("/artifacts?limit=2", [{"name": "*"}])
    late = reference(hub_api, "dataset", "stable-late")["id"]
    rest = hub_api.post(f"/artifacts?limit=10&offset={first.headers['offset']}", [{"name": "*"}])
    assert ids(first.body) + ids(rest.body) == [*a, late]


@pytest.mark.parametrize("offset", ["abc", "-1", "1.5", "9" * 30])
def test_given_a_bad_offset_when_listing_then_400(hub_api, offset):
    assert hub_api.post(f"/artifacts?offset={offset}", [{"name": "*"}]).status == 400


def test_given_a_limit_above_1000_when_listing_then_413(hub_api):
    assert hub_api.post("/artifacts?limit=1001", [{"name": "*"}]).status == 413
    assert hub_api.post("/artifacts?limit=1000", [{"name": "*"}]).status == 200
    assert hub_api.post("/artifacts?limit=0", [{"name": "*"}]).status == 400


def test_given_more_than_100_queries_when_listing_then_413(hub_api):
    queries = [{"name": f"n{i}"} for i in range(101)]
    assert hub_api.post("/artifacts", queries).status == 413
    assert hub_api.post("/artifacts", queries[:100]).status == 200


@pytest.mark.parametrize(
    "body",
    [[], [{}], [{"name": ""}], [{"name": 5}], {"name": "*"}, [{"name": "*", "types": "model"}]],
    ids=["empty", "no-name", "empty-name", "int-name", "object", "types-string"],
)
def test_given_a_malformed_query_when_listing_then_400(hub_api, body):
    assert hub_api.post("/artifacts", body).status == 400


def test_given_no_token_when_listing_then_403(anon):
    assert anon.post("/artifacts", [{"name": "*"}]).status == 403


# --- byName -----------------------------------------------------------------------------------
def test_given_artifacts_sharing_a_name_when_looked_up_by_name_then_all_are_returned(
    hub_api, mixed
):
    r = hub_api.get("/artifact/byName/alpha")
    assert r.status == 200
    assert sorted(ids(r.body)) == sorted(
        mixed[k]["id"] for k in ("alpha-d1", "alpha-d2", "alpha-c")
    )
    assert {a["type"] for a in r.body} == {"dataset", "code"}


def test_given_no_artifact_with_that_name_when_looked_up_then_404(hub_api, mixed):
    assert hub_api.get("/artifact/byName/Alpha").status == 404
    assert hub_api.get("/artifact/byName/alph").status == 404


def test_given_a_name_with_spaces_and_unicode_when_looked_up_then_exact_match(hub_api):
    meta = reference(hub_api, "dataset", "Données été 2024")
    r = hub_api.get("/artifact/byName/Données été 2024")
    assert r.status == 200 and ids(r.body) == [meta["id"]]


# --- byRegEx ----------------------------------------------------------------------------------
@pytest.fixture
def with_card(hub_api, hub_env, open_gate):
    """bert-base-uncased (its card mentions 'masked language modeling') plus references."""
    r = ingest(hub_api, hub_env, "model", "google-bert/bert-base-uncased")
    assert r.status == 201, r.body
    return r.body["metadata"]


def test_given_a_pattern_matching_a_name_when_searching_then_that_artifact(hub_api, mixed):
    r = hub_api.post("/artifact/byRegEx", {"regex": "^gam+a$"})
    assert r.status == 200 and ids(r.body) == [mixed["gamma"]["id"]]


def test_given_a_pattern_matching_only_the_model_card_when_searching_then_the_model(
    hub_api, with_card
):
    r = hub_api.post("/artifact/byRegEx", {"regex": "masked language model(l)?ing"})
    assert r.status == 200 and ids(r.body) == [with_card["id"]]


def test_given_a_differently_cased_pattern_when_searching_then_case_sensitive_by_default(
    hub_api, with_card
):
    assert hub_api.post("/artifact/byRegEx", {"regex": "MASKED LANGUAGE"}).status == 404
    assert hub_api.post("/artifact/byRegEx", {"regex": "BERT-BASE"}).status == 404


def test_given_the_case_insensitive_flag_when_searching_then_other_cases_match(hub_api, with_card):
    r = hub_api.post("/artifact/byRegEx", {"regex": "(?i)MASKED LANGUAGE"})
    assert r.status == 200 and ids(r.body) == [with_card["id"]]
    r = hub_api.post("/artifact/byRegEx", {"regex": "(?i)^BERT-BASE-UNCASED$"})
    assert r.status == 200 and ids(r.body) == [with_card["id"]]


def test_given_a_literal_with_like_wildcards_when_searching_then_they_are_literal(hub_api):
    reference(hub_api, "dataset", "100%_done")
    reference(hub_api, "dataset", "100xxdone")
    r = hub_api.post("/artifact/byRegEx", {"regex": "100%_done"})
    assert r.status == 200 and [a["name"] for a in r.body] == ["100%_done"]


@pytest.mark.parametrize("pattern", ["(a{1,99999}){1,99999}$", "(a+)+$", "(a|aa)+$", "(.*a){20}$"])
def test_given_a_catastrophic_pattern_and_a_long_name_when_searching_then_prompt_answer(
    hub_api, pattern
):
    reference(hub_api, "dataset", "a" * 500 + "!")
    started = time.monotonic()
    r = hub_api.post("/artifact/byRegEx", {"regex": pattern})
    assert time.monotonic() - started < HANG_CEILING_S
    assert r.status in (200, 400, 404), r.body
    if r.status == 400:
        assert r.message


def test_given_a_lookahead_when_searching_then_400_mentioning_re2(hub_api, mixed):
    r = hub_api.post("/artifact/byRegEx", {"regex": "alp(?=ha)"})
    assert r.status == 400
    assert "RE2" in r.message


def test_given_a_backreference_when_searching_then_400(hub_api, mixed):
    assert hub_api.post("/artifact/byRegEx", {"regex": r"(a)\1"}).status == 400


def test_given_no_match_when_searching_then_404(hub_api, mixed):
    assert hub_api.post("/artifact/byRegEx", {"regex": "^zeta$"}).status == 404


@pytest.mark.parametrize("body", [{}, {"regex": ""}, {"regex": 7}, {"pattern": "a"}])
def test_given_no_usable_regex_when_searching_then_400(hub_api, body):
    assert hub_api.post("/artifact/byRegEx", body).status == 400


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/artifact/byName/nul%00inside", None),
        ("POST", "/artifacts", [{"name": "nul\x00inside"}]),
        ("POST", "/artifact/byRegEx", {"regex": "nul\x00inside"}),
        ("POST", "/artifact/byRegEx", {"regex": "nul\\x00inside"}),
        ("POST", "/artifact/dataset", {"url": "https://data.example.org/x", "name": "a\x00b"}),
    ],
    ids=["byName", "list", "regex", "regex-escape", "ingest-name"],
)
def test_given_a_nul_character_in_a_name_or_pattern_then_a_client_error_not_a_crash(
    hub_api, mixed, method, path, body
):
    from urllib.parse import unquote

    r = hub_api.call(method, unquote(path) if method == "GET" else path, body)
    assert r.status in (400, 404), r.body


def test_given_a_case_insensitive_regex_when_searching_then_the_prefilter_keeps_every_match(api):
    from tests.support.packages import upload_model

    upload_model(api, "BERT-Base-Custom")
    upload_model(api, "roberta-large")
    r = api.post("/artifact/byRegEx", {"regex": "(?i)bert-base"})
    assert r.status == 200, r.body
    assert [a["name"] for a in r.body] == ["BERT-Base-Custom"]


def test_given_a_literal_spanning_the_name_and_the_card_when_searching_then_no_match(api):
    # On PostgreSQL the prefilter looks in name + newline + card as one indexed text, so this
    # row is a candidate there; only a match inside the name or inside the card counts.
    from tests.support.packages import upload_model

    upload_model(api, "ticket-router")
    assert api.post("/artifact/byRegEx", {"regex": "ticket-router\\n---"}).status == 404
    assert api.post("/artifact/byRegEx", {"regex": "^---\\nlicense"}).status == 200
    assert api.post("/artifact/byRegEx", {"regex": "ticket-router$"}).status == 200
