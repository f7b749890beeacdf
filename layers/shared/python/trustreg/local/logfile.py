"""The local server's log file: the handlers' JSON log lines, also kept under the data folder."""

from __future__ import annotations

import json
import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from trustreg.observability import logger

MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 2
# Only these fields leave the process through GET /health/logs: no user names, no tracebacks.
PUBLIC_FIELDS = ("timestamp", "level", "message", "endpoint", "status", "ms", "correlation_id")


def log_path(data_dir: Path) -> Path:
    """Where the local server writes its log lines."""
    return data_dir / "logs" / "registry.log"


def install_log_file(data_dir: Path) -> Path:
    """Also write every Powertools log line to the data folder's rotating log file (idempotent)."""
    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    for handler in logger.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logger.registered_formatter)
    handler.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    return path


def tail(path: Path, limit: int = 50) -> list[dict[str, Any]]:
    """The last `limit` JSON log lines, newest last, reduced to PUBLIC_FIELDS."""
    if not path.is_file():
        return []
    with open(path, "rb") as f:
        f.seek(0, 2)
        f.seek(max(0, f.tell() - 256 * 1024))  # the tail is enough; never read a whole file
        lines = f.read().decode("utf-8", errors="replace").splitlines()
    out: list[dict[str, Any]] = []
    for line in lines[-limit:]:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            out.append({k: record[k] for k in PUBLIC_FIELDS if k in record})
    return out
