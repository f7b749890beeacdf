"""Given the fake hub, when the HuggingFace client reads repos, then it sees the real shapes."""

from __future__ import annotations

import hashlib
import io
import json

import pytest

from trustreg.errors import NotFound, PayloadTooLarge
from trustreg.rating.inputs import RepoFile
from trustreg.sources.huggingface import HuggingFaceClient

BERT = "google-bert/bert-base-uncased"


def test_model_info_carries_card_data_siblings_and_config(hub_env):
    info = HuggingFaceClient().model_info(BERT)
    assert info["id"] == BERT and info["pipeline_tag"] == "fill-mask"
    assert info["cardData"]["license"] == "apache-2.0"
    assert info["cardData"]["datasets"] == ["bookcorpus", "wikipedia"]
    assert {"rfilename": "model.safetensors"} in info["siblings"]
    assert info["config"]["model_type"] == "bert"


def test_model_info_at_a_revision_and_unknown_ones(hub_env):
    client = HuggingFaceClient()
    sha = client.model_info(BERT)["sha"]
    assert client.model_info(BERT, revision=sha)["id"] == BERT
    assert hub_env.requests[-1] == f"/api/models/{BERT}/revision/{sha}"
    with pytest.raises(NotFound, match=f"HuggingFace model {BERT} at revision nope not found"):
        client.model_info(BERT, revision="nope")
    with pytest.raises(NotFound, match="HuggingFace model acme/missing not found upstream"):
        client.model_info("acme/missing")


def test_dataset_info(hub_env):
    info = HuggingFaceClient().dataset_info("rajpurkar/squad")
    assert info["cardData"]["license"] == "cc-by-sa-4.0"


def test_list_files_reports_lfs_sizes_and_skips_directories(hub_env):
    files = HuggingFaceClient().list_files("acme/huge-model")
    assert RepoFile("model.safetensors", 20_000_000_000) in files
    assert {f.path for f in files} == {"README.md", "config.json", "model.safetensors"}
    dataset = HuggingFaceClient().list_files("rajpurkar/squad", kind="dataset")
    assert "plain_text/train-00000-of-00001.parquet" in {f.path for f in dataset}
    assert "plain_text" not in {f.path for f in dataset}


def test_list_files_follows_link_pagination(hub_env):
    hub_env.tree_page_size = 2
    files = HuggingFaceClient().list_files(BERT)
    assert len(files) == 6 and len({f.path for f in files}) == 6
    assert hub_env.requests.count(f"/api/models/{BERT}/tree/main") == 3


def test_read_text_and_download_follow_the_lfs_redirect(hub_env):
    client = HuggingFaceClient()
    config = json.loads(client.read_text(BERT, "config.json"))
    assert config["model_type"] == "bert"
    sink = io.BytesIO()
    size, digest = client.download(BERT, "model.safetensors", None, "model", sink, 1_000_000)
    assert size == len(sink.getvalue()) and digest == hashlib.sha256(sink.getvalue()).hexdigest()
    assert any(path.startswith("/_lfs/") for path in hub_env.requests)
    readme = client.read_text("rajpurkar/squad", "README.md", kind="dataset")
    assert readme.startswith("---\nlicense: cc-by-sa-4.0")


def test_the_huge_weight_is_refused_from_its_declared_size(hub_env):
    sink = io.BytesIO()
    with pytest.raises(PayloadTooLarge):
        HuggingFaceClient().download(
            "acme/huge-model", "model.safetensors", None, "model", sink, 50 * 1024 * 1024
        )
    assert sink.getvalue() == b""


def test_a_missing_file_is_not_found(hub_env):
    with pytest.raises(NotFound, match="not found upstream"):
        HuggingFaceClient().read_text("acme/bare-model", "README.md")
