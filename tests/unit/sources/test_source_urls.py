"""Given a user's source URL, when it is parsed, then the kind, repo and errors are right."""

from __future__ import annotations

import pytest

from trustreg.errors import BadRequest
from trustreg.sources.urls import parse_source_url

HF = "https://huggingface.co"
FAKE = "http://127.0.0.1:8900"


def parse(url: str, kind: str):
    return parse_source_url(url, kind, hf_endpoint=FAKE, github_web_url=f"{FAKE}/github")


@pytest.mark.parametrize(
    ("url", "kind", "expected"),
    [
        (
            f"{HF}/google-bert/bert-base-uncased",
            "model",
            (
                "hf_model",
                "google-bert/bert-base-uncased",
                None,
                f"{HF}/google-bert/bert-base-uncased",
            ),
        ),
        (
            f"{HF}/google-bert/bert-base-uncased/",
            "model",
            (
                "hf_model",
                "google-bert/bert-base-uncased",
                None,
                f"{HF}/google-bert/bert-base-uncased",
            ),
        ),
        (f"{HF}/gpt2", "model", ("hf_model", "gpt2", None, f"{HF}/gpt2")),
        (f"{HF}/gpt2/tree/main", "model", ("hf_model", "gpt2", "main", f"{HF}/gpt2")),
        (
            f"{HF}/openai/whisper-tiny/tree/v1.0",
            "model",
            ("hf_model", "openai/whisper-tiny", "v1.0", f"{HF}/openai/whisper-tiny"),
        ),
        (
            f"{HF}/openai/whisper-tiny/blob/main/config.json",
            "model",
            ("hf_model", "openai/whisper-tiny", "main", f"{HF}/openai/whisper-tiny"),
        ),
        (
            "https://hf.co/openai/whisper-tiny/resolve/abc123/model.safetensors",
            "model",
            ("hf_model", "openai/whisper-tiny", "abc123", f"{HF}/openai/whisper-tiny"),
        ),
        (
            f"{HF}/datasets/rajpurkar/squad",
            "dataset",
            ("hf_dataset", "rajpurkar/squad", None, f"{HF}/datasets/rajpurkar/squad"),
        ),
        (
            f"{HF}/datasets/squad/tree/refs%2Fconvert%2Fparquet",
            "dataset",
            ("hf_dataset", "squad", "refs/convert/parquet", f"{HF}/datasets/squad"),
        ),
        (
            "https://github.com/google-research/bert",
            "code",
            ("github", "google-research/bert", None, "https://github.com/google-research/bert"),
        ),
        (
            "https://github.com/openai/whisper.git",
            "code",
            ("github", "openai/whisper", None, "https://github.com/openai/whisper"),
        ),
        (
            "https://github.com/zalandoresearch/fashion-mnist",
            "dataset",
            (
                "github",
                "zalandoresearch/fashion-mnist",
                None,
                "https://github.com/zalandoresearch/fashion-mnist",
            ),
        ),
        (
            "https://www.image-net.org/download.php",
            "dataset",
            ("reference", "download.php", None, "https://www.image-net.org/download.php"),
        ),
        (
            f"{FAKE}/google-bert/bert-base-uncased",
            "model",
            (
                "hf_model",
                "google-bert/bert-base-uncased",
                None,
                f"{FAKE}/google-bert/bert-base-uncased",
            ),
        ),
        (
            f"{FAKE}/datasets/rajpurkar/squad",
            "dataset",
            ("hf_dataset", "rajpurkar/squad", None, f"{FAKE}/datasets/rajpurkar/squad"),
        ),
        (
            f"{FAKE}/github/acme/bert-finetune-code",
            "code",
            ("github", "acme/bert-finetune-code", None, f"{FAKE}/github/acme/bert-finetune-code"),
        ),
    ],
)
def test_given_a_supported_url_when_parsed_then_kind_repo_and_revision_are_read(
    url, kind, expected
):
    ref = parse(url, kind)
    assert (ref.kind, ref.repo_id, ref.revision, ref.url) == expected
    assert ref.default_name == ref.repo


def test_given_a_github_tree_url_then_ref_and_subdir_are_kept():
    ref = parse("https://github.com/huggingface/transformers/tree/v4.41.0/examples/pytorch", "code")
    assert (ref.owner, ref.repo, ref.revision, ref.subdir) == (
        "huggingface",
        "transformers",
        "v4.41.0",
        "examples/pytorch",
    )


def test_given_a_reference_without_path_then_the_host_names_it():
    assert parse("https://example.org/", "dataset").default_name == "example.org"


def test_public_urls_parse_the_same_whatever_the_configured_endpoint():
    url = f"{HF}/google-bert/bert-base-uncased"
    real = parse_source_url(url, "model", hf_endpoint=HF, github_web_url="https://github.com")
    assert parse(url, "model") == real


@pytest.mark.parametrize(
    ("url", "kind", "message"),
    [
        ("", "model", "empty"),
        ("ftp://huggingface.co/gpt2", "model", "http(s)"),
        ("file:///etc/passwd", "code", "http(s)"),
        ("https:///gpt2", "model", "no host"),
        ("https://user:pw@huggingface.co/gpt2", "model", "credentials"),
        (f"{HF}/" + "a" * 2100, "model", "longer than 2048"),
        (f"{HF}/datasets/rajpurkar/squad", "model", "HuggingFace model URL"),
        (f"{HF}/google-bert/bert-base-uncased", "dataset", "hf_model"),
        (f"{HF}/google-bert/bert-base-uncased", "code", "hf_model"),
        ("https://github.com/google-research/bert", "model", "HuggingFace model URL"),
        ("https://example.org/model.bin", "model", "reference"),
        ("https://github.com/google-research", "code", "owner and a repository"),
        (f"{HF}/spaces/acme/demo", "model", "not a HuggingFace repository"),
        (f"{HF}/google-bert/bert base", "model", "not a valid repository name"),
        (f"{HF}/gpt2", "widget", "unknown artifact type"),
    ],
)
def test_given_an_unusable_url_when_parsed_then_bad_request_says_why(url, kind, message):
    with pytest.raises(BadRequest) as err:
        parse(url, kind)
    assert message in err.value.message
