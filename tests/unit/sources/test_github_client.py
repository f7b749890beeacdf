"""Given the fake GitHub, when the client and evidence gatherer run, then the numbers are right."""

from __future__ import annotations

import io
import zipfile

import pytest

from trustreg.errors import NotFound
from trustreg.sources.github import GitHubClient, gather_github_evidence


def test_repo_license_and_contributors(hub_env):
    gh = GitHubClient()
    assert gh.repo("google-research", "bert")["default_branch"] == "master"
    assert gh.license_spdx("acme", "lgpl-lib") == "LGPL-2.1"
    assert gh.license_spdx("acme", "missing") is None
    logins = [c["login"] for c in gh.contributors("google-research", "bert", limit=3)]
    assert logins == ["jacobdevlin-google", "slavpetrov", "iuliaturc-google"]
    with pytest.raises(NotFound, match="GitHub repository acme/missing not found upstream"):
        gh.repo("acme", "missing")


def test_requests_carry_the_github_media_type_and_version(hub_env):
    GitHubClient().repo("openai", "whisper")
    headers = hub_env.log[-1].headers
    assert headers["accept"] == "application/vnd.github+json"
    assert headers["x-github-api-version"] == "2022-11-28"


def test_merged_pulls_drop_unmerged_ones_and_pages_are_followed(hub_env):
    pulls, truncated = GitHubClient().merged_pulls("google-research", "bert", limit=30)
    assert [p["number"] for p in pulls] == [13, 12, 11, 10] and not truncated
    commits, more = GitHubClient().recent_commits("google-research", "bert", limit=3)
    assert len(commits) == 3 and more


def test_tree_and_zipball(hub_env):
    gh = GitHubClient()
    paths, truncated = gh.tree_paths("acme", "bert-finetune-code", "main")
    assert {"tests/test_train.py", ".github/workflows/ci.yml", "requirements.txt"} <= set(paths)
    assert "tests" not in paths and truncated is False
    sink = io.BytesIO()
    size, _ = gh.download_zipball("acme", "bert-finetune-code", "main", sink, 1_000_000)
    names = zipfile.ZipFile(sink).namelist()
    assert size == len(sink.getvalue()) and any(n.endswith("/train.py") for n in names)


@pytest.mark.parametrize(
    ("repo", "pulls", "reviewed", "direct"),
    [
        (("google-research", "bert"), 4, 3, 35),
        (("acme", "bert-finetune-code"), 3, 3, 0),
        (("acme", "unreviewed-code"), 1, 0, 240),
    ],
)
def test_gather_evidence_counts_reviews_and_direct_pushes(hub_env, repo, pulls, reviewed, direct):
    evidence = gather_github_evidence(GitHubClient(), *repo)
    assert len(evidence.pulls) == pulls
    assert sum(1 for p in evidence.pulls if p.reviews) == reviewed
    assert evidence.direct_commit_additions == direct
    assert evidence.repo_info["full_name"] == "/".join(repo)
    assert evidence.tree_paths and evidence.contributors


def test_gather_evidence_is_bounded(hub_env):
    evidence = gather_github_evidence(
        GitHubClient(), "google-research", "bert", max_pulls=1, max_commits=2
    )
    assert len(evidence.pulls) == 1 and evidence.sampled_commits == 2 and evidence.truncated
    assert evidence.license_spdx == "Apache-2.0"
    assert (
        sum(p.startswith("/github-api/repos/google-research/bert/pulls/") for p in hub_env.requests)
        == 3
    )  # reviews, files and commits of the one sampled PR
