"""The individual confusion signals; thresholds are documented in docs/security.md."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from trustreg.security.confusables import edit_distance, fold, is_variant, skeleton, squash
from trustreg.security.popular import PopularName, split_owner
from trustreg.security.source_refs import repo_ref

TYPO_MIN_LEN = 6
TYPO_MAX_DISTANCE = 2
BURST_WINDOW = timedelta(hours=1)
BURST_MIN_DOWNLOADS = 20
BURST_TOP_ACTORS = 2
BURST_SHARE = 0.8
WEIGHTS = {
    "homoglyph": 0.9, "owner_swap": 0.85, "typo_1": 0.75, "typo_2": 0.55, "separator": 0.6,
    "foreign_owner": 0.5, "unverified_owner": 0.3, "url_mismatch_popular": 0.8,
    "url_mismatch": 0.4, "download_burst": 0.6,
}  # fmt: skip


@dataclass(frozen=True)
class Reason:
    """One piece of evidence: a stable code, a human detail and its weight in the score."""

    code: str
    detail: str
    weight: float = 0.0


def _reason(code: str, detail: str) -> Reason:
    return Reason(code.removesuffix("_1").removesuffix("_2"), detail, WEIGHTS[code])


def resembles(a: str, b: str) -> bool:
    """Same after squashing/skeletons, or within the typo distance for long enough names."""
    if squash(a) == squash(b) or skeleton(a) == skeleton(b):
        return True
    long_enough = min(len(squash(a)), len(squash(b))) >= TYPO_MIN_LEN
    return long_enough and edit_distance(skeleton(a), skeleton(b), TYPO_MAX_DISTANCE) <= 2


def _look_alike(candidate: str, popular: PopularName) -> Reason | None:
    """How `candidate` imitates a popular name it is not exactly equal to, if at all."""
    target = popular.name
    if squash(candidate) == squash(target):
        return _reason("separator", f"{candidate!r} differs from {target!r} by case/separators")
    if skeleton(candidate) == skeleton(target):
        return _reason("homoglyph", f"{candidate!r} uses look-alike characters for {target!r}")
    a, b = squash(candidate), squash(popular.name)
    if min(len(a), len(b)) < TYPO_MIN_LEN or is_variant(candidate, target):
        return None
    distance = min(edit_distance(a, b, 2), edit_distance(skeleton(a), skeleton(b), 2))
    if distance <= TYPO_MAX_DISTANCE:
        return _reason(f"typo_{distance}", f"{candidate!r} is {distance} edit(s) from {target!r}")
    return None


def _owner_check(candidate: str, owners: set[str], popular: PopularName) -> Reason | None:
    """For an exact popular name: fine under a canonical owner, suspicious under any other."""
    if owners & popular.owners:
        return None
    if not owners:
        return _reason("unverified_owner", f"{candidate!r} has no source proving its publisher")
    legit = sorted(o for o in popular.owners if o) or ["(legacy id)"]
    for owner in sorted(owners):
        if any(o and resembles(owner, o) for o in popular.owners):
            return _reason("owner_swap", f"owner {owner!r} imitates {', '.join(legit)}")
    return _reason("foreign_owner", f"{candidate!r} published by {sorted(owners)}, not {legit}")


def name_reasons(
    name: str, source_url: str | None, artifact_id: str, popular: Sequence[PopularName]
) -> list[Reason]:
    """Look-alike, owner and name/URL signals for one artifact against k popular names."""
    name_owner, bare = split_owner(name)
    ref = repo_ref(source_url)
    owners = {o for o in (name_owner, ref[0] if ref else None) if o is not None and o != ""}
    if ref is not None and ref[0] == "":
        owners.add("")  # a legacy top-level HF id is its own canonical owner
    candidates = {fold(bare)} | ({fold(ref[1])} if ref else set())
    found: list[Reason] = []
    imitates_popular = False
    for candidate in sorted(candidates):
        exact = [p for p in popular if p.name == candidate and p.artifact_id != artifact_id]
        if exact:  # a known name itself: only who publishes it matters
            imitates_popular = True
            found += [r for p in exact if (r := _owner_check(candidate, owners, p))][:1]
            continue
        others = (p for p in popular if p.artifact_id != artifact_id)
        looks = [r for p in others if (r := _look_alike(candidate, p))]
        if looks:
            imitates_popular = True
            found.append(max(looks, key=lambda r: r.weight))
    if ref is not None and not _names_agree(bare, ref[1]):
        code = "url_mismatch_popular" if imitates_popular else "url_mismatch"
        found.append(_reason(code, f"name {name!r} but source is {ref[0]}/{ref[1]}"))
    return _dedupe(found)


def _names_agree(name: str, repo: str) -> bool:
    """A name matches its source when they resemble or one contains the other (`bert` in URL)."""
    a, b = squash(name), squash(repo)
    return resembles(name, repo) or a in b or b in a


def _dedupe(reasons: Iterable[Reason]) -> list[Reason]:
    seen: dict[tuple[str, str], Reason] = {}
    for r in reasons:
        seen.setdefault((r.code, r.detail), r)
    return list(seen.values())


def _actor_share(window: Counter[Any], size: int) -> float:
    return sum(n for _, n in window.most_common(BURST_TOP_ACTORS)) / size


def burst_reason(downloads: Sequence[Any]) -> Reason | None:
    """>= 20 downloads within an hour, >= 80% of them from at most 2 users or tokens."""
    events = sorted(downloads, key=lambda d: d.at)
    users: Counter[str] = Counter()
    tokens: Counter[str] = Counter()
    left = 0
    for right, d in enumerate(events):
        users[d.user_name] += 1
        tokens[d.token_id or f"user:{d.user_name}"] += 1
        while d.at - events[left].at > BURST_WINDOW:
            gone = events[left]
            users[gone.user_name] -= 1
            tokens[gone.token_id or f"user:{gone.user_name}"] -= 1
            left += 1
        size = right - left + 1
        if size >= BURST_MIN_DOWNLOADS:
            share = max(_actor_share(users, size), _actor_share(tokens, size))
            if share >= BURST_SHARE:
                return _reason(
                    "download_burst",
                    f"{size} downloads within an hour, {share:.0%} from <= 2 users/tokens",
                )
    return None
