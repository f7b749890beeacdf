"""Run a sensitive-check program in the dedicated Node.js Lambda (AWS deployments)."""

from __future__ import annotations

import json
import os
import time
from typing import Any

from trustreg.security.verdict import (
    CheckRequest,
    CheckVerdict,
    cap_text,
    describe_exit,
    env_float,
)


def parse_zip_location(zip_path: str, default_bucket: str | None) -> tuple[str, str]:
    """(bucket, key) from `s3://bucket/key` or a bare key in BLOB_BUCKET."""
    if zip_path.startswith("s3://"):
        bucket, _, key = zip_path[5:].partition("/")
        if bucket and key:
            return bucket, key
        raise ValueError(f"not an S3 location: {zip_path!r}")
    if not default_bucket:
        raise ValueError("BLOB_BUCKET is not set, so a bare blob key cannot be resolved")
    return default_bucket, zip_path.lstrip("/")


class LambdaRunner:
    """Invokes SENSITIVE_CHECK_FUNCTION synchronously; `zip_path` is an S3 key or s3:// URL."""

    def __init__(
        self,
        function_name: str | None = None,
        *,
        bucket: str | None = None,
        timeout_s: float | None = None,
        client: Any = None,
    ) -> None:
        self.function_name = function_name or os.environ["SENSITIVE_CHECK_FUNCTION"]
        self.bucket = bucket or os.environ.get("BLOB_BUCKET") or None
        self.timeout_s = timeout_s or env_float("SENSITIVE_CHECK_TIMEOUT_S", 5.0)
        self._client = client

    def _lambda(self) -> Any:
        if self._client is None:
            # Imported here: boto3 is heavy and most functions never run a check.
            import boto3
            from botocore.config import Config

            self._client = boto3.client(
                "lambda",
                config=Config(read_timeout=self.timeout_s + 30, retries={"total_max_attempts": 2}),
            )
        return self._client

    def payload(self, request: CheckRequest) -> dict[str, Any]:
        """The JSON event the Node.js function expects."""
        bucket, key = parse_zip_location(request.zip_path, self.bucket)
        return {
            "program": request.program_source,
            "args": [request.model_name, request.uploader, request.downloader],
            "zip": {"bucket": bucket, "key": key},
            "timeout_ms": int(self.timeout_s * 1000),
        }

    def run(self, request: CheckRequest) -> CheckVerdict:
        """Invoke the function and map its answer; any failure refuses the download."""
        started = time.monotonic()
        try:
            event = self.payload(request)
            answer = self._lambda().invoke(
                FunctionName=self.function_name,
                InvocationType="RequestResponse",
                Payload=json.dumps(event).encode("utf-8"),
            )
            body = json.loads(answer["Payload"].read() or b"null")
        except Exception as exc:  # noqa: BLE001 - fail closed on any transport/config error
            return self._refuse(f"the check runner could not be reached: {exc}", started)
        if answer.get("FunctionError") or not isinstance(body, dict):
            return self._refuse("the check runner failed", started)
        return self.verdict(body, started)

    def verdict(self, body: dict[str, Any], started: float) -> CheckVerdict:
        """Map the function's {exit_code, stdout, stderr, timed_out} to a verdict."""
        code = body.get("exit_code")
        code = code if isinstance(code, int) and not isinstance(code, bool) else None
        timed_out = body.get("timed_out") is True
        return CheckVerdict(
            allowed=code == 0 and not timed_out,
            exit_code=None if timed_out else code,
            stdout=cap_text(str(body.get("stdout") or "").encode("utf-8")),
            stderr=cap_text(str(body.get("stderr") or "").encode("utf-8")),
            timed_out=timed_out,
            duration_ms=(time.monotonic() - started) * 1000,
            reason=describe_exit(code, timed_out, self.timeout_s),
            isolation="lambda+stubs+permission",
        )

    def _refuse(self, reason: str, started: float) -> CheckVerdict:
        return CheckVerdict(
            allowed=False,
            exit_code=None,
            stdout="",
            stderr="",
            timed_out=False,
            duration_ms=(time.monotonic() - started) * 1000,
            reason=reason,
            isolation="lambda+stubs+permission",
        )
