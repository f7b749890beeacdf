"""Deployment settings: defaults here, per-environment overrides in cdk.json, `-c key=value` last.

Every knob the stack reads lives in `Settings`, so docs/deploy.md can document one table and a
test can check that cdk.json only names keys that exist.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields
from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_logs as logs
from constructs import Node


@dataclass(frozen=True)
class Settings:
    """Everything that differs between dev and prod (or between accounts)."""

    env_name: str = "dev"
    architecture: str = "arm64"  # must match the `make layer` build (manylinux wheels per arch)
    nat_gateways: int = 1
    max_azs: int = 2
    db_instance_type: str = "t4g.micro"
    db_allocated_storage_gb: int = 20
    db_multi_az: bool = False
    db_backup_retention_days: int = 7
    db_deletion_protection: bool = False
    removal_policy: str = "destroy"  # destroy | retain | snapshot (snapshot applies to the DB)
    log_retention_days: int = 30
    tracing: bool = True
    reserved_concurrency: bool = False  # new accounts have a limit of 10 and cannot reserve any
    api_throttle_rate: int = 50
    api_throttle_burst: int = 100
    cors_origins: tuple[str, ...] = ("*",)
    alarm_topic_arn: str = ""
    domain_name: str = ""
    certificate_arn: str = ""
    # `contract`: seed the public contract password (what `make run` does); `generate`: a random
    # one. `adminPasswordSecretArn` (bring your own secret) takes precedence over both.
    admin_password: str = "contract"  # noqa: S105 - a mode name, not a password
    admin_password_secret_arn: str = ""
    alarm_5xx_percent: float = 5.0
    hf_endpoint: str = "https://huggingface.co"
    github_api_url: str = "https://api.github.com"
    # API Gateway REST integrations stop at 29 s unless the account's quota was raised; set this
    # to the raised value so long routes (ingest, 120 s) get min(route timeout, this).
    api_integration_timeout_s: int = 29

    @property
    def stack_name(self) -> str:
        """One stack per environment; the name carries the environment."""
        return f"TrustReg-{self.env_name}"

    @property
    def log_group_prefix(self) -> str:
        """Every function logs to `<prefix><function>`; health links are built from it."""
        return f"/trustreg/{self.env_name}/"

    @property
    def log_retention(self) -> logs.RetentionDays:
        """The CloudWatch retention enum for `log_retention_days`."""
        return _RETENTION[self.log_retention_days]

    @property
    def removal(self) -> RemovalPolicy:
        """Removal policy for stateful resources (bucket, database, their logs)."""
        return {
            "destroy": RemovalPolicy.DESTROY,
            "retain": RemovalPolicy.RETAIN,
            "snapshot": RemovalPolicy.SNAPSHOT,
        }[self.removal_policy]


ADMIN_PASSWORD_MODES = frozenset({"contract", "generate"})
# Lambda's own maximum; above API Gateway's default 29 s only after a quota increase.
MAX_INTEGRATION_TIMEOUT_S = 900

_RETENTION: dict[int, logs.RetentionDays] = {
    1: logs.RetentionDays.ONE_DAY,
    3: logs.RetentionDays.THREE_DAYS,
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    60: logs.RetentionDays.TWO_MONTHS,
    90: logs.RetentionDays.THREE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
}


# cdk.json uses camelCase like every CDK context key; the dataclass uses snake_case.
def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


# `env` selects the environment; every other field is a camelCase context key.
CONTEXT_KEYS: dict[str, str] = {"env": "env_name"} | {
    _camel(f.name): f.name for f in fields(Settings) if f.name != "env_name"
}


def _coerce(default: Any, raw: Any, key: str) -> Any:
    """`-c` values always arrive as strings; cdk.json values arrive typed."""
    if isinstance(default, bool):
        if isinstance(raw, bool):
            return raw
        return str(raw).strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, tuple):
        items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
        return tuple(str(i).strip() for i in items if str(i).strip())
    if not isinstance(raw, str):
        raise ValueError(f"context {key} must be a string, got {raw!r}")
    return raw


def settings_from_context(node: Node) -> Settings:
    """Defaults, then `environments.<env>` from cdk.json, then individual context keys."""
    env_name = str(node.try_get_context("env") or "dev")
    environments = node.try_get_context("environments") or {}
    if env_name not in environments:
        raise ValueError(f"unknown env {env_name!r}; cdk.json defines {sorted(environments)}")
    values: dict[str, Any] = {"env_name": env_name}
    layered: dict[str, Any] = dict(environments[env_name])
    for key in CONTEXT_KEYS:
        override = node.try_get_context(key)
        if override is not None and key != "env":
            layered[key] = override
    defaults = Settings()
    for key, raw in layered.items():
        if key not in CONTEXT_KEYS:
            raise ValueError(f"unknown setting {key!r} for env {env_name}")
        attr = CONTEXT_KEYS[key]
        values[attr] = _coerce(getattr(defaults, attr), raw, key)
    settings = dataclasses.replace(defaults, **values)
    _validate(settings)
    return settings


def _validate(s: Settings) -> None:
    """Fail the synth with the setting's name rather than a CloudFormation error an hour later."""
    if s.architecture not in {"arm64", "x86_64"}:
        raise ValueError("architecture must be arm64 or x86_64")
    if s.nat_gateways < 1:
        raise ValueError("natGateways must be >= 1: ingest and license-check reach the internet")
    if s.log_retention_days not in _RETENTION:
        raise ValueError(f"logRetentionDays must be one of {sorted(_RETENTION)}")
    if s.removal_policy not in {"destroy", "retain", "snapshot"}:
        raise ValueError("removalPolicy must be destroy, retain or snapshot")
    if s.admin_password not in ADMIN_PASSWORD_MODES:
        raise ValueError(f"adminPassword must be one of {sorted(ADMIN_PASSWORD_MODES)}")
    if s.admin_password_secret_arn and s.admin_password == "generate":  # noqa: S105 - a mode
        raise ValueError("adminPassword=generate and adminPasswordSecretArn are exclusive")
    if not 1 <= s.api_integration_timeout_s <= MAX_INTEGRATION_TIMEOUT_S:
        raise ValueError(f"apiIntegrationTimeoutS must be 1..{MAX_INTEGRATION_TIMEOUT_S}")
    if bool(s.domain_name) != bool(s.certificate_arn):
        raise ValueError("domainName and certificateArn must be set together")
