"""Given download history, popularity and bursts from few actors shape the audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from trustreg.security.confusion import ArtifactFacts, DownloadFacts, find_suspects

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def art(aid: str, name: str, url: str | None, age_days: float) -> ArtifactFacts:
    return ArtifactFacts(aid, name, "model", url, NOW - timedelta(days=age_days), "ann")


def downloads(aid: str, users: list[str], start: datetime, step_s: int = 60) -> list[DownloadFacts]:
    return [
        DownloadFacts(aid, u, f"tok-{u}", start + timedelta(seconds=i * step_s))
        for i, u in enumerate(users)
    ]


def test_registry_top_download_becomes_a_protected_name() -> None:
    real = art("real", "acme-sentiment", "https://huggingface.co/acme/acme-sentiment", 60)
    fake = art("fake", "acme-sentlment", None, 60)
    history = downloads("real", [f"u{i}" for i in range(30)], NOW - timedelta(days=5), 3600)
    suspects = find_suspects([real, fake], history, popular=[], now=NOW)
    assert [s.artifact_id for s in suspects] == ["fake"]


def test_new_artifact_with_burst_from_two_users_is_flagged() -> None:
    fresh = art("fresh", "cat-detector", None, 2)
    history = downloads("fresh", ["bot1", "bot2"] * 12, NOW - timedelta(hours=3))
    suspects = find_suspects([fresh], history, now=NOW)
    assert [r.code for r in suspects[0].reasons] == ["download_burst"]


def test_burst_from_one_user_with_many_tokens_is_still_flagged() -> None:
    fresh = art("fresh", "cat-detector", None, 2)
    history = [
        DownloadFacts("fresh", "bot", f"tok-{i}", NOW - timedelta(minutes=50 - i))
        for i in range(25)
    ]
    assert find_suspects([fresh], history, now=NOW)[0].reasons[0].code == "download_burst"


def test_many_distinct_users_is_organic_popularity() -> None:
    fresh = art("fresh", "cat-detector", None, 2)
    history = downloads("fresh", [f"user{i}" for i in range(40)], NOW - timedelta(hours=3))
    assert find_suspects([fresh], history, now=NOW) == []


def test_slow_downloads_are_not_a_burst() -> None:
    fresh = art("fresh", "cat-detector", None, 2)
    history = downloads("fresh", ["bot1"] * 30, NOW - timedelta(days=1), step_s=600)
    assert find_suspects([fresh], history, now=NOW) == []


def test_old_artifacts_are_not_checked_for_bursts() -> None:
    old = art("old", "cat-detector", None, 30)
    history = downloads("old", ["bot1"] * 30, NOW - timedelta(hours=3))
    assert find_suspects([old], history, now=NOW) == []
