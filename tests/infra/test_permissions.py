"""Given the route table, each function's role allows exactly what its endpoint needs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.endpoints import needs_jwt
from infra.migrations import FUNCTION_NAME as MIGRATE
from infra.stack import RegistryStack
from tests.infra.conftest import actions_of, function_statements, logical_id
from trustreg.routes import ROUTES

pytestmark = pytest.mark.infra
WRITE_ACTIONS = {"s3:PutObject", "s3:DeleteObject*", "s3:Abort*"}


def _mentions(statements: list[dict[str, Any]], logical: str) -> bool:
    return any(logical in json.dumps(st["Resource"]) for st in statements)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.function)
def test_blob_access_maps_to_no_grant_read_or_read_write(
    stack: RegistryStack, resources: dict[str, Any], route: Any
) -> None:
    statements = function_statements(stack, resources, route.function)
    bucket = logical_id(stack, stack.storage.bucket)
    s3_actions = {a for a in actions_of(statements) if a.startswith("s3:")}
    if route.blob_access == "none":
        assert not s3_actions
        assert not _mentions(statements, bucket)
    elif route.blob_access == "read":
        assert "s3:GetObject*" in s3_actions
        assert not s3_actions & WRITE_ACTIONS
    else:
        assert s3_actions >= WRITE_ACTIONS


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.function)
def test_only_database_functions_connect_and_only_as_the_app_user(
    stack: RegistryStack, resources: dict[str, Any], route: Any
) -> None:
    statements = function_statements(stack, resources, route.function)
    connects = [st for st in statements if "rds-db:connect" in actions_of([st])]
    if not route.uses_database:
        assert not connects
        return
    assert len(connects) == 1
    resource = json.dumps(connects[0]["Resource"])
    assert "dbuser:" in resource and "/registry_app" in resource
    assert "registry_admin" not in resource


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.function)
def test_secret_reads_are_limited_to_the_secrets_the_route_uses(
    stack: RegistryStack, resources: dict[str, Any], route: Any
) -> None:
    statements = function_statements(stack, resources, route.function)
    jwt = logical_id(stack, stack.secrets.jwt)
    admin = logical_id(stack, stack.secrets.admin_password)
    assert _mentions(statements, jwt) == needs_jwt(route)
    assert _mentions(statements, admin) == (route.function == "registry_reset")
    for db_secret in (stack.database.master_secret, stack.database.app_secret):
        assert not _mentions(statements, logical_id(stack, db_secret))


@pytest.mark.parametrize("name", [r.function for r in ROUTES] + [MIGRATE])
def test_wildcard_resources_are_only_for_xray(
    stack: RegistryStack, resources: dict[str, Any], name: str
) -> None:
    for st in function_statements(stack, resources, name):
        if st["Resource"] == "*":
            assert all(a.startswith("xray:") for a in actions_of([st])), st


def test_migrations_connect_as_master_and_read_the_app_and_admin_secrets(
    stack: RegistryStack, resources: dict[str, Any]
) -> None:
    statements = function_statements(stack, resources, MIGRATE)
    connects = [st for st in statements if "rds-db:connect" in actions_of([st])]
    assert len(connects) == 1 and "/registry_admin" in json.dumps(connects[0]["Resource"])
    assert _mentions(statements, logical_id(stack, stack.database.app_secret))
    assert _mentions(statements, logical_id(stack, stack.secrets.admin_password))
    assert not _mentions(statements, logical_id(stack, stack.storage.bucket))


# What the newer routes must be able to do, pinned here so a route-table edit that changes a
# grant is a deliberate, reviewed change: (blob access, database, JWT).
PINNED: dict[str, tuple[str, bool, bool]] = {
    "artifact_download": ("write", True, True),  # reads packages, caches part zips
    "artifact_downloads_history": ("none", True, True),
    "artifact_upload": ("write", True, True),
    "upload_slot": ("write", True, True),  # signs the PUT URL, which needs s3:PutObject
    "upload_finalize": ("write", True, True),  # copies, then deletes uploads/<id>.zip
    "model_sensitive_put": ("none", True, True),
    "model_sensitive_get": ("none", True, True),
    "model_sensitive_delete": ("none", True, True),
    "package_confusion": ("none", True, True),
    "openapi_document": ("none", False, False),
    "dashboard": ("none", False, False),
    "health_logs": ("none", False, False),
    "health_components": ("read", True, False),
}


def test_pinned_routes_are_all_in_the_table() -> None:
    assert set(PINNED) <= {r.function for r in ROUTES}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_new_routes_synthesize_with_their_pinned_grants(
    stack: RegistryStack, resources: dict[str, Any], name: str
) -> None:
    blob, database, jwt = PINNED[name]
    statements = function_statements(stack, resources, name)
    actions = actions_of(statements)
    s3 = {a for a in actions if a.startswith("s3:")}
    assert {"none": not s3, "read": "s3:GetObject*" in s3 and not s3 & WRITE_ACTIONS}.get(
        blob, s3 >= WRITE_ACTIONS
    ), (name, s3)
    assert ("rds-db:connect" in actions) == database
    assert _mentions(statements, logical_id(stack, stack.secrets.jwt)) == jwt
    # Beyond those, only X-Ray (and, for the download, invoking the check) is granted.
    extra = {a for a in actions if not a.startswith(("s3:", "rds-db:", "secretsmanager:"))}
    allowed = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
    if name == "artifact_download":
        allowed.add("lambda:InvokeFunction")
    assert extra <= allowed, (name, extra)
