"""Package-confusion audit: artifacts imitating popular names, odd sources, download bursts."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from trustreg.security.confusion_signals import Reason, burst_reason, name_reasons
from trustreg.security.popular import POPULAR_NAMES, PopularName, index_popular
from trustreg.security.source_refs import repo_ref

TOP_DOWNLOADED = 20  # registry artifacts treated as popular, by download count
RECENT = timedelta(days=7)


@dataclass(frozen=True)
class ArtifactFacts:
    """What the audit needs to know about one artifact."""

    id: str
    name: str
    type: str
    source_url: str | None
    created_at: datetime
    created_by: str | None = None


@dataclass(frozen=True)
class DownloadFacts:
    """One download: who, with which token (when known), and when."""

    artifact_id: str
    user_name: str
    token_id: str | None
    at: datetime


@dataclass(frozen=True)
class Suspect:
    """An artifact worth a human look; `score` in 0..1 combines the reasons."""

    artifact_id: str
    name: str
    type: str
    score: float
    reasons: list[Reason] = field(default_factory=list)


def _registry_popular(
    artifacts: Sequence[ArtifactFacts], downloads: Sequence[DownloadFacts], top: int
) -> list[PopularName]:
    """The `top` most-downloaded artifacts, owned by whoever their source URL names."""
    counts = Counter(d.artifact_id for d in downloads)
    by_id = {a.id: a for a in artifacts}
    found: list[PopularName] = []
    for artifact_id, _ in counts.most_common():
        artifact = by_id.get(artifact_id)
        if artifact is None:
            continue
        ref = repo_ref(artifact.source_url)
        owner = ref[0] if ref else ""
        bare = artifact.name.rpartition("/")[2]
        found.append(PopularName(bare.casefold(), frozenset({owner}), artifact_id=artifact.id))
        if len(found) >= top:
            break
    return found


def _combine(reasons: Sequence[Reason]) -> float:
    """Independent-evidence combination: 1 - prod(1 - weight), so more reasons score higher."""
    remaining = 1.0
    for reason in reasons:
        remaining *= 1.0 - reason.weight
    return round(1.0 - remaining, 3)


def find_suspects(
    artifacts: Sequence[ArtifactFacts],
    downloads: Sequence[DownloadFacts],
    *,
    popular: Sequence[str] = POPULAR_NAMES,
    now: datetime,
    top_downloaded: int = TOP_DOWNLOADED,
) -> list[Suspect]:
    """Artifacts that look like confusion attacks, most suspicious first (O(n*k) names)."""
    names = list(index_popular(popular).values())
    names += _registry_popular(artifacts, downloads, top_downloaded)
    per_artifact: dict[str, list[DownloadFacts]] = defaultdict(list)
    for d in downloads:
        per_artifact[d.artifact_id].append(d)
    suspects: list[Suspect] = []
    for artifact in artifacts:
        reasons = name_reasons(artifact.name, artifact.source_url, artifact.id, names)
        if now - artifact.created_at <= RECENT:
            burst = burst_reason(per_artifact.get(artifact.id, []))
            if burst is not None:
                reasons.append(burst)
        if reasons:
            suspects.append(
                Suspect(artifact.id, artifact.name, artifact.type, _combine(reasons), reasons)
            )
    suspects.sort(key=lambda s: (-s.score, s.name, s.artifact_id))
    return suspects
