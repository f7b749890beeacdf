"""Record every error message the API answers with, for scripts/error_messages.py.

Enabled by TRUSTREG_ERROR_LOG=<file>: `install()` wraps the one place typed errors become
responses (trustreg.http.endpoint's `from_error`) and appends one JSON line per error answered
(`"via": "answered"`), and also records every typed error a test raises directly, e.g. a unit
test of the zip checker (`"via": "raised"`).
The pytest plugin (`-p tests.contract.error_log`) installs it in the test process, and the
contract tests start the local server through `python -m tests.contract.error_log` so the
server process records too.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

ENV = "TRUSTREG_ERROR_LOG"


def install(path: str) -> None:
    """Wrap endpoint.from_error so every answered error appends {status, code, message}."""
    import trustreg.http.endpoint as endpoint

    original = endpoint.from_error
    if getattr(original, "_recording", False):
        return

    def recording(exc: Any, request_id: str) -> dict[str, Any]:
        line = json.dumps(
            {"status": exc.status, "code": exc.code, "message": exc.message, "via": "answered"}
        )
        with open(path, "a", encoding="utf-8") as fh:  # one short append per error
            fh.write(line + "\n")
        return original(exc, request_id)

    recording._recording = True  # type: ignore[attr-defined]
    endpoint.from_error = recording  # type: ignore[assignment]

    from trustreg.errors import RegistryError

    original_init = RegistryError.__init__

    def raising(self: Any, message: str, *, details: Any = None) -> None:
        original_init(self, message, details=details)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"code": self.code, "message": message, "via": "raised"}) + "\n")

    RegistryError.__init__ = raising  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    path = os.environ.get(ENV)
    if path:
        install(path)


if __name__ == "__main__":  # the local server, recording
    if os.environ.get(ENV):
        install(os.environ[ENV])
    from trustreg.local.server import main

    main()
