"""Store a model's rating inputs as JSON, so a rating can be recomputed without refetching."""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from typing import Any

from trustreg.rating.inputs import (
    DatasetEvidence,
    GitHubEvidence,
    PullRequestEvidence,
    RatingInputs,
    RepoFile,
)


def to_dict(inputs: RatingInputs) -> dict[str, Any]:
    """Plain JSON-ready data (tuples become lists)."""
    return asdict(inputs)


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def from_dict(data: dict[str, Any]) -> RatingInputs:
    """Rebuild the dataclasses written by `to_dict` (unknown keys from older rows ignored)."""
    gh = data.get("github")
    github = None
    if isinstance(gh, dict):
        pulls = tuple(
            PullRequestEvidence(
                **{
                    **_known(PullRequestEvidence, p),
                    "reviews": tuple(p.get("reviews") or ()),
                    "files": tuple(p.get("files") or ()),
                }
            )
            for p in gh.get("pulls") or ()
        )
        github = GitHubEvidence(
            **{
                **_known(GitHubEvidence, gh),
                "pulls": pulls,
                "contributors": tuple(gh.get("contributors") or ()),
                "tree_paths": tuple(gh.get("tree_paths") or ()),
            }
        )
    base = _known(RatingInputs, data)
    return RatingInputs(
        **{
            **base,
            "files": tuple(RepoFile(**f) for f in data.get("files") or ()),
            "datasets": tuple(
                DatasetEvidence(**_known(DatasetEvidence, d)) for d in data.get("datasets") or ()
            ),
            "github": github,
            "code_urls": tuple(data.get("code_urls") or ()),
            "parent_net_scores": tuple(data.get("parent_net_scores") or ()),
        }
    )


def with_parents(inputs: RatingInputs, scores: list[float]) -> RatingInputs:
    """The same inputs with the current net scores of registered lineage parents."""
    return replace(inputs, parent_net_scores=tuple(scores))
