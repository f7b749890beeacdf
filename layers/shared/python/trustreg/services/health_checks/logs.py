"""Log references per component: CloudWatch console links in AWS, the local log file on a laptop."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from trustreg.config import get_settings
from trustreg.routes import ROUTES
from trustreg.services.health_checks.report import iso

MAX_LINKS = 4


def _functions_for(component_id: str) -> list[str]:
    """The functions whose logs explain a component's problems."""
    if component_id == "blob-store":
        return [r.function for r in ROUTES if r.blob_access == "write"]
    if component_id == "upstream-sources":
        return [r.function for r in ROUTES if r.needs_internet]
    if component_id == "rating-pipeline":
        return ["model_rate", "artifact_create", "artifact_update"]
    if component_id == "database":
        return ["health_components", "db_migrate"]
    return []


def _console(region: str, fragment: str) -> str:
    # The console's fragment wants names URL-encoded twice with `%` written as `$`.
    return f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#{fragment}"


def _enc(name: str) -> str:
    return quote(quote(name, safe=""), safe="").replace("%", "$")


def cloudwatch_refs(component_id: str) -> list[dict[str, Any]]:
    """Links to the log groups of the functions behind a component."""
    region = os.environ.get("AWS_REGION") or get_settings().aws_region
    prefix = os.environ.get("LOG_GROUP_PREFIX", "")
    own = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
    refs: list[dict[str, Any]] = []
    if prefix:
        listing = f"logsV2:log-groups$3FlogGroupNameFilter$3D{_enc(prefix)}"
        refs.append(
            {
                "label": f"All function log groups ({prefix}*)",
                "tail_available": False,
                "url": _console(region, listing),
            }
        )
        for fn in _functions_for(component_id)[:MAX_LINKS]:
            group = f"logsV2:log-groups/log-group/{_enc(prefix + fn)}"
            refs.append(
                {"label": f"{fn} logs", "tail_available": True, "url": _console(region, group)}
            )
    elif own:
        refs.append(
            {
                "label": "health_components logs",
                "tail_available": True,
                "url": _console(region, f"logsV2:log-groups/log-group/{_enc(own)}"),
            }
        )
    return refs


def local_refs() -> list[dict[str, Any]]:
    """The local server's log file (written by trustreg.local.logfile), when it exists."""
    from trustreg.local.logfile import log_path

    path = log_path(get_settings().data_dir)
    ref: dict[str, Any] = {"label": "Local server log", "url": path.as_uri()}
    ref["tail_available"] = True
    if path.is_file():
        ref["last_updated_at"] = iso(datetime.fromtimestamp(path.stat().st_mtime, UTC))
    return [ref]


def in_aws() -> bool:
    """True inside a Lambda container."""
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


def log_refs(component_id: str) -> list[dict[str, Any]]:
    """Where an operator reads the logs behind a component."""
    return cloudwatch_refs(component_id) if in_aws() else local_refs()


def recent_logs(limit: int = 50) -> dict[str, Any]:
    """GET /health/logs: the local log tail, or (in AWS) where to read the logs instead."""
    if in_aws():
        return {"source": "cloudwatch", "lines": [], "links": cloudwatch_refs("api")}
    from trustreg.local.logfile import log_path, tail

    path = log_path(get_settings().data_dir)
    return {"source": "file", "lines": tail(path, limit), "links": local_refs()}
