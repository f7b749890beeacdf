"""Build API Gateway REST (v1) proxy events and Lambda context objects, as AWS does."""

from __future__ import annotations

import base64
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

TEXT_TYPES = ("application/json", "text/", "application/x-www-form-urlencoded")


@dataclass
class LambdaContext:
    """The attributes of the Lambda context object our code and Powertools read."""

    function_name: str
    memory_limit_in_mb: int = 512
    timeout_s: int = 29
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"
    _deadline: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:local:000000000000:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the function's timeout."""
        return max(0, int((self._deadline + self.timeout_s - time.monotonic()) * 1000))


def build_event(
    *,
    method: str,
    path: str,
    resource: str,
    path_params: dict[str, str],
    query: dict[str, list[str]],
    headers: dict[str, str],
    body: bytes,
    source_ip: str,
    request_id: str,
) -> dict[str, Any]:
    """A proxy event; binary bodies are base64-encoded like API Gateway's binary media types."""
    content_type = headers.get("Content-Type", headers.get("content-type", ""))
    is_text = not body or any(content_type.startswith(t) for t in TEXT_TYPES)
    if is_text:
        try:
            encoded, is_b64 = body.decode("utf-8"), False
        except UnicodeDecodeError:
            encoded, is_b64 = base64.b64encode(body).decode("ascii"), True
    else:
        encoded, is_b64 = base64.b64encode(body).decode("ascii"), True
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": path_params or None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": method,
            "path": f"/local{path}",
            "stage": "local",
            "requestId": request_id,
            "requestTimeEpoch": int(time.time() * 1000),
            "identity": {"sourceIp": source_ip, "userAgent": headers.get("User-Agent", "")},
            "accountId": "000000000000",
            "apiId": "local",
        },
        "body": encoded if body else None,
        "isBase64Encoded": is_b64,
    }
