"""Configuration, read from the environment once per process and validated up front."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_ADMIN_NAME = "ece30861defaultadminuser"
# The contract's example password; production deployments override it from Secrets Manager.
DEFAULT_ADMIN_PASSWORD = "correcthorsebatterystaple123(!__+@**(A'\"`;DROP TABLE artifacts;"  # noqa: S105


class ConfigError(RuntimeError):
    """A required setting is missing or invalid; the message names it."""


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from exc


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


# No generated repr: the settings hold the JWT secret, the admin password and upstream tokens,
# and a logged or printed Settings must not show them. (No generated __eq__ either: nothing
# compares settings. Together they also take 0.4 ms off every function's import.)
@dataclass(frozen=True, repr=False, eq=False)
class Settings:
    """Every setting the registry reads; see the README's configuration table."""

    data_dir: Path
    database_url: str
    db_iam_auth: bool
    db_proxy: bool
    blob_bucket: str | None
    blob_dir: Path
    s3_endpoint_url: str | None
    aws_region: str
    jwt_secret: str
    token_ttl_seconds: int
    token_max_uses: int
    bcrypt_rounds: int
    admin_name: str
    admin_password: str
    hf_endpoint: str
    github_api_url: str
    hf_token: str | None
    github_token: str | None
    allowed_source_hosts: tuple[str, ...]
    source_endpoints: tuple[str, ...]
    http_timeout_s: float
    max_weight_bytes: int
    max_bundle_bytes: int
    ingest_min_score: float
    page_size: int
    public_base_url: str | None
    download_url_ttl_s: int
    local_signing_key: str
    extra: dict[str, str] = field(default_factory=dict)


def _jwt_secret() -> str:
    secret = os.environ.get("JWT_SECRET")
    arn = os.environ.get("JWT_SECRET_ARN")
    if not secret and arn:
        from trustreg.aws_secrets import read_secret

        secret = read_secret(arn)
    if not secret:
        # Local runs get a per-data-dir secret so tokens survive a restart of `make run`.
        return ""
    if len(secret.encode()) < 32:
        raise ConfigError("JWT_SECRET must be at least 32 bytes")
    return secret


def _admin_password() -> str:
    arn = os.environ.get("ADMIN_PASSWORD_SECRET_ARN")
    if arn:
        from trustreg.aws_secrets import read_secret

        return read_secret(arn)
    return os.environ.get("ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD)


def _local_secret(data_dir: Path) -> str:
    """A random secret kept in the data folder, for local runs with no JWT_SECRET set."""
    import secrets

    path = data_dir / "jwt-secret"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    path.write_text(value)
    path.chmod(0o600)
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; call `reset_settings()` in tests after changing the env."""
    data_dir = Path(os.environ.get("REGISTRY_DATA_DIR", ".registry-data")).resolve()
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / 'registry.db'}"
    hf_endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")
    github_api_url = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    from urllib.parse import urlsplit

    hosts = {urlsplit(hf_endpoint).hostname or "", urlsplit(github_api_url).hostname or ""}
    hosts |= {"github.com", "huggingface.co", "raw.githubusercontent.com"}
    hosts |= {"codeload.github.com", "cdn-lfs.hf.co", "cas-bridge.xethub.hf.co", "us.aws.cdn.hf.co"}
    extra = [h.strip() for h in os.environ.get("ALLOWED_SOURCE_HOSTS", "").split(",") if h.strip()]
    # `host:port` entries allow that host on that port only (for private/loopback hosts).
    hosts |= {urlsplit(f"//{h}").hostname or h for h in extra}
    endpoints = (hf_endpoint, github_api_url, *(f"http://{h}" for h in extra if ":" in h))
    jwt_secret = _jwt_secret() or _local_secret(data_dir)
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        db_iam_auth=_bool("DB_IAM_AUTH", False),
        db_proxy=_bool("DB_PROXY", False),
        blob_bucket=os.environ.get("BLOB_BUCKET") or None,
        blob_dir=Path(os.environ.get("BLOB_DIR", str(data_dir / "blobs"))).resolve(),
        s3_endpoint_url=os.environ.get("S3_ENDPOINT_URL") or None,
        aws_region=os.environ.get("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", "us-east-1")),
        jwt_secret=jwt_secret,
        token_ttl_seconds=_int("TOKEN_TTL_SECONDS", 10 * 3600, 1),
        token_max_uses=_int("TOKEN_MAX_USES", 1000, 1),
        bcrypt_rounds=_int("BCRYPT_ROUNDS", 12, 4),
        admin_name=os.environ.get("ADMIN_NAME", "ece30861defaultadminuser"),
        admin_password=_admin_password(),
        hf_endpoint=hf_endpoint,
        github_api_url=github_api_url,
        hf_token=os.environ.get("HF_TOKEN") or None,
        github_token=os.environ.get("GITHUB_TOKEN") or None,
        allowed_source_hosts=tuple(sorted(h for h in hosts if h)),
        source_endpoints=endpoints,
        http_timeout_s=_float("HTTP_TIMEOUT_SECONDS", 10.0),
        max_weight_bytes=_int("MAX_WEIGHT_BYTES", 50 * 1024 * 1024),
        max_bundle_bytes=_int("MAX_BUNDLE_BYTES", 500 * 1024 * 1024),
        ingest_min_score=_float("INGEST_MIN_SCORE", 0.5),
        page_size=_int("PAGE_SIZE", 100, 1),
        public_base_url=(os.environ.get("PUBLIC_BASE_URL") or "").rstrip("/") or None,
        download_url_ttl_s=_int("DOWNLOAD_URL_TTL_SECONDS", 300, 1),
        local_signing_key=jwt_secret,
    )


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment between cases)."""
    get_settings.cache_clear()
