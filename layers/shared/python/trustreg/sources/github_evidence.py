"""Gather what the rating reads about a linked GitHub repository, with bounded API calls."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from trustreg.rating.inputs import GitHubEvidence, PullRequestEvidence

if TYPE_CHECKING:
    from trustreg.sources.github import GitHubClient

# GitHub's own merge-commit and squash-merge titles: "Merge pull request #12 ..." / "... (#12)".
_PR_TITLE = re.compile(r"^Merge pull request #\d+|\(#\d+\)\s*$")


def _via_pull_request(commit: dict[str, Any], pr_shas: set[str]) -> bool:
    """Whether a default-branch commit came through a pull request, as far as we can tell."""
    if commit.get("sha") in pr_shas or len(commit.get("parents") or []) > 1:
        return True
    message = str((commit.get("commit") or {}).get("message") or "")
    return bool(_PR_TITLE.search(message.splitlines()[0] if message else ""))


def gather_github_evidence(
    client: GitHubClient,
    owner: str,
    repo: str,
    ref: str | None = None,
    *,
    max_pulls: int = 30,
    max_commits: int = 30,
) -> GitHubEvidence:
    """Repo info, license, contributors, tree, sampled merged PRs and direct-push additions.

    Sampling: the `max_pulls` most recently updated merged PRs (each with its reviews, files and
    commit SHAs) and the latest `max_commits` commits of `ref` (default branch when None).
    `direct_commit_additions` sums `stats.additions` of those sampled commits that did not come
    through a PR: not a sampled PR's commit or merge commit, not a merge commit, and not titled
    the way GitHub titles PR merges and squashes (so PRs older than the sample are not counted
    as direct pushes). Cost: about 6 + 3*max_pulls + max_commits requests, so configure
    GITHUB_TOKEN (60 unauthenticated requests an hour will not do). `truncated` is set when any
    listing had more than the bound.
    """
    info = client.repo(owner, repo)
    ref = ref or str(info.get("default_branch") or "main")
    paths, tree_truncated = client.tree_paths(owner, repo, ref)
    raw_pulls, pulls_truncated = client.merged_pulls(owner, repo, max_pulls)
    pulls: list[PullRequestEvidence] = []
    pr_shas: set[str] = set()
    for pull in raw_pulls:
        number = int(pull["number"])
        pr_shas.update(client.pull_commit_shas(owner, repo, number))
        if pull.get("merge_commit_sha"):
            pr_shas.add(str(pull["merge_commit_sha"]))
        pulls.append(
            PullRequestEvidence(
                number=number,
                author=(pull.get("user") or {}).get("login"),
                merged_at=pull.get("merged_at"),
                reviews=tuple(client.pull_reviews(owner, repo, number)),
                files=tuple(client.pull_files(owner, repo, number)),
            )
        )
    commits, commits_truncated = client.recent_commits(owner, repo, ref, max_commits)
    direct = 0
    for commit in commits:
        if not _via_pull_request(commit, pr_shas):
            stats = client.commit(owner, repo, str(commit["sha"])).get("stats") or {}
            direct += int(stats.get("additions") or 0)
    return GitHubEvidence(
        owner=owner,
        repo=repo,
        repo_info=info,
        license_spdx=client.license_spdx(owner, repo),
        contributors=tuple(client.contributors(owner, repo)),
        tree_paths=tuple(paths),
        pulls=tuple(pulls),
        direct_commit_additions=direct,
        sampled_commits=len(commits),
        truncated=tree_truncated or pulls_truncated or commits_truncated,
    )
