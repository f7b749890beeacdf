"""Ingest by URL through the real handlers: shapes, names, sources, refusals, upstream trouble."""

from __future__ import annotations

import threading

import pytest

from tests.api.conftest import ingest
from tests.support.artifacts import (  # noqa: F401 - fixtures
    blob_root,
    files_under,
    list_all,
    open_gate,
    read_signed_blob,
    zip_names,
)

BERT = "google-bert/bert-base-uncased"


def test_given_an_hf_model_when_ingested_then_201_with_metadata_and_our_download_url(
    hub_api, hub_env, open_gate
):
    r = ingest(hub_api, hub_env, "model", BERT)

    assert r.status == 201, r.body
    meta = r.body["metadata"]
    assert meta["name"] == "bert-base-uncased" and meta["type"] == "model"
    assert meta["id"] and meta["id"].replace("-", "").isalnum()
    assert r.body["data"]["url"] == f"{hub_env.url}/{BERT}"
    assert r.body["data"]["download_url"].endswith(f"/artifacts/model/{meta['id']}/download")
    got = hub_api.get(f"/artifacts/model/{meta['id']}")
    assert got.status == 200 and got.body["metadata"] == meta


def test_given_a_name_in_the_body_when_ingested_then_stored_verbatim_and_matched_exactly(
    hub_api, hub_env, open_gate
):
    r = ingest(hub_api, hub_env, "model", BERT, name="My BERT v1.0 (QA)")
    assert r.status == 201, r.body
    assert r.body["metadata"]["name"] == "My BERT v1.0 (QA)"

    exact = hub_api.get("/artifact/byName/My BERT v1.0 (QA)")
    assert exact.status == 200 and [a["id"] for a in exact.body] == [r.body["metadata"]["id"]]
    assert hub_api.get("/artifact/byName/my bert v1.0 (qa)").status == 404
    assert hub_api.get("/artifact/byName/bert-base-uncased").status == 404


def test_given_a_model_url_without_owner_when_ingested_then_201_named_after_the_repo(
    hub_api, hub_env, open_gate
):
    r = hub_api.post("/artifact/model", {"url": f"{hub_env.url}/bert-base-uncased"})
    assert r.status == 201, r.body
    assert r.body["metadata"]["name"] == "bert-base-uncased"


def test_given_a_tree_main_suffix_when_ingested_then_the_same_repo_is_stored(
    hub_api, hub_env, open_gate
):
    r = hub_api.post("/artifact/model", {"url": f"{hub_env.url}/{BERT}/tree/main"})
    assert r.status == 201, r.body
    assert r.body["metadata"]["name"] == "bert-base-uncased"
    assert r.body["data"]["url"] == f"{hub_env.url}/{BERT}"
    # the canonical URL makes the plain form a duplicate
    assert ingest(hub_api, hub_env, "model", BERT).status == 409


def test_given_an_hf_dataset_when_ingested_then_201_and_downloadable(hub_api, hub_env, open_gate):
    r = ingest(hub_api, hub_env, "dataset", "rajpurkar/squad")
    assert r.status == 201, r.body
    assert r.body["metadata"] == {**r.body["metadata"], "name": "squad", "type": "dataset"}
    dl = hub_api.get(f"/artifacts/dataset/{r.body['metadata']['id']}/download?format=json")
    assert dl.status == 200, dl.body
    names = zip_names(read_signed_blob(dl.body["url"]))
    assert any(n.endswith(".parquet") for n in names) and any(
        n.endswith("README.md") for n in names
    )


def test_given_a_github_repo_when_ingested_as_code_then_201_with_its_files(
    hub_api, hub_env, open_gate
):
    r = ingest(hub_api, hub_env, "code", "acme/bert-finetune-code")
    assert r.status == 201, r.body
    assert r.body["metadata"]["name"] == "bert-finetune-code"
    assert r.body["data"]["url"] == f"{hub_env.github_web_url}/acme/bert-finetune-code"
    dl = hub_api.get(f"/artifacts/code/{r.body['metadata']['id']}/download?format=json")
    assert dl.status == 200, dl.body
    assert any(n.endswith("train.py") for n in zip_names(read_signed_blob(dl.body["url"])))


def test_given_a_github_tree_ref_subdir_url_when_ingested_then_201(hub_api, hub_env, open_gate):
    url = f"{hub_env.github_web_url}/openai/whisper/tree/main/whisper"
    r = hub_api.post("/artifact/code", {"url": url})
    assert r.status == 201, r.body
    assert r.body["metadata"]["name"] == "whisper"
    assert any("/_codeload/openai/whisper/legacy.zip/main" in p for p in hub_env.requests)
    dl = hub_api.get(f"/artifacts/code/{r.body['metadata']['id']}/download?format=json").body
    names = zip_names(read_signed_blob(dl["url"]))
    # Only the named folder is kept, with names relative to it.
    assert names == {"__init__.py", "timing.py"}


def test_given_a_github_subdir_that_does_not_exist_when_ingested_then_404(
    hub_api, hub_env, open_gate
):
    url = f"{hub_env.github_web_url}/openai/whisper/tree/main/no-such-folder"
    r = hub_api.post("/artifact/code", {"url": url})
    assert r.status == 404 and "no-such-folder" in r.message


