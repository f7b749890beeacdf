"""What a sensitive-model check decides, the runner port, and validation of uploaded programs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Protocol

from trustreg.errors import BadRequest

MAX_PROGRAM_BYTES = 64 * 1024
# Enough to explain a refusal in a 403 body; more would let a program flood responses and logs.
OUTPUT_CAP_BYTES = 4 * 1024
TRUNCATION_MARK = "\n[output truncated]"


@dataclass(frozen=True)
class CheckVerdict:
    """The outcome of one run: allowed only on a clean exit 0 within the limits."""

    allowed: bool
    exit_code: int | None
    stdout: str
    stderr: str
    timed_out: bool
    duration_ms: float
    reason: str
    isolation: str = ""


@dataclass(frozen=True)
class CheckRequest:
    """One program and the four arguments it is given, in order."""

    program_source: str
    model_name: str
    uploader: str
    downloader: str
    zip_path: str


class CheckRunner(Protocol):
    """Runs an uploader's program in a sandbox and reports a verdict (fails closed)."""

    def run(self, request: CheckRequest) -> CheckVerdict:
        """Run the program once against the zip at `request.zip_path`."""
        ...


def cap_text(raw: bytes, cap: int = OUTPUT_CAP_BYTES, *, truncated: bool = False) -> str:
    """Decode program output leniently and cut it to `cap` bytes, marking any cut."""
    cut = truncated or len(raw) > cap
    text = raw[:cap].decode("utf-8", errors="replace")
    return text + TRUNCATION_MARK if cut else text


def describe_exit(exit_code: int | None, timed_out: bool, timeout_s: float) -> str:
    """A short human reason for a verdict, suitable for a 403 message."""
    if timed_out:
        return f"sensitive check timed out after {timeout_s:g} s"
    if exit_code is None:
        return "sensitive check did not report an exit code"
    if exit_code == 0:
        return "sensitive check allowed the download"
    if exit_code < 0:
        # Negative codes are signals: SIGKILL/SIGSEGV here usually mean a memory limit was hit.
        return f"sensitive check was killed by signal {-exit_code}"
    return f"sensitive check refused the download (exit code {exit_code})"


def validate_program(source: str | bytes) -> str:
    """Accept a non-empty UTF-8 program of at most 64 KiB; raise BadRequest otherwise."""
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadRequest("the sensitive-check program must be UTF-8 text") from exc
    if not isinstance(source, str):
        raise BadRequest("the sensitive-check program must be text")
    try:
        size = len(source.encode("utf-8"))
    except UnicodeEncodeError as exc:  # lone surrogates cannot be stored or run
        raise BadRequest("the sensitive-check program must be UTF-8 text") from exc
    if not source.strip():
        raise BadRequest("the sensitive-check program is empty")
    if size > MAX_PROGRAM_BYTES:
        raise BadRequest(
            f"the sensitive-check program is {size} bytes; the limit is {MAX_PROGRAM_BYTES}"
        )
    if "\x00" in source:
        raise BadRequest("the sensitive-check program must not contain NUL bytes")
    return source


def env_float(name: str, default: float) -> float:
    """A numeric sandbox setting from the environment (SENSITIVE_CHECK_*), else the default."""
    raw = os.environ.get(name, "")
    return float(raw) if raw.strip() else default
