"""Given artifacts named like popular ones, the audit flags impostors and leaves the real ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trustreg.security.confusables import edit_distance, skeleton
from trustreg.security.confusion import ArtifactFacts, find_suspects

NOW = datetime(2025, 6, 1, tzinfo=UTC)
OLD = NOW - timedelta(days=90)


def art(name: str, url: str | None = None, aid: str | None = None) -> ArtifactFacts:
    return ArtifactFacts(aid or name, name, "model", url, OLD, "ann")


def codes(*artifacts: ArtifactFacts) -> dict[str, set[str]]:
    return {
        s.artifact_id: {r.code for r in s.reasons} for s in find_suspects(artifacts, [], now=NOW)
    }


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("bert-base-uncased", "https://huggingface.co/google-bert/bert-base-uncased"),
        ("bert-base-uncased", "https://huggingface.co/bert-base-uncased"),
        ("google-bert/bert-base-uncased", None),
        ("resnet-50", "https://huggingface.co/microsoft/resnet-50"),
        ("squad", "https://huggingface.co/datasets/rajpurkar/squad"),
        ("transformers", "https://github.com/huggingface/transformers"),
        ("my-cat-classifier", "https://huggingface.co/ann/my-cat-classifier"),
    ],
)
def test_legitimate_artifacts_are_not_flagged(name: str, url: str | None) -> None:
    assert codes(art(name, url)) == {}


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("bert_base_uncased", "separator"),
        ("bertbaseuncased", "separator"),
        ("bеrt-base-uncased", "homoglyph"),  # Cyrillic е
        ("bert-base-unc\u03b1sed", "homoglyph"),  # Greek alpha
        ("resnet-5o", "homoglyph"),
        ("dist1lbert-base-uncased", "homoglyph"),
        ("bert-base-uncasde", "typo"),
        ("bert-bsae-uncsaed", "typo"),
        ("whlsper-large-v3", "homoglyph"),
    ],
)
def test_look_alike_names_are_flagged(name: str, code: str) -> None:
    found = codes(art(name, None, aid="x"))
    assert code in found["x"]


def test_case_alone_is_not_confusion_only_the_owner_decides() -> None:
    # HuggingFace ids keep their case (Llama-2-7b-hf), so case-only variants are the same name.
    real = art("BERT-Base-Uncased", "https://huggingface.co/google-bert/bert-base-uncased", "a")
    assert codes(real) == {}
    assert codes(art("BERT-Base-Uncased", None, aid="b")) == {"b": {"unverified_owner"}}


def test_rn_reads_as_m() -> None:
    assert skeleton("rnistral") == skeleton("mistral")


def test_short_names_are_not_typo_matched() -> None:
    assert codes(art("gpt3", None, aid="x")) == {}


@pytest.mark.parametrize(
    ("name", "url", "code"),
    [
        ("googIe-bert/bert-base-uncased", None, "owner_swap"),
        ("google_bert/bert-base-uncased", None, "owner_swap"),
        ("bert-base-uncased", "https://huggingface.co/g00gle-bert/bert-base-uncased", "owner_swap"),
        ("bert-base-uncased", "https://huggingface.co/evil/bert-base-uncased", "foreign_owner"),
        ("my-model", "https://github.com/evil/transformers", "foreign_owner"),
        ("bert-base-uncased", None, "unverified_owner"),
    ],
)
def test_popular_names_under_other_owners_are_flagged(
    name: str, url: str | None, code: str
) -> None:
    assert code in codes(art(name, url, aid="x"))["x"]


def test_popular_name_pointing_at_unrelated_repo_scores_high() -> None:
    suspects = find_suspects(
        [art("bert-base-uncased", "https://huggingface.co/evil/miner", aid="x")], [], now=NOW
    )
    assert {r.code for r in suspects[0].reasons} >= {"url_mismatch_popular", "foreign_owner"}
    assert suspects[0].score >= 0.85


def test_plain_name_url_mismatch_is_a_weak_signal() -> None:
    suspects = find_suspects(
        [art("cat-classifier", "https://huggingface.co/ann/crypto-miner", aid="x")], [], now=NOW
    )
    assert [r.code for r in suspects[0].reasons] == ["url_mismatch"]
    assert suspects[0].score < 0.5


def test_results_are_sorted_by_score() -> None:
    suspects = find_suspects(
        [
            art("cat-classifier", "https://huggingface.co/ann/crypto-miner", aid="weak"),
            art("bеrt-base-uncased", "https://huggingface.co/evil/miner", aid="strong"),
            art("bert_base_uncased", None, aid="middle"),
        ],
        [],
        now=NOW,
    )
    assert [s.artifact_id for s in suspects] == ["strong", "middle", "weak"]
    assert all(0 <= s.score <= 1 for s in suspects)


def test_custom_popular_list_replaces_the_shipped_one() -> None:
    found = find_suspects(
        [art("acme-detectr", None, aid="x")], [], popular=["acme/acme-detector"], now=NOW
    )
    assert found and found[0].reasons[0].code == "typo"


def test_edit_distance_counts_a_transposition_as_one() -> None:
    assert edit_distance("abcdef", "abdcef", 2) == 1
    assert edit_distance("abcdef", "zzzzzz", 2) == 3


@pytest.mark.parametrize(
    "name",
    ["bert-large-cased", "whisper-large-v2", "whisper-small", "roberta-large"],
)
def test_size_casing_and_version_siblings_are_not_typos(name: str) -> None:
    assert codes(art(name, f"https://huggingface.co/somebody/{name}", aid="x")) == {}