def test_given_a_non_hub_https_url_when_ingested_as_dataset_then_a_reference_without_download(
    hub_api, hub_env, open_gate
):
    url = "https://data.example.org/corpora/news-2024.csv"
    r = hub_api.post("/artifact/dataset", {"url": url})
    assert r.status == 201, r.body
    assert r.body["data"]["url"] == url
    assert r.body["metadata"]["name"] == "news-2024.csv"

    dl = hub_api.get(f"/artifacts/dataset/{r.body['metadata']['id']}/download")
    assert dl.status == 404
    assert "reference" in dl.message and "source url" in dl.message


@pytest.mark.parametrize("segment", ["a%00b", "tab%09here", "x" * 513], ids=["nul", "tab", "long"])
def test_given_a_url_whose_last_segment_cannot_be_a_name_then_400_unless_a_name_is_given(
    hub_api, hub_env, open_gate, segment
):
    url = f"https://data.example.org/corpora/{segment}"
    r = hub_api.post("/artifact/dataset", {"url": url})
    assert r.status == 400 and "give a 'name'" in r.message
    r = hub_api.post("/artifact/dataset", {"url": url, "name": "corpus"})
    assert r.status == 201 and r.body["metadata"]["name"] == "corpus"


def test_given_a_non_hub_url_when_ingested_as_code_then_a_reference(hub_api, hub_env, open_gate):
    r = hub_api.post("/artifact/code", {"url": "https://git.example.org/team/tool"})
    assert r.status == 201, r.body
    assert hub_api.get(f"/artifacts/code/{r.body['metadata']['id']}").status == 200


def test_given_an_ingested_model_when_the_same_url_is_posted_again_then_409_and_one_artifact(
    hub_api, hub_env, open_gate
):
    assert ingest(hub_api, hub_env, "model", BERT).status == 201
    again = ingest(hub_api, hub_env, "model", BERT, name="another name")
    assert again.status == 409
    assert "already registered" in again.message
    assert len(list_all(hub_api)) == 1


def test_given_a_github_url_registered_as_code_when_registered_as_dataset_then_201(
    hub_api, hub_env, open_gate
):
    # duplicates are per type: the same repository may be code and a dataset
    assert ingest(hub_api, hub_env, "code", "acme/lgpl-lib").status == 201
    url = f"{hub_env.github_web_url}/acme/lgpl-lib"
    assert hub_api.post("/artifact/dataset", {"url": url}).status == 201


@pytest.mark.parametrize(
    "body",
    [
        {"url": "ftp://example.org/model.bin"},
        {"url": "https:///no-host"},
        {"url": "not a url"},
        {"url": ""},
        {},
        {"url": 42},
        {"url": ["https://huggingface.co/gpt2"]},
        {"url": "https://huggingface.co/gpt2", "name": "*"},
        {"url": "https://huggingface.co/gpt2", "name": " padded "},
        {"url": "https://user:pw@huggingface.co/gpt2"},
    ],
    ids=[
        "ftp",
        "no-host",
        "not-a-url",
        "empty",
        "missing",
        "int",
        "list",
        "name-star",
        "name-padded",
        "credentials",
    ],
)
def test_given_a_malformed_ingest_body_when_posted_then_400_and_nothing_fetched(
    hub_api, hub_env, body
):
    r = hub_api.post("/artifact/model", body)
    assert r.status == 400, r.body
    assert r.body["error"]["status"] == 400 and r.message
    assert hub_env.requests == []
    assert list_all(hub_api) == []


@pytest.mark.parametrize("raw", [b"[1, 2]", b'"https://huggingface.co/gpt2"', b"{not json"])
def test_given_a_body_that_is_not_an_object_when_posted_then_400(hub_api, hub_env, raw):
    r = hub_api.post("/artifact/model", raw=raw)
    assert r.status == 400, r.body


def test_given_an_hf_model_url_when_posted_as_code_then_400_naming_what_code_needs(
    hub_api, hub_env
):
    r = hub_api.post("/artifact/code", {"url": f"{hub_env.url}/{BERT}"})
    assert r.status == 400
    assert "code" in r.message
    assert hub_env.requests == []


def test_given_a_github_url_when_posted_as_model_then_400(hub_api, hub_env):
    r = hub_api.post("/artifact/model", {"url": f"{hub_env.github_web_url}/openai/whisper"})
    assert r.status == 400


def test_given_an_unknown_type_in_the_path_when_ingesting_then_400(hub_api, hub_env):
    r = hub_api.post("/artifact/weights", {"url": f"{hub_env.url}/{BERT}"})
    assert r.status == 400


def test_given_the_hub_answers_500_repeatedly_when_ingesting_then_502_and_nothing_stored(
    hub_api, hub_env, open_gate
):
    hub_env.fail("/api/models/", 500, times=None)

    r = ingest(hub_api, hub_env, "model", BERT)

    assert r.status == 502, r.body
    assert "500" in r.message and "127.0.0.1" in r.message
    assert hub_env.requests.count(f"/api/models/{BERT}") >= 2  # it retried before giving up
    assert list_all(hub_api) == []
    assert files_under(blob_root()) == []


