"""bus_factor: how many people carry the linked repository's work."""

from __future__ import annotations

from trustreg.rating.inputs import RatingInputs
from trustreg.rating.result import MetricResult, clamp

# "Most commits": the fewest people whose contributions reach this share of all commits.
_COVERAGE = 0.5
# That many people (or more) is a healthy project: score 1.
_HEALTHY = 5


def _humans(contributors: tuple[dict, ...]) -> list[int]:
    counts = []
    for c in contributors:
        login = str(c.get("login") or "")
        if c.get("type") == "Bot" or login.endswith("[bot]"):
            continue  # automation commits say nothing about who can maintain the code
        counts.append(int(c.get("contributions") or 0))
    return sorted((n for n in counts if n > 0), reverse=True)


def compute(inputs: RatingInputs) -> MetricResult:
    """Score the fewest contributors covering half of the commits, normalised to [0, 1]."""
    gh = inputs.github
    if gh is None:
        return MetricResult(0.0, "no linked GitHub repository: contributors unknown", {})
    counts = _humans(gh.contributors)
    total = sum(counts)
    if total == 0:
        return MetricResult(
            0.0, "linked repository lists no human contributors", {"repo": f"{gh.owner}/{gh.repo}"}
        )
    covered, people = 0, 0
    for n in counts:
        covered += n
        people += 1
        if covered >= _COVERAGE * total:
            break
    score = clamp(people / _HEALTHY)
    evidence = {
        "repo": f"{gh.owner}/{gh.repo}",
        "contributors": len(counts),
        "commits": total,
        "people_covering_half": people,
        "truncated": gh.truncated,
    }
    reason = f"{people} of {len(counts)} contributors cover {_COVERAGE:.0%} of {total} commits"
    return MetricResult(score, reason, evidence)
