"""Secrets Manager reads, once per container (the Lambda keeps the value between invocations)."""

from __future__ import annotations

import json
from functools import lru_cache


@lru_cache(maxsize=8)
def read_secret(arn: str) -> str:
    """The secret's string; a JSON secret with a `password` or `value` key yields that key."""
    import boto3

    raw = boto3.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"]
    try:
        parsed = json.loads(raw)
    except ValueError:
        return str(raw)
    if isinstance(parsed, dict):
        for key in ("password", "value", "secret"):
            if key in parsed:
                return str(parsed[key])
    return str(raw)
