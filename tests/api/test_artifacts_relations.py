"""Lineage, cost, license compatibility and ratings of ingested models."""

from __future__ import annotations

import threading

import pytest

from tests.api.conftest import ingest
from tests.support.artifacts import make_user, open_gate  # noqa: F401 - fixture

BERT = "google-bert/bert-base-uncased"
FINETUNE = "acme/bert-finetune"
UNKNOWN = "0123456789abcdef01234567"


def meta(client, hub, kind, repo):
    r = ingest(client, hub, kind, repo)
    assert r.status == 201, r.body
    return r.body["metadata"]


def node_ids(graph) -> set[str]:
    return {n["artifact_id"] for n in graph["nodes"]}


def edge_set(graph) -> set[tuple[str, str, str]]:
    return {
        (e["from_node_artifact_id"], e["to_node_artifact_id"], e["relationship"])
        for e in graph["edges"]
    }


def mb(hub, kind, repo) -> float:
    return round(sum(len(b) for b in hub.hf_repos[(kind, repo)].files.values()) / 1_000_000, 3)


# --- lineage ----------------------------------------------------------------------------------
def test_given_a_base_and_its_fine_tune_when_reading_lineage_then_both_and_a_base_model_edge(
    hub_api, hub_env, open_gate
):
    bert = meta(hub_api, hub_env, "model", BERT)
    tune = meta(hub_api, hub_env, "model", FINETUNE)

    r = hub_api.get(f"/artifact/model/{tune['id']}/lineage")

    assert r.status == 200, r.body
    assert node_ids(r.body) == {bert["id"], tune["id"]}
    assert edge_set(r.body) == {(bert["id"], tune["id"], "base_model")}
    me = next(n for n in r.body["nodes"] if n["artifact_id"] == tune["id"])
    assert me["name"] == "bert-finetune" and me["source"] == "self"
    # the parent's view shows its descendant
    up = hub_api.get(f"/artifact/model/{bert['id']}/lineage").body
    assert node_ids(up) == {bert["id"], tune["id"]}


def test_given_the_child_ingested_before_its_parent_then_the_edge_resolves_later(
    hub_api, hub_env, open_gate
):
    tune = meta(hub_api, hub_env, "model", FINETUNE)
    alone = hub_api.get(f"/artifact/model/{tune['id']}/lineage").body
    assert node_ids(alone) == {tune["id"]} and alone["edges"] == []

    bert = meta(hub_api, hub_env, "model", BERT)

    after = hub_api.get(f"/artifact/model/{tune['id']}/lineage").body
    assert edge_set(after) == {(bert["id"], tune["id"], "base_model")}


def test_given_a_card_dataset_that_is_registered_then_it_appears_in_the_lineage(
    hub_api, hub_env, open_gate
):
    squad = meta(hub_api, hub_env, "dataset", "rajpurkar/squad")
    tune = meta(hub_api, hub_env, "model", FINETUNE)
    graph = hub_api.get(f"/artifact/model/{tune['id']}/lineage").body
    assert squad["id"] in node_ids(graph)
    assert (squad["id"], tune["id"], "fine_tuning_dataset") in edge_set(graph)


def test_given_a_model_without_relatives_when_reading_lineage_then_only_itself(
    hub_api, hub_env, open_gate
):
    bare = meta(hub_api, hub_env, "model", "acme/bare-model")
    graph = hub_api.get(f"/artifact/model/{bare['id']}/lineage").body
    assert node_ids(graph) == {bare["id"]} and graph["edges"] == []


def test_given_unknown_malformed_or_non_model_ids_when_reading_lineage_then_404_or_400(
    hub_api, hub_env, open_gate
):
    squad = meta(hub_api, hub_env, "dataset", "rajpurkar/squad")
    assert hub_api.get(f"/artifact/model/{UNKNOWN}/lineage").status == 404
    assert hub_api.get("/artifact/model/bad_id!/lineage").status == 400
    assert hub_api.get(f"/artifact/model/{squad['id']}/lineage").status == 404


def _upload(api, name: str, card: str, config: str = '{"model_type": "bert"}') -> str:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(f"{name}/README.md", card)
        zf.writestr(f"{name}/config.json", config)
        zf.writestr(f"{name}/model.safetensors", b"\0" * 64)
    r = api.call(
        "POST",
        f"/artifact/model/upload?name={name}",
        raw=buf.getvalue(),
        content_type="application/zip",
    )
    assert r.status == 201, r.body
    return str(r.body["metadata"]["id"])


