"""Well-known artifact names that impostors imitate, with the owners that really publish them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# "owner/name" for the canonical publisher; a bare "name" is a legacy top-level HuggingFace id
# (huggingface.co/gpt2), which is legitimate too. Lower-case; compared after normalisation.
POPULAR_NAMES: tuple[str, ...] = (
    "google-bert/bert-base-uncased", "bert-base-uncased",
    "google-bert/bert-base-cased", "bert-base-cased",
    "google-bert/bert-large-uncased", "bert-large-uncased",
    "distilbert/distilbert-base-uncased", "distilbert-base-uncased",
    "distilbert/distilbert-base-uncased-distilled-squad", "distilbert-base-uncased-distilled-squad",
    "facebookai/roberta-base", "roberta-base",
    "openai-community/gpt2", "gpt2",
    "openai/whisper-tiny", "openai/whisper-base", "openai/whisper-large-v3", "openai/whisper",
    "microsoft/resnet-50", "microsoft/deberta-v3-base",
    "meta-llama/llama-2-7b-hf", "meta-llama/meta-llama-3-8b", "meta-llama/llama",
    "google-t5/t5-small", "t5-small", "google/flan-t5-base", "google/vit-base-patch16-224",
    "sentence-transformers/all-minilm-l6-v2", "openai/clip-vit-base-patch32",
    "stabilityai/stable-diffusion-xl-base-1.0", "mistralai/mistral-7b-v0.1",
    "rajpurkar/squad", "squad", "nyu-mll/glue", "glue", "stanfordnlp/imdb", "imdb",
    "ylecun/mnist", "mnist", "uoft-cs/cifar10", "cifar10", "wikimedia/wikipedia",
    "huggingface/transformers", "pytorch/pytorch", "tensorflow/tensorflow",
    "google-research/bert", "openai/whisper", "meta-llama/llama", "pallets/flask",
)  # fmt: skip


@dataclass(frozen=True)
class PopularName:
    """A name worth imitating; `owners` holds its legitimate publishers ("" = legacy id)."""

    name: str
    owners: frozenset[str]
    artifact_id: str | None = None  # set when popularity comes from this registry's downloads


def split_owner(ref: str) -> tuple[str, str]:
    """("owner", "name") from "owner/name"; ("", name) when there is no owner."""
    owner, _, name = ref.strip().strip("/").rpartition("/")
    return owner.casefold(), name


def index_popular(refs: Iterable[str]) -> dict[str, PopularName]:
    """Merge "owner/name" refs by lower-cased name, collecting each name's owners."""
    owners: dict[str, set[str]] = {}
    for ref in refs:
        owner, name = split_owner(ref)
        owners.setdefault(name.casefold(), set()).add(owner)
    return {name: PopularName(name, frozenset(o)) for name, o in owners.items()}
