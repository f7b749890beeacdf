"""reviewedness: share of the linked repository's added code that went through someone's review."""

from __future__ import annotations

from trustreg.packaging.file_kinds import DATA_SUFFIXES, WEIGHT_SUFFIXES
from trustreg.rating.inputs import PullRequestEvidence, RatingInputs
from trustreg.rating.result import NOT_APPLICABLE, MetricResult

# Additions to these files are weights or data, not code someone could review line by line.
NON_CODE_EXTENSIONS: tuple[str, ...] = (
    *WEIGHT_SUFFIXES,
    *DATA_SUFFIXES,
    ".pb",
    ".npy",
    ".npz",
    ".pkl",
    ".pickle",
    ".joblib",
    ".json",
    ".txt",
    ".zip",
    ".tar",
    ".gz",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".wav",
    ".mp3",
    ".mp4",
    ".svg",
)


def code_additions(pr: PullRequestEvidence) -> int:
    """Lines added to code (non weight/data) files by one pull request."""
    total = 0
    for f in pr.files:
        if not str(f.get("filename") or "").lower().endswith(NON_CODE_EXTENSIONS):
            total += int(f.get("additions") or 0)
    return total


def was_reviewed(pr: PullRequestEvidence) -> bool:
    """True when someone other than the author submitted a review."""
    for review in pr.reviews:
        login = (review.get("user") or {}).get("login")
        # PENDING reviews are unsubmitted drafts; nobody has seen the code through them.
        if login and login != pr.author and review.get("state") != "PENDING":
            return True
    return False


def compute(inputs: RatingInputs) -> MetricResult:
    """Reviewed code additions over all sampled code additions; -1 without a GitHub repository."""
    gh = inputs.github
    if gh is None:
        return MetricResult(NOT_APPLICABLE, "no linked GitHub repository: not applicable", {})
    reviewed = sum(code_additions(pr) for pr in gh.pulls if was_reviewed(pr))
    via_prs = sum(code_additions(pr) for pr in gh.pulls)
    direct = gh.direct_commit_additions or 0
    total = via_prs + direct
    evidence = {
        "repo": f"{gh.owner}/{gh.repo}",
        "sampled_pulls": len(gh.pulls),
        "reviewed_pulls": sum(1 for pr in gh.pulls if was_reviewed(pr)),
        "reviewed_additions": reviewed,
        "pr_additions": via_prs,
        "direct_commit_additions": gh.direct_commit_additions,
        "sampled_commits": gh.sampled_commits,
        "truncated": gh.truncated,
    }
    if total == 0:
        return MetricResult(
            0.0, "no code additions in the sampled history: no review evidence", evidence
        )
    score = round(reviewed / total, 4)
    reason = f"{reviewed} of {total} sampled added code lines were reviewed"
    if gh.direct_commit_additions is None:
        reason += " (direct commits not measured)"
    return MetricResult(score, reason, evidence)
