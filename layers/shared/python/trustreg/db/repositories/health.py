"""The registry's own time series: per-minute buckets, merged by upserts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.sql.elements import ColumnElement

from trustreg.db.models import SystemHealthMetric, utcnow
from trustreg.db.repositories.base import Repository
from trustreg.db.session import as_utc


def bucket_of(moment: datetime) -> datetime:
    """The start of the minute a moment falls in."""
    return moment.replace(second=0, microsecond=0)


def _starts_with(prefix: str) -> ColumnElement[bool]:
    # Series names may hold `_` (function names), which LIKE would treat as a wildcard.
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return SystemHealthMetric.series.like(escaped + "%", escape="\\")


class HealthRepository(Repository):
    """Reads and writes `system_health_metrics`, and probes the database itself."""

    def record(self, series: str, value: float = 1.0, at: datetime | None = None) -> None:
        """Add one observation to its minute bucket atomically (count, total, maximum)."""
        self.add(series, bucket_of(at or utcnow()), 1, value, value)

    def add(self, series: str, bucket: datetime, count: int, total: float, maximum: float) -> None:
        """Merge pre-aggregated observations into a bucket with one upsert."""
        self.add_many([(series, bucket, count, total, maximum)])

    def add_many(self, cells: Sequence[tuple[str, datetime, int, float, float]]) -> None:
        """Merge (series, bucket, count, total, maximum) cells, each bucket at most once, with
        one multi-row upsert: a flush of the request series wrote ~30 buckets a statement each
        (~10 ms, inside the request that triggered it; docs/performance.md, fix 24)."""
        if not cells:
            return
        dialect = self._db.dialect_name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        keys = ("series", "bucket_start", "count", "total", "maximum")
        stmt = insert(SystemHealthMetric).values([dict(zip(keys, c, strict=True)) for c in cells])
        excluded = stmt.excluded
        stmt = stmt.on_conflict_do_update(
            index_elements=["series", "bucket_start"],
            set_={
                "count": SystemHealthMetric.count + excluded.count,
                "total": SystemHealthMetric.total + excluded.total,
                "maximum": func.max(SystemHealthMetric.maximum, excluded.maximum)
                if dialect == "sqlite"
                else func.greatest(SystemHealthMetric.maximum, excluded.maximum),
            },
        )
        self._s.execute(stmt)

    def series(self, name: str, since: datetime) -> list[tuple[datetime, int, float, float]]:
        """(bucket, count, total, maximum) of one series since a moment, oldest first."""
        stmt = (
            select(
                SystemHealthMetric.bucket_start,
                SystemHealthMetric.count,
                SystemHealthMetric.total,
                SystemHealthMetric.maximum,
            )
            .where(SystemHealthMetric.series == name, SystemHealthMetric.bucket_start >= since)
            .order_by(SystemHealthMetric.bucket_start)
        )
        return [(as_utc(b), int(c), float(t), float(m)) for b, c, t, m in self._s.execute(stmt)]

    def totals(self, prefix: str, since: datetime) -> dict[str, tuple[int, float, float]]:
        """Per series starting with `prefix`: (count, total, maximum) since a moment."""
        stmt = (
            select(
                SystemHealthMetric.series,
                func.sum(SystemHealthMetric.count),
                func.sum(SystemHealthMetric.total),
                func.max(SystemHealthMetric.maximum),
            )
            .where(
                SystemHealthMetric.series.like(prefix + "%"),
                SystemHealthMetric.bucket_start >= since,
            )
            .group_by(SystemHealthMetric.series)
        )
        return {
            s: (int(c or 0), float(t or 0), float(m or 0)) for s, c, t, m in self._s.execute(stmt)
        }

    def bucket_totals(
        self, prefix: str, since: datetime
    ) -> list[tuple[datetime, int, float, float]]:
        """(bucket, count, total, maximum) summed over every series with `prefix`, oldest first."""
        stmt = (
            select(
                SystemHealthMetric.bucket_start,
                func.sum(SystemHealthMetric.count),
                func.sum(SystemHealthMetric.total),
                func.max(SystemHealthMetric.maximum),
            )
            .where(_starts_with(prefix), SystemHealthMetric.bucket_start >= since)
            .group_by(SystemHealthMetric.bucket_start)
            .order_by(SystemHealthMetric.bucket_start)
        )
        rows = self._s.execute(stmt)
        return [(as_utc(b), int(c or 0), float(t or 0), float(m or 0)) for b, c, t, m in rows]

    def last_seen(self, prefix: str) -> dict[str, datetime]:
        """The latest bucket of each series with `prefix`, over everything retained."""
        stmt = (
            select(SystemHealthMetric.series, func.max(SystemHealthMetric.bucket_start))
            .where(_starts_with(prefix))
            .group_by(SystemHealthMetric.series)
        )
        return {s: as_utc(b) for s, b in self._s.execute(stmt) if b is not None}

    def max_connections(self) -> int | None:
        """The server's connection limit (PostgreSQL only)."""
        if self._db.dialect_name != "postgresql":
            return None
        return int(self._s.scalar(text("SELECT current_setting('max_connections')::int")) or 0)

    def prune(self, retention: timedelta) -> None:
        """Delete buckets older than the retention period."""
        self._s.execute(
            delete(SystemHealthMetric).where(SystemHealthMetric.bucket_start < utcnow() - retention)
        )

    def dialect(self) -> str:
        """The database's dialect name (sqlite or postgresql)."""
        return str(self._db.dialect_name)

    def ping(self) -> None:
        """A trivial query: proves the database answers."""
        self._s.execute(text("SELECT 1"))

    def connection_count(self) -> int | None:
        """Open connections to this database (PostgreSQL only)."""
        if self._db.dialect_name != "postgresql":
            return None
        return int(
            self._s.scalar(
                text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
            )
            or 0
        )
