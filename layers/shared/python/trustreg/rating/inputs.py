"""What a rating is computed from: everything ingest or upload gathered, in plain data.

Shapes inside the dicts are the upstream APIs' own (HuggingFace Hub `/api/models/...`, GitHub
REST v3) so evidence can be shown to users as it came; the metrics read them defensively.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RepoFile:
    """One file of a model/dataset/code package: its path and size in bytes."""

    path: str
    size: int


@dataclass(frozen=True)
class PullRequestEvidence:
    """A merged pull request of the linked repository, with its reviews and changed files."""

    number: int
    author: str | None
    merged_at: str | None
    # GitHub `/pulls/{n}/reviews` items: {"user": {"login"}, "state": "APPROVED"|...}
    reviews: tuple[dict[str, Any], ...] = ()
    # GitHub `/pulls/{n}/files` items: {"filename", "additions", "deletions", "status"}
    files: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class GitHubEvidence:
    """The linked GitHub repository, as far as the bounded API calls saw it."""

    owner: str
    repo: str
    repo_info: dict[str, Any] = field(default_factory=dict)  # GET /repos/{o}/{r}
    license_spdx: str | None = None  # GET /repos/{o}/{r}/license -> license.spdx_id
    contributors: tuple[dict[str, Any], ...] = ()  # GET /repos/{o}/{r}/contributors
    tree_paths: tuple[str, ...] = ()  # GET /repos/{o}/{r}/git/trees/{ref}?recursive=1
    pulls: tuple[PullRequestEvidence, ...] = ()  # sampled merged pull requests
    # Lines added on the default branch by commits that did not come through a pull request,
    # from the sampled commits' stats; None when not measured.
    direct_commit_additions: int | None = None
    sampled_commits: int = 0
    truncated: bool = False  # True when the sampling bound cut the listing short


@dataclass(frozen=True)
class DatasetEvidence:
    """A dataset the model names (card `datasets:` metadata), as its card describes it."""

    name: str
    card_metadata: dict[str, Any] = field(default_factory=dict)
    card_text: str = ""
    info: dict[str, Any] = field(default_factory=dict)  # HF GET /api/datasets/{id}
    found: bool = False  # False when the dataset could not be fetched or is not on the hub


@dataclass(frozen=True)
class RatingInputs:
    """Everything the metrics may read for one model."""

    name: str
    model_id: str | None = None  # e.g. "google-bert/bert-base-uncased" for public models
    card_text: str = ""  # the model card body, without its YAML header
    card_metadata: dict[str, Any] = field(default_factory=dict)  # the YAML header
    card_malformed: bool = False  # the YAML header was present but could not be parsed
    config: dict[str, Any] | None = None  # config.json
    files: tuple[RepoFile, ...] = ()
    hf_info: dict[str, Any] = field(default_factory=dict)  # HF GET /api/models/{id}
    datasets: tuple[DatasetEvidence, ...] = ()
    github: GitHubEvidence | None = None
    code_urls: tuple[str, ...] = ()  # example-code links found in the card
    parent_net_scores: tuple[float, ...] = ()  # net scores of registered lineage parents
    is_public_source: bool = True  # False for uploaded internal models (not gated)