def test_given_the_hub_fails_once_when_ingesting_then_the_retry_succeeds(
    hub_api, hub_env, open_gate
):
    hub_env.fail("/api/models/", 503, times=1)
    assert ingest(hub_api, hub_env, "model", BERT).status == 201


def test_given_a_repo_missing_upstream_when_ingesting_then_404(hub_api, hub_env, open_gate):
    r = ingest(hub_api, hub_env, "model", "acme/no-such-model")
    assert r.status == 404, r.body
    assert list_all(hub_api) == []
    r = ingest(hub_api, hub_env, "code", "acme/no-such-repo")
    assert r.status == 404, r.body


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://10.0.0.1/google-bert/bert-base-uncased",
        "http://localhost:1/google-bert/bert-base-uncased",
        "http://[::1]/google-bert/bert-base-uncased",
    ],
)
def test_given_an_internal_address_when_posted_as_a_model_then_400_and_no_request_made(
    hub_api, hub_env, url
):
    r = hub_api.post("/artifact/model", {"url": url})
    assert r.status == 400, r.body
    assert list_all(hub_api) == []


def test_given_loopback_on_another_port_when_posted_as_a_model_then_400(hub_api, hub_env):
    port = int(hub_env.url.rsplit(":", 1)[1])
    other = f"http://127.0.0.1:{port + 1 if port < 65535 else port - 1}/{BERT}"
    r = hub_api.post("/artifact/model", {"url": other})
    assert r.status == 400, r.body
    assert hub_env.requests == []


def test_given_the_hub_redirects_to_the_metadata_address_when_ingesting_then_refused(
    hub_api, hub_env, open_gate, monkeypatch
):
    dialled: list[str] = []
    from trustreg.sources import net_guard

    real = net_guard.pinned_opener

    def spy(addresses):
        dialled.extend(addresses)
        return real(addresses)

    monkeypatch.setattr("trustreg.sources.http_client.pinned_opener", spy)
    hub_env.redirect(f"/api/models/{BERT}", "http://169.254.169.254/latest/meta-data/")

    r = ingest(hub_api, hub_env, "model", BERT)

    assert r.status == 502, r.body  # upstream sent us somewhere we will not go
    assert "169.254.169.254" in r.message
    assert "169.254.169.254" not in dialled  # the hop was refused before any connection
    assert list_all(hub_api) == []


def test_given_weights_above_the_limit_when_ingested_then_listed_not_copied_but_counted(
    hub_api, hub_env, open_gate, monkeypatch
):
    from trustreg.config import reset_settings

    monkeypatch.setenv("MAX_WEIGHT_BYTES", "1000")  # model.safetensors is 1152 bytes
    reset_settings()

    r = ingest(hub_api, hub_env, "model", BERT)
    assert r.status == 201, r.body
    aid = r.body["metadata"]["id"]

    dl = hub_api.get(f"/artifacts/model/{aid}/download?format=json")
    assert dl.status == 200, dl.body
    names = {n.rsplit("/", 1)[-1] for n in zip_names(read_signed_blob(dl.body["url"]))}
    assert "model.safetensors" not in names
    assert {"config.json", "vocab.txt", "LICENSE"} <= names

    cost = hub_api.get(f"/artifact/model/{aid}/cost")
    assert cost.status == 200, cost.body
    # every upstream file counts, the skipped 1152-byte weight included
    upstream = sum(len(b) for b in hub_env.hf_repos[("model", BERT)].files.values())
    assert cost.body[aid]["total_cost"] == round(upstream / 1_000_000, 3)
    without_weight = upstream - len(hub_env.hf_repos[("model", BERT)].files["model.safetensors"])
    assert round(without_weight / 1_000_000, 3) < cost.body[aid]["total_cost"]


def test_given_a_20gb_weight_when_ingested_then_the_cost_counts_it(hub_api, hub_env, open_gate):
    r = ingest(hub_api, hub_env, "model", "acme/huge-model")
    assert r.status == 201, r.body
    aid = r.body["metadata"]["id"]
    cost = hub_api.get(f"/artifact/model/{aid}/cost")
    assert cost.status == 200
    assert cost.body[aid]["total_cost"] >= 20_000
    dl = hub_api.get(f"/artifacts/model/{aid}/download?format=json")
    assert dl.status == 200 and dl.body["size"] < 1_000_000


def test_given_six_concurrent_ingests_of_one_url_then_one_201_and_the_rest_409(
    hub_api, hub_env, open_gate
):
    statuses: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(6)

    def one() -> None:
        barrier.wait(timeout=30)
        r = ingest(hub_api, hub_env, "model", BERT)
        with lock:
            statuses.append(r.status)

    threads = [threading.Thread(target=one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert sorted(statuses) == [201, 409, 409, 409, 409, 409], statuses
    listed = list_all(hub_api)
    assert len(listed) == 1
    # the losers left no blobs behind: one package for the one artifact
    packages = [p for p in files_under(blob_root()) if p.name.startswith("package")]
    assert len(packages) == 1
