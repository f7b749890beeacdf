"""Given sampled pull requests and lineage, reviewedness and tree_score follow their rules."""

from __future__ import annotations

from dataclasses import replace

import pytest

from trustreg.rating.inputs import GitHubEvidence, PullRequestEvidence, RatingInputs
from trustreg.rating.metrics import reviewedness, tree_score
from trustreg.rating.runner import rate


def _gh(inputs: RatingInputs) -> GitHubEvidence:
    assert inputs.github is not None
    return inputs.github


def test_given_reviewed_prs_then_reviewed_code_share_excluding_weights(good: RatingInputs) -> None:
    result = reviewedness.compute(good)
    # PR1 (100 code lines + 10k weight lines, reviewed), PR2 (60, reviewed), PR3 (40, self)
    assert result.score == pytest.approx(160 / 200)
    assert result.evidence["reviewed_pulls"] == 2


def test_given_direct_commits_then_they_count_as_unreviewed(good: RatingInputs) -> None:
    gh = replace(_gh(good), direct_commit_additions=200)
    assert reviewedness.compute(replace(good, github=gh)).score == pytest.approx(160 / 400)


def test_given_pending_or_self_review_then_not_reviewed(good: RatingInputs) -> None:
    pr = PullRequestEvidence(
        9,
        "alice",
        None,
        reviews=(
            {"user": {"login": "alice"}, "state": "APPROVED"},
            {"user": {"login": "bob"}, "state": "PENDING"},
        ),
        files=({"filename": "a.py", "additions": 10},),
    )
    gh = replace(_gh(good), pulls=(pr,), direct_commit_additions=None)
    result = reviewedness.compute(replace(good, github=gh))
    assert result.score == 0.0
    assert "not measured" in result.reason


def test_given_repo_without_additions_then_zero_with_reason(good: RatingInputs) -> None:
    gh = replace(_gh(good), pulls=(), direct_commit_additions=None)
    result = reviewedness.compute(replace(good, github=gh))
    assert result.score == 0.0 and "no code additions" in result.reason


def test_given_fine_tune_then_tree_score_is_parent_net_score(fine_tune: RatingInputs) -> None:
    assert tree_score.compute(fine_tune).score == pytest.approx(0.8)
    assert rate(fine_tune).score("tree_score") == pytest.approx(0.8)


def test_given_two_parents_then_tree_score_is_their_mean(good: RatingInputs) -> None:
    assert tree_score.compute(replace(good, parent_net_scores=(0.2, 0.6))).score == 0.4


def test_given_no_parents_then_tree_score_equals_own_net_and_is_neutral(good: RatingInputs) -> None:
    rating = rate(good)
    assert rating.score("tree_score") == pytest.approx(rating.score("net_score"), abs=1e-3)