def test_given_three_generations_when_reading_any_lineage_then_the_whole_family_shows(
    api, open_gate
):
    card = "---\nlicense: mit\n{extra}---\n# {name}\n"
    grandma = _upload(api, "grandma", card.format(extra="", name="grandma"))
    mum = _upload(api, "mum", card.format(extra="base_model: grandma\n", name="mum"))
    kid = _upload(api, "kid", card.format(extra="base_model: mum\n", name="kid"))
    family = {(grandma, mum, "base_model"), (mum, kid, "base_model")}
    for who in (grandma, mum, kid):
        graph = api.get(f"/artifact/model/{who}/lineage").body
        assert node_ids(graph) == {grandma, mum, kid}, who
        assert edge_set(graph) == family, who


def test_given_a_model_whose_card_and_config_are_both_malformed_then_lineage_is_400(api, open_gate):
    broken = _upload(api, "broken", "---\nlicense: [mit\n---\n# broken\n", config="{not json")
    r = api.get(f"/artifact/model/{broken}/lineage")
    assert r.status == 400 and "malformed" in r.message
    fine = _upload(api, "half-broken", "---\nlicense: [mit\n---\n# half\n")
    assert api.get(f"/artifact/model/{fine}/lineage").status == 200


# --- cost -------------------------------------------------------------------------------------
def test_given_one_model_when_asking_its_cost_then_total_cost_in_mb(hub_api, hub_env, open_gate):
    bert = meta(hub_api, hub_env, "model", BERT)
    r = hub_api.get(f"/artifact/model/{bert['id']}/cost")
    assert r.status == 200, r.body
    assert r.body == {bert["id"]: {"total_cost": mb(hub_env, "model", BERT)}}
    assert hub_api.get(f"/artifact/model/{bert['id']}/cost?dependency=false").body == r.body


def test_given_a_fine_tune_when_asking_cost_with_dependencies_then_the_closure_sums_up(
    hub_api, hub_env, open_gate
):
    bert = meta(hub_api, hub_env, "model", BERT)
    squad = meta(hub_api, hub_env, "dataset", "rajpurkar/squad")
    tune = meta(hub_api, hub_env, "model", FINETUNE)

    r = hub_api.get(f"/artifact/model/{tune['id']}/cost?dependency=true")

    assert r.status == 200, r.body
    assert set(r.body) == {tune["id"], bert["id"], squad["id"]}
    own = {
        tune["id"]: mb(hub_env, "model", FINETUNE),
        bert["id"]: mb(hub_env, "model", BERT),
        squad["id"]: mb(hub_env, "dataset", "rajpurkar/squad"),
    }
    for aid, standalone in own.items():
        assert r.body[aid]["standalone_cost"] == standalone
    assert r.body[tune["id"]]["total_cost"] == pytest.approx(sum(own.values()), abs=0.0015)
    assert r.body[bert["id"]]["total_cost"] == own[bert["id"]]


@pytest.mark.parametrize("value", ["yes", "2", "maybe"])
def test_given_a_bad_dependency_flag_when_asking_cost_then_400(hub_api, hub_env, open_gate, value):
    bert = meta(hub_api, hub_env, "model", BERT)
    assert hub_api.get(f"/artifact/model/{bert['id']}/cost?dependency={value}").status == 400


def test_given_unknown_or_wrong_type_when_asking_cost_then_404(hub_api, hub_env, open_gate):
    bert = meta(hub_api, hub_env, "model", BERT)
    assert hub_api.get(f"/artifact/model/{UNKNOWN}/cost").status == 404
    assert hub_api.get(f"/artifact/code/{bert['id']}/cost").status == 404
    assert hub_api.get("/artifact/model/bad_id!/cost").status == 400


# --- license check ----------------------------------------------------------------------------
def check(client, hub, model_id, repo):
    return client.post(
        f"/artifact/model/{model_id}/license-check", {"github_url": f"{hub.github_web_url}/{repo}"}
    )


@pytest.mark.parametrize(
    ("model_repo", "code_repo", "expected"),
    [
        (BERT, "acme/bert-finetune-code", True),  # MIT code, Apache-2.0 model: permissive
        (BERT, "acme/lgpl-lib", True),  # weak copyleft code with a permissive model
        (BERT, "acme/unreviewed-code", True),  # GPL-3.0 code, Apache model: row strong, ✓¹
        ("acme/noncommercial-model", "acme/bert-finetune-code", False),  # non-commercial model
        ("acme/other-license-model", "acme/bert-finetune-code", False),  # unknown terms
        ("acme/other-license-model", "acme/unreviewed-code", False),
    ],
)
def test_given_a_model_and_a_repo_when_checking_licenses_then_the_documented_answer(
    hub_api, hub_env, open_gate, model_repo, code_repo, expected
):
    model = meta(hub_api, hub_env, "model", model_repo)
    r = check(hub_api, hub_env, model["id"], code_repo)
    assert r.status == 200, r.body
    assert r.body is expected


