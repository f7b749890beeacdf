"""One Lambda per route of trustreg.routes.ROUTES, each granted only what its endpoint needs."""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.database import Database
from infra.functions import FunctionFactory, FunctionSpec
from infra.network import Network
from infra.runtime_config import RuntimeConfig
from infra.secrets import AppSecrets
from infra.storage import Storage
from trustreg.routes import ROUTES, Access, Route

# Public routes that still sign tokens, so they need the JWT key.
TOKEN_ISSUERS: frozenset[str] = frozenset({"authenticate", "user_login"})
# Reset re-seeds the default admin, so it reads the admin password like the migrations do.
ADMIN_PASSWORD_READERS: frozenset[str] = frozenset({"registry_reset"})
# Health routes link operators to every function's log group, so they get the name prefix.
LOG_LINK_READERS: frozenset[str] = frozenset({"health_components", "health_logs"})
# Functions that hold a whole package in /tmp: a package may reach MAX_BUNDLE_BYTES (500 MiB),
# and ingest keeps the fetched files beside the zip, the download the zip beside a part cut
# from it, so Lambda's default 512 MB /tmp is too small.
LARGE_TMP_MB = 2048
LARGE_TMP: frozenset[str] = frozenset(
    {
        "artifact_create",
        "artifact_update",
        "artifact_upload",
        "upload_finalize",
        "artifact_download",
    }
)
# A runaway here would exhaust the proxy's pool or the NAT: ingest fetches and rates models,
# reset truncates everything (one at a time is plenty).
RESERVED_CONCURRENCY: dict[str, int] = {
    "artifact_create": 10,
    "artifact_update": 10,
    "registry_reset": 1,
}


def needs_jwt(route: Route) -> bool:
    """Every route that verifies or issues a token."""
    return route.access is not Access.PUBLIC or route.function in TOKEN_ISSUERS


class Endpoints(Construct):
    """Builds and grants the route functions; `functions` maps folder name to Lambda."""

    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        factory: FunctionFactory,
        config: RuntimeConfig,
        network: Network,
        database: Database,
        storage: Storage,
        secrets: AppSecrets,
    ) -> None:
        super().__init__(scope, cid)
        self.functions: dict[str, lambda_.Function] = {}
        for route in ROUTES:
            if route.needs_internet:
                subnets = network.egress  # HuggingFace/GitHub through the NAT
            elif route.uses_database:
                subnets = network.isolated  # the proxy only; no route out
            else:
                subnets = None  # nothing private to reach: skip the VPC and its cold-start cost
            jwt = needs_jwt(route)
            admin = route.function in ADMIN_PASSWORD_READERS
            fn = factory.add(
                FunctionSpec(
                    name=route.function,
                    memory_mb=route.memory_mb,
                    timeout_s=route.timeout_s,
                    subnets=subnets,
                    reserved_concurrency=RESERVED_CONCURRENCY.get(route.function),
                    ephemeral_storage_mb=LARGE_TMP_MB if route.function in LARGE_TMP else 512,
                    description=f"{route.method} {route.path}",
                    environment=config.environment(
                        database=route.uses_database,
                        blob=route.blob_access != "none",
                        jwt=jwt,
                        admin_password=admin,
                        log_links=route.function in LOG_LINK_READERS,
                    ),
                )
            )
            if route.uses_database:
                database.grant_connect(fn)
            if route.blob_access == "read":
                storage.bucket.grant_read(fn)
            elif route.blob_access == "write":
                # grant_read_write includes s3:DeleteObject* (reset and delete need it).
                storage.bucket.grant_read_write(fn)
            elif route.blob_access != "none":
                raise ValueError(f"{route.function}: unknown blob_access {route.blob_access!r}")
            if jwt:
                secrets.jwt.grant_read(fn)
            if admin:
                secrets.admin_password.grant_read(fn)
            self.functions[route.function] = fn
