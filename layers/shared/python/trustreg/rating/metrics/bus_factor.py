"""bus_factor: how many people carry the linked repository's work."""

from __future__ import annotations

from trustreg.rating.inputs import RatingInputs
from trustreg.rating.result import MetricResult

# "Most commits": the fewest people whose contributions reach this share of all commits.
_COVERAGE = 0.5
# A second person with at least this share of the commits knows the code well enough to carry on.
_BACKUP_SHARE = 0.10
# One person and nobody else of weight: below "adequate", above "nobody at all".
_LONE_AUTHOR = 0.25


def _humans(contributors: tuple[dict, ...]) -> list[int]:
    counts = []
    for c in contributors:
        login = str(c.get("login") or "")
        if c.get("type") == "Bot" or login.endswith("[bot]"):
            continue  # automation commits say nothing about who can maintain the code
        counts.append(int(c.get("contributions") or 0))
    return sorted((n for n in counts if n > 0), reverse=True)


def truck_factor(counts: list[int]) -> int:
    """The fewest contributors (largest first) whose commits reach half of all commits."""
    covered, people = 0, 0
    for n in counts:
        covered += n
        people += 1
        if covered >= _COVERAGE * sum(counts):
            break
    return people


def curve(counts: list[int]) -> float:
    """1 - 0.5**k for truck factor k; a lone author (no backup with 10 % of commits) is 0.25."""
    k = truck_factor(counts)
    has_backup = len(counts) > 1 and counts[1] >= _BACKUP_SHARE * sum(counts)
    if k == 1 and not has_backup:
        return _LONE_AUTHOR
    # Each further person needed to cover half the work halves the remaining risk.
    return round(1 - 0.5**k, 4)


def compute(inputs: RatingInputs) -> MetricResult:
    """Score the fewest contributors covering half of the commits (see docs/metrics.md)."""
    gh = inputs.github
    if gh is None:
        if inputs.code_urls:  # the card links code we could not read: unknown, so judged as 0
            return MetricResult(
                0.0,
                "linked repository could not be read: contributors unknown",
                {"code_urls": list(inputs.code_urls)},
            )
        return MetricResult(
            0.0,
            "no linked code repository: contributors unknown (not judged by the gate)",
            {},
            absent=True,
        )
    counts = _humans(gh.contributors)
    total = sum(counts)
    if total == 0:
        return MetricResult(
            0.0, "linked repository lists no human contributors", {"repo": f"{gh.owner}/{gh.repo}"}
        )
    people = truck_factor(counts)
    evidence = {
        "repo": f"{gh.owner}/{gh.repo}",
        "contributors": len(counts),
        "commits": total,
        "people_covering_half": people,
        "top_share": round(counts[0] / total, 4),
        "truncated": gh.truncated,
    }
    reason = f"{people} of {len(counts)} contributors cover {_COVERAGE:.0%} of {total} commits"
    score = curve(counts)
    if score == _LONE_AUTHOR:
        reason += "; nobody else wrote 10% of them"
    return MetricResult(score, reason, evidence)