def test_given_an_unknown_repo_when_checking_licenses_then_404(hub_api, hub_env, open_gate):
    bert = meta(hub_api, hub_env, "model", BERT)
    assert check(hub_api, hub_env, bert["id"], "acme/does-not-exist").status == 404


def test_given_github_down_when_checking_licenses_then_502(hub_api, hub_env, open_gate):
    bert = meta(hub_api, hub_env, "model", BERT)
    hub_env.fail("/github-api/", 500, times=None)
    r = check(hub_api, hub_env, bert["id"], "acme/bert-finetune-code")
    assert r.status == 502, r.body
    assert "500" in r.message


@pytest.mark.parametrize(
    "body",
    [{}, {"github_url": 5}, {"github_url": ""}, {"url": "https://github.com/a/b"}, ["x"]],
)
def test_given_a_malformed_body_when_checking_licenses_then_400(hub_api, hub_env, open_gate, body):
    bert = meta(hub_api, hub_env, "model", BERT)
    assert hub_api.post(f"/artifact/model/{bert['id']}/license-check", body).status == 400


@pytest.mark.parametrize(
    "url", ["https://gitlab.com/acme/tool", "ftp://github.com/acme/tool", "https://github.com/acme"]
)
def test_given_a_non_github_url_when_checking_licenses_then_400(hub_api, hub_env, open_gate, url):
    bert = meta(hub_api, hub_env, "model", BERT)
    r = hub_api.post(f"/artifact/model/{bert['id']}/license-check", {"github_url": url})
    assert r.status == 400


def test_given_an_unknown_model_when_checking_licenses_then_404(hub_api, hub_env):
    assert check(hub_api, hub_env, UNKNOWN, "acme/bert-finetune-code").status == 404


# --- rating -----------------------------------------------------------------------------------
def test_given_a_rated_model_when_explained_then_each_metric_has_reason_and_evidence(
    hub_api, hub_env, open_gate
):
    bert = meta(hub_api, hub_env, "model", BERT)
    plain = hub_api.get(f"/artifact/model/{bert['id']}/rate").body
    r = hub_api.get(f"/artifact/model/{bert['id']}/rate?explain=true")
    assert r.status == 200, r.body
    explained = r.body["explanation"]
    assert {k: v for k, v in r.body.items() if k != "explanation"} == plain
    assert (plain["name"], plain["category"]) == ("bert-base-uncased", "fill-mask")  # the hub's
    assert "license" in explained and "bus_factor" in explained
    for metric, entry in explained.items():
        assert isinstance(entry["reason"], str) and entry["reason"], metric
        assert "evidence" in entry, metric


@pytest.mark.parametrize(("stored", "shown"), [(123, "123"), (False, "model"), (None, "model")])
def test_given_a_card_category_that_is_not_a_string_then_the_rating_shows_a_string(
    api, open_gate, stored, shown
):
    # A card's pipeline_tag is free YAML: whatever it holds, the rating's category is a string.
    from trustreg.db.uow import unit_of_work

    model_id = _upload(api, "odd-category", "---\nlicense: mit\n---\n# odd\n")
    with unit_of_work() as uow:
        row = uow.artifacts.get(model_id)
        row.details = {**row.details, "category": stored}
    # The category a rating answers with is the one its model had when rated.
    assert api.post(f"/artifact/model/{model_id}/rate").status == 200
    r = api.get(f"/artifact/model/{model_id}/rate")
    assert r.status == 200, r.body
    assert r.body["category"] == shown


def test_given_a_rating_stored_before_summaries_then_rate_answers_it_the_same_and_records_it(
    api, open_gate
):
    from sqlalchemy import text

    from trustreg.db.engine import get_engine

    model_id = _upload(api, "rated-long-ago", "---\nlicense: mit\n---\n# old\n")
    current = api.get(f"/artifact/model/{model_id}/rate")
    with get_engine().begin() as conn:  # as migration 0008 leaves a model rated before it
        conn.execute(
            text("UPDATE artifacts SET rating_summary = NULL WHERE id = :id"), {"id": model_id}
        )
    trail = len(api.get(f"/artifact/model/{model_id}/audit").body)
    old = api.get(f"/artifact/model/{model_id}/rate")
    assert old.status == 200 and old.body == current.body
    actions = [e["action"] for e in api.get(f"/artifact/model/{model_id}/audit").body]
    assert actions[trail:] == ["RATE", "AUDIT"]


