"""The single declaration of the HTTP API: every route once, with its function and permission.

The CDK stack builds API Gateway resources and one Lambda per route from this table, the local
server dispatches from it, and a test checks it against our OpenAPI document.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Access(str, Enum):
    """Who may call a route; enforced once, in the endpoint wrapper."""

    PUBLIC = "public"  # no token
    AUTHENTICATED = "authenticated"  # any valid token; the service decides further
    SEARCH = "search"
    DOWNLOAD = "download"
    UPLOAD = "upload"
    ADMIN = "admin"


@dataclass(frozen=True)
class Route:
    """One endpoint: HTTP method and path template, the function folder, and who may call it."""

    method: str
    path: str
    function: str
    access: Access
    # Sizing hints for the CDK stack: ingest and rating work harder than reads.
    memory_mb: int = 512
    timeout_s: int = 29
    # Functions that fetch from HuggingFace / GitHub need a subnet with egress.
    needs_internet: bool = False
    # Functions that write blobs get write access to the bucket; others read-only or none.
    blob_access: str = "none"  # none | read | write
    uses_database: bool = True
    contract: bool = True  # False for our extensions beyond the reference contract
    # The contract answers a non-admin /reset with 401; other admin routes answer 403.
    admin_denied_status: int = 403
    # A read whose handler touches nothing (no write, blob or fetch) before its first database
    # read, made on the request's thread: the token's use is counted with that read, in its
    # round trip when that read is marked for it (trustreg.db.token_use; performance.md, fix 16).
    count_use_with_first_read: bool = False

    @property
    def path_parameters(self) -> tuple[str, ...]:
        """Names of the {placeholders} in the path, in order."""
        return tuple(p[1:-1] for p in self.path.split("/") if p.startswith("{"))


A = Access
ROUTES: tuple[Route, ...] = (
    # --- contract -------------------------------------------------------------------------
    Route("GET", "/health", "health", A.PUBLIC, memory_mb=256, uses_database=False),
    Route("GET", "/health/components", "health_components", A.PUBLIC, blob_access="read"),
    Route("GET", "/tracks", "tracks", A.PUBLIC, memory_mb=256, uses_database=False),
    Route("PUT", "/authenticate", "authenticate", A.PUBLIC),
    Route(
        "DELETE",
        "/reset",
        "registry_reset",
        A.ADMIN,
        timeout_s=60,
        blob_access="write",
        admin_denied_status=401,
    ),
    Route("POST", "/artifacts", "artifacts_list", A.SEARCH, count_use_with_first_read=True),
    Route(
        "GET",
        "/artifacts/{artifact_type}/{id}",
        "artifact_get",
        A.SEARCH,
        count_use_with_first_read=True,
    ),
    Route(
        "PUT",
        "/artifacts/{artifact_type}/{id}",
        "artifact_update",
        A.UPLOAD,
        memory_mb=1536,
        timeout_s=120,
        needs_internet=True,
        blob_access="write",
    ),
    Route(
        "DELETE",
        "/artifacts/{artifact_type}/{id}",
        "artifact_delete",
        A.UPLOAD,
        blob_access="write",
    ),
    Route(
        "POST",
        "/artifact/{artifact_type}",
        "artifact_create",
        A.UPLOAD,
        memory_mb=1536,
        timeout_s=120,
        needs_internet=True,
        blob_access="write",
    ),
    Route(
        "GET",
        "/artifact/byName/{name}",
        "artifact_by_name",
        A.SEARCH,
        count_use_with_first_read=True,
    ),
    Route(
        "POST", "/artifact/byRegEx", "artifact_by_regex", A.SEARCH, count_use_with_first_read=True
    ),
    Route(
        "GET", "/artifact/model/{id}/rate", "model_rate", A.SEARCH, count_use_with_first_read=True
    ),
    Route(
        "GET",
        "/artifact/{artifact_type}/{id}/cost",
        "artifact_cost",
        A.SEARCH,
        count_use_with_first_read=True,
    ),
    Route(
        "GET",
        "/artifact/{artifact_type}/{id}/audit",
        "artifact_audit",
        A.SEARCH,
        count_use_with_first_read=True,
    ),
    Route(
        "GET",
        "/artifact/model/{id}/lineage",
        "model_lineage",
        A.SEARCH,
        count_use_with_first_read=True,
    ),
    Route(
        "POST",
        "/artifact/model/{id}/license-check",
        "license_check",
        A.SEARCH,
        needs_internet=True,
    ),
    # --- extensions -----------------------------------------------------------------------
    Route(
        "POST",
        "/artifact/model/{id}/rate",
        "model_rerate",
        A.UPLOAD,
        needs_internet=True,
        contract=False,
    ),
    Route(
        "GET",
        "/artifacts/{artifact_type}/{id}/download",
        "artifact_download",
        A.DOWNLOAD,
        memory_mb=1024,
        timeout_s=60,
        blob_access="write",
        contract=False,
    ),
    Route(
        "GET",
        "/artifacts/{artifact_type}/{id}/downloads",
        "artifact_downloads_history",
        A.AUTHENTICATED,
        contract=False,
    ),
    Route(
        "POST",
        "/artifact/{artifact_type}/upload",
        "artifact_upload",
        A.UPLOAD,
        memory_mb=1536,
        timeout_s=120,
        needs_internet=True,
        blob_access="write",
        contract=False,
    ),
    Route(
        "POST",
        "/artifact/{artifact_type}/upload-slot",
        "upload_slot",
        A.UPLOAD,
        blob_access="write",
        contract=False,
    ),
    Route(
        "POST",
        "/artifact/{artifact_type}/upload-slot/{upload_id}/finalize",
        "upload_finalize",
        A.UPLOAD,
        memory_mb=1536,
        timeout_s=120,
        needs_internet=True,
        blob_access="write",
        contract=False,
    ),
    Route("PUT", "/artifact/model/{id}/sensitive", "model_sensitive_put", A.UPLOAD, contract=False),
    Route("GET", "/artifact/model/{id}/sensitive", "model_sensitive_get", A.UPLOAD, contract=False),
    Route(
        "DELETE",
        "/artifact/model/{id}/sensitive",
        "model_sensitive_delete",
        A.UPLOAD,
        contract=False,
    ),
    Route("GET", "/admin/package-confusion", "package_confusion", A.ADMIN, contract=False),
    Route("POST", "/user/login", "user_login", A.PUBLIC, contract=False),
    Route("POST", "/user/register", "user_register", A.ADMIN, contract=False),
    Route("GET", "/users", "users_list", A.ADMIN, contract=False),
    Route("GET", "/user/{username}", "user_get", A.AUTHENTICATED, contract=False),
    Route("PUT", "/user/{username}/permissions", "user_permissions", A.ADMIN, contract=False),
    Route("DELETE", "/user/{username}", "user_delete", A.AUTHENTICATED, contract=False),
    # Our OpenAPI document (docs/openapi.yaml, shipped in the layer as trustreg/openapi.json).
    Route(
        "GET",
        "/openapi.json",
        "openapi_document",
        A.PUBLIC,
        memory_mb=256,
        contract=False,
        uses_database=False,
    ),
    # Operators' view: a self-contained HTML page and the local log tail it shows.
    Route(
        "GET",
        "/dashboard",
        "dashboard",
        A.PUBLIC,
        memory_mb=256,
        uses_database=False,
        contract=False,
    ),
    Route(
        "GET",
        "/health/logs",
        "health_logs",
        A.PUBLIC,
        memory_mb=256,
        uses_database=False,
        contract=False,
    ),
)

ROUTES_BY_FUNCTION: dict[str, Route] = {r.function: r for r in ROUTES}


def route_for(function: str) -> Route:
    """The route served by a function folder; raises KeyError for an unknown one."""
    return ROUTES_BY_FUNCTION[function]
