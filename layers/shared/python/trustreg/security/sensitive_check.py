"""Entry point for the pre-download sensitive-model check: pick a runner, run, get a verdict."""

from __future__ import annotations

import os

from trustreg.security.lambda_runner import LambdaRunner
from trustreg.security.local_runner import LocalNodeRunner
from trustreg.security.verdict import (
    MAX_PROGRAM_BYTES,
    OUTPUT_CAP_BYTES,
    CheckRequest,
    CheckRunner,
    CheckVerdict,
    validate_program,
)

__all__ = [
    "MAX_PROGRAM_BYTES",
    "OUTPUT_CAP_BYTES",
    "CheckRequest",
    "CheckRunner",
    "CheckVerdict",
    "LambdaRunner",
    "LocalNodeRunner",
    "get_runner",
    "run_check",
    "validate_program",
]


def get_runner() -> CheckRunner:
    """LambdaRunner when SENSITIVE_CHECK_FUNCTION is set (AWS), else LocalNodeRunner."""
    if os.environ.get("SENSITIVE_CHECK_FUNCTION"):
        return LambdaRunner()
    return LocalNodeRunner()


def run_check(
    program_source: str,
    *,
    model_name: str,
    uploader: str,
    downloader: str,
    zip_path: str,
    runner: CheckRunner | None = None,
) -> CheckVerdict:
    """Run the uploader's program; `allowed` is True only when it exits 0 within limits."""
    request = CheckRequest(
        program_source=validate_program(program_source),
        model_name=model_name,
        uploader=uploader,
        downloader=downloader,
        zip_path=zip_path,
    )
    return (runner or get_runner()).run(request)
