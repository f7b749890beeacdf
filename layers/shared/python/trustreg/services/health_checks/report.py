"""The shape of one component's health report (the contract's HealthComponentDetail)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# Order matters: the worst status of a component's findings wins.
STATUS_RANK = {"ok": 0, "unknown": 1, "degraded": 2, "critical": 3}
Metric = int | float | str | bool


def iso(moment: datetime) -> str:
    """UTC timestamp in the contract's date-time form (Z suffix)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def worse(a: str, b: str) -> str:
    """The worse of two statuses."""
    return a if STATUS_RANK[a] >= STATUS_RANK[b] else b


@dataclass
class Issue:
    """A HealthIssue: machine code, severity (info|warning|error), summary, details."""

    code: str
    severity: str
    summary: str
    details: str = ""

    def to_json(self) -> dict[str, str]:
        """Contract form (details omitted when empty)."""
        out = {"code": self.code, "severity": self.severity, "summary": self.summary}
        if self.details:
            out["details"] = self.details
        return out


@dataclass
class Component:
    """A component's findings; `flag` raises the status and records why in one step."""

    id: str
    display_name: str
    description: str
    observed_at: datetime
    status: str = "ok"
    metrics: dict[str, Metric] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    logs: list[dict[str, Any]] = field(default_factory=list)

    def flag(self, status: str, code: str, severity: str, summary: str, details: str = "") -> None:
        """Record an issue and raise the component's status to at least `status`."""
        self.status = worse(self.status, status)
        self.issues.append(Issue(code, severity, summary, details))

    def to_json(self, include_timeline: bool) -> dict[str, Any]:
        """Contract form; the timeline only when asked for."""
        out: dict[str, Any] = {
            "id": self.id,
            "display_name": self.display_name,
            "status": self.status,
            "observed_at": iso(self.observed_at),
            "description": self.description,
            "metrics": self.metrics,
            "issues": [i.to_json() for i in self.issues],
            "logs": self.logs,
        }
        if include_timeline:
            out["timeline"] = self.timeline
        return out


def rate(part: int, whole: int) -> float:
    """part/whole rounded to 4 places; 0 when there is no whole."""
    return round(part / whole, 4) if whole else 0.0
