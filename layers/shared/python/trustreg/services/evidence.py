"""Evidence a model card links to: its datasets on the hub and its GitHub repository."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trustreg.errors import RegistryError, UpstreamError
from trustreg.observability import logger
from trustreg.rating.inputs import DatasetEvidence, GitHubEvidence
from trustreg.sources.huggingface import HuggingFaceClient
from trustreg.sources.model_card import find_github_urls, parse_model_card

MAX_DATASETS = 3  # linked datasets fetched for dataset_quality; more would slow every ingest
INFO_KEYS = (
    "id",
    "author",
    "sha",
    "lastModified",
    "createdAt",
    "downloads",
    "likes",
    "tags",
    "pipeline_tag",
    "library_name",
    "gated",
    "private",
    "cardData",
)


@dataclass(frozen=True)
class Linked:
    """What the card's links led to."""

    datasets: tuple[DatasetEvidence, ...]
    github: GitHubEvidence | None
    github_error: str | None
    code_urls: tuple[str, ...]


def dataset_names(metadata: dict[str, Any]) -> list[str]:
    """The card's `datasets:` entry as a list of names."""
    value = metadata.get("datasets")
    values = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [v for v in values if isinstance(v, str) and v.strip()]


def linked_evidence(
    body: str, metadata: dict[str, Any], hf: HuggingFaceClient | None = None
) -> Linked:
    """Fetch the linked datasets' cards and the linked GitHub repo's evidence (bounded)."""
    urls = find_github_urls(body, metadata)
    github, error = _github(urls)
    return Linked(
        _datasets(hf or HuggingFaceClient(), dataset_names(metadata)), github, error, tuple(urls)
    )


def _datasets(hf: HuggingFaceClient, names: list[str]) -> tuple[DatasetEvidence, ...]:
    out = []
    for name in names[:MAX_DATASETS]:
        try:
            info = hf.dataset_info(name)
            text = hf.read_text(name, "README.md", None, "dataset")
            card = parse_model_card(text)
            out.append(
                DatasetEvidence(
                    name,
                    card.metadata,
                    card.body,
                    {k: info.get(k) for k in INFO_KEYS if k in info},
                    True,
                )
            )
        except RegistryError as exc:  # a missing dataset lowers dataset_quality; it is no error
            logger.info("linked dataset not fetched", extra={"dataset": name, "why": exc.message})
            out.append(DatasetEvidence(name=name, found=False))
    return tuple(out)


def _github(urls: list[str]) -> tuple[GitHubEvidence | None, str | None]:
    from trustreg.sources.github import GitHubClient, gather_github_evidence
    from trustreg.sources.urls import parse_source_url

    for url in urls[:1]:
        try:
            ref = parse_source_url(url, "code")
            if ref.kind != "github" or not ref.owner:
                continue
            return gather_github_evidence(GitHubClient(), ref.owner, ref.repo), None
        except UpstreamError:
            # GitHub being down is not evidence against the model: fail the ingest (502) so
            # the user retries, rather than refusing the model (424) on missing data.
            raise
        except RegistryError as exc:
            return None, f"{url}: {exc.message}"
    return None, None
