"""The observation window and the per-minute timeline helpers every series-based check shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from trustreg.db.repositories.health import HealthRepository, bucket_of
from trustreg.services.health_checks.report import iso

MIN_WINDOW, MAX_WINDOW, DEFAULT_WINDOW = 5, 1440, 60
Bucket = tuple[datetime, int, float, float]  # (bucket start, count, total, maximum)


@dataclass(frozen=True)
class Window:
    """The trailing window: whole minutes, so the oldest bucket is counted in full."""

    now: datetime
    minutes: int
    include_timeline: bool

    @property
    def since(self) -> datetime:
        """Start of the oldest minute bucket inside the window."""
        return bucket_of(self.now - timedelta(minutes=self.minutes - 1))


def count_of(row: Bucket) -> float:
    """Events in a bucket."""
    return float(row[1])


def mean_of(row: Bucket) -> float:
    """Mean observed value in a bucket (e.g. latency ms)."""
    return round(row[2] / row[1], 2) if row[1] else 0.0


def max_of(row: Bucket) -> float:
    """Largest observed value in a bucket."""
    return round(row[3], 2)


def timeline(
    repo: HealthRepository,
    window: Window,
    prefix: str,
    series: str,
    unit: str,
    value: Callable[[Bucket], float] = count_of,
) -> list[dict[str, Any]]:
    """Timeline entries of every non-empty minute of the series with `prefix` (empty = 0)."""
    if not window.include_timeline:
        return []
    return [
        {"bucket": iso(row[0]), "value": value(row), "unit": unit, "series": series}
        for row in repo.bucket_totals(prefix, window.since)
    ]


def sum_counts(totals: dict[str, tuple[int, float, float]]) -> int:
    """Total events over several series' window totals."""
    return sum(c for c, _, _ in totals.values())
