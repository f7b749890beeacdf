"""The ONE object that decides which environment variables a function receives.

Names match trustreg/config.py. There is no DATABASE_URL: the layer's engine builds the URL from
DB_HOST/DB_PORT/DB_NAME/DB_USER and injects an IAM token at connect time, so no password is ever
in an environment variable.
"""

from __future__ import annotations

from dataclasses import dataclass

from trustreg.observability import NAMESPACE, SERVICE


@dataclass(frozen=True)
class RuntimeConfig:
    """Deployment-wide values; `environment()` picks the subset one function may see."""

    env_name: str
    db_host: str
    db_port: int
    db_name: str
    db_app_user: str
    blob_bucket: str
    jwt_secret_arn: str
    admin_password_secret_arn: str
    hf_endpoint: str
    github_api_url: str
    log_group_prefix: str = ""

    def environment(
        self,
        *,
        database: bool,
        blob: bool,
        jwt: bool,
        admin_password: bool,
        db_user: str | None = None,
        log_links: bool = False,
    ) -> dict[str, str]:
        """Common settings plus only the resources this function was granted."""
        env = {
            "POWERTOOLS_SERVICE_NAME": SERVICE,
            "POWERTOOLS_METRICS_NAMESPACE": NAMESPACE,
            "REGISTRY_ENV": self.env_name,
            # /var/task is read-only; config.py may keep scratch files in the data folder.
            "REGISTRY_DATA_DIR": "/tmp/registry",  # noqa: S108 - Lambda's only writable path
            "HF_ENDPOINT": self.hf_endpoint,
            "GITHUB_API_URL": self.github_api_url,
        }
        if database:
            env |= {
                "DB_HOST": self.db_host,
                "DB_PORT": str(self.db_port),
                "DB_NAME": self.db_name,
                "DB_USER": db_user or self.db_app_user,
                "DB_IAM_AUTH": "true",
                "DB_PROXY": "true",
            }
        if blob:
            env["BLOB_BUCKET"] = self.blob_bucket
        if jwt:
            env["JWT_SECRET_ARN"] = self.jwt_secret_arn
        if admin_password:
            env["ADMIN_PASSWORD_SECRET_ARN"] = self.admin_password_secret_arn
        if log_links:
            # trustreg/services/health_checks/logs.py links <prefix><function> log groups.
            env["LOG_GROUP_PREFIX"] = self.log_group_prefix
        return env