def test_given_a_model_when_re_rated_then_history_grows_and_the_answer_is_current(
    hub_api, hub_env, open_gate
):
    bert = meta(hub_api, hub_env, "model", BERT)
    first = hub_api.post(f"/artifact/model/{bert['id']}/rate")
    assert first.status == 200, first.body
    second = hub_api.post(f"/artifact/model/{bert['id']}/rate")
    assert second.body["ratings_kept"] == first.body["ratings_kept"] + 1 == 3
    current = hub_api.get(f"/artifact/model/{bert['id']}/rate").body
    assert current["net_score"] == second.body["net_score"]


def test_given_someone_elses_model_when_a_non_admin_re_rates_it_then_403(
    hub_api, hub_env, open_gate
):
    bert = meta(hub_api, hub_env, "model", BERT)
    other = make_user(hub_api, "other", ["upload", "search"])
    assert other.post(f"/artifact/model/{bert['id']}/rate").status == 403


def test_given_a_non_model_or_unknown_id_when_rating_then_404_or_400(hub_api, hub_env, open_gate):
    squad = meta(hub_api, hub_env, "dataset", "rajpurkar/squad")
    assert hub_api.get(f"/artifact/model/{squad['id']}/rate").status == 404
    assert hub_api.get(f"/artifact/model/{UNKNOWN}/rate").status == 404
    assert hub_api.get("/artifact/model/bad_id!/rate").status == 400
    assert hub_api.get(f"/artifact/model/{UNKNOWN}/rate?explain=perhaps").status == 400


def test_given_50_concurrent_rating_reads_then_all_200_with_identical_bodies(
    hub_api, hub_env, open_gate
):
    bert = meta(hub_api, hub_env, "model", BERT)
    results: list[tuple[int, object]] = []
    lock = threading.Lock()

    def read() -> None:
        r = hub_api.get(f"/artifact/model/{bert['id']}/rate")
        with lock:
            results.append((r.status, r.body))

    threads = [threading.Thread(target=read) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert len(results) == 50
    assert {s for s, _ in results} == {200}, [b for s, b in results if s != 200][:2]
    bodies = [b for _, b in results]
    assert all(b == bodies[0] for b in bodies)
    rates = [
        e for e in hub_api.get(f"/artifact/model/{bert['id']}/audit").body if e["action"] == "RATE"
    ]
    assert len(rates) == 50


def test_given_a_parent_named_two_ways_when_reading_lineage_from_either_child_then_it_shows_one_way(
    api,
):
    from sqlalchemy import text

    from tests.support.packages import upload_model
    from trustreg.db.engine import get_engine

    parent, first, second = (upload_model(api, n) for n in ("two-way-base", "by-config", "by-card"))
    with get_engine().begin() as conn:
        for child, source in ((first, "config"), (second, "card")):  # recorded in this order
            conn.execute(
                text(
                    "INSERT INTO artifact_lineage (child_id, parent_id, parent_ref, relationship,"
                    " source) VALUES (:c, :p, 'two-way-base', 'base_model', :s)"
                ),
                {"c": child, "p": parent, "s": source},
            )
    answers = [api.get(f"/artifact/model/{child}/lineage").body for child in (first, second)]
    for body in answers:
        shown = {n["artifact_id"]: n["source"] for n in body["nodes"]}
        assert shown[parent] == "config"  # the first recorded way, from either child
    assert answers[0]["edges"] == answers[1]["edges"]  # in recording order from both


def test_given_a_rated_model_then_rate_answers_its_fields_in_the_contracts_order(api, open_gate):
    from trustreg.rating.record import NET
    from trustreg.rating.weights import DEVICES, WEIGHTS

    model_id = _upload(api, "ordered-fields", "---\nlicense: mit\n---\n# ordered\n")
    for explain in ("", "?explain=true"):  # from the summary, and from the whole rating
        body = api.get(f"/artifact/model/{model_id}/rate{explain}").body
        scores = [k for m in (NET, *WEIGHTS) for k in (m, f"{m}_latency")]
        assert [k for k in body if k != "explanation"] == ["name", "category", *scores]
        assert list(body["size_score"]) == list(DEVICES)
