"""Given the route table, when the stack is synthesized, then each route has its own Lambda."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import assertions

from infra.endpoints import (
    LARGE_TMP,
    LARGE_TMP_MB,
    LOG_LINK_READERS,
    RESERVED_CONCURRENCY,
    TOKEN_ISSUERS,
    needs_jwt,
)
from infra.migrations import FUNCTION_NAME as MIGRATE
from infra.stack import RegistryStack
from tests.infra.conftest import logical_id
from trustreg.observability import NAMESPACE, SERVICE
from trustreg.routes import ROUTES
from trustreg.services.health_checks.logs import _functions_for

pytestmark = pytest.mark.infra
ROUTE_NAMES = [r.function for r in ROUTES]
PREFIX = "/trustreg/dev/"  # dev's Settings.log_group_prefix


def props(stack: RegistryStack, resources: dict[str, Any], name: str) -> dict[str, Any]:
    return dict(resources[logical_id(stack, stack.factory.functions[name])]["Properties"])


def test_given_routes_then_one_function_per_route_plus_migrations(stack: RegistryStack) -> None:
    assert sorted(stack.factory.functions) == sorted([*ROUTE_NAMES, MIGRATE])


@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_every_api_function_is_updated_only_after_the_migration_ran(
    stack: RegistryStack, resources: dict[str, Any], name: str
) -> None:
    # Code that writes a column a migration adds must not go live before that migration.
    schema = logical_id(stack, stack.migrations.resource)
    depends = resources[logical_id(stack, stack.factory.functions[name])].get("DependsOn", [])
    assert schema in depends


@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_each_function_runs_the_folder_handler_on_312_with_the_layer(
    stack: RegistryStack, resources: dict[str, Any], name: str
) -> None:
    p = props(stack, resources, name)
    layer_id = logical_id(stack, stack.factory.layer)
    assert p["Handler"] == "handler.handler"
    assert p["Runtime"] == "python3.12"
    assert p["Architectures"] == ["arm64"]
    assert p["Layers"] == [{"Ref": layer_id}]
    route = next(r for r in ROUTES if r.function == name)
    assert p["MemorySize"] == route.memory_mb
    assert p["Timeout"] == route.timeout_s
    assert p["TracingConfig"] == {"Mode": "Active"}
    assert p["LoggingConfig"]["LogFormat"] == "JSON"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.function)
def test_functions_that_hold_whole_packages_get_a_larger_tmp(
    stack: RegistryStack, resources: dict[str, Any], route: Any
) -> None:
    size = props(stack, resources, route.function)["EphemeralStorage"]["Size"]
    assert size == (LARGE_TMP_MB if route.function in LARGE_TMP else 512)
    if route.blob_access == "write" and route.memory_mb >= 1024:
        assert route.function in LARGE_TMP


def test_layer_matches_runtime_and_architecture(template: assertions.Template) -> None:
    template.has_resource_properties(
        "AWS::Lambda::LayerVersion",
        {"CompatibleRuntimes": ["python3.12"], "CompatibleArchitectures": ["arm64"]},
    )


@pytest.mark.parametrize("name", [*ROUTE_NAMES, MIGRATE])
def test_every_function_logs_to_its_own_group_with_retention(
    stack: RegistryStack, resources: dict[str, Any], name: str
) -> None:
    group_ref = props(stack, resources, name)["LoggingConfig"]["LogGroup"]
    group = resources[group_ref["Ref"]]
    assert group["Type"] == "AWS::Logs::LogGroup"
    assert group["Properties"]["RetentionInDays"] == 14  # dev's logRetentionDays


@pytest.mark.parametrize("name", [*ROUTE_NAMES, MIGRATE])
def test_function_log_groups_are_named_prefix_plus_function(
    stack: RegistryStack, resources: dict[str, Any], name: str
) -> None:
    group_ref = props(stack, resources, name)["LoggingConfig"]["LogGroup"]
    assert resources[group_ref["Ref"]]["Properties"]["LogGroupName"] == f"{PREFIX}{name}"


@pytest.mark.parametrize(
    "component", ["blob-store", "upstream-sources", "rating-pipeline", "database"]
)
def test_every_log_link_the_health_page_builds_names_a_real_group(
    resources: dict[str, Any], component: str
) -> None:
    names = {
        r["Properties"].get("LogGroupName")
        for r in resources.values()
        if r["Type"] == "AWS::Logs::LogGroup"
    }
    linked = _functions_for(component)
    assert linked and {f"{PREFIX}{fn}" for fn in linked} <= names


def test_no_log_group_anywhere_lacks_retention(resources: dict[str, Any]) -> None:
    groups = {k: r for k, r in resources.items() if r["Type"] == "AWS::Logs::LogGroup"}
    assert groups and all("RetentionInDays" in g["Properties"] for g in groups.values())


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.function)
def test_environment_carries_only_what_the_route_was_granted(
    stack: RegistryStack, resources: dict[str, Any], route: Any
) -> None:
    env = props(stack, resources, route.function)["Environment"]["Variables"]
    assert env["POWERTOOLS_SERVICE_NAME"] == SERVICE
    assert env["POWERTOOLS_METRICS_NAMESPACE"] == NAMESPACE
    assert "DATABASE_URL" not in env
    db_keys = {"DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_IAM_AUTH", "DB_PROXY"}
    if route.uses_database:
        assert db_keys <= env.keys()
        assert env["DB_USER"] == "registry_app"
        assert env["DB_IAM_AUTH"] == env["DB_PROXY"] == "true"
    else:
        assert not db_keys & env.keys()
    assert ("BLOB_BUCKET" in env) == (route.blob_access != "none")
    assert ("JWT_SECRET_ARN" in env) == needs_jwt(route)
    assert ("ADMIN_PASSWORD_SECRET_ARN" in env) == (route.function == "registry_reset")
    if route.function in LOG_LINK_READERS:
        assert env["LOG_GROUP_PREFIX"] == PREFIX
    else:
        assert "LOG_GROUP_PREFIX" not in env


def test_log_links_go_to_the_health_routes() -> None:
    assert LOG_LINK_READERS == {"health_components", "health_logs"} <= set(ROUTE_NAMES)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.function)
def test_vpc_placement_follows_internet_and_database_needs(
    stack: RegistryStack, resources: dict[str, Any], route: Any
) -> None:
    vpc_config = props(stack, resources, route.function).get("VpcConfig")
    if not (route.uses_database or route.needs_internet):
        assert vpc_config is None
        return
    subnet_ids = {
        stack.resolve(s.subnet_id)["Ref"]
        for s in (
            stack.network.vpc.private_subnets
            if route.needs_internet
            else stack.network.vpc.isolated_subnets
        )
    }
    assert {s["Ref"] for s in vpc_config["SubnetIds"]} == subnet_ids


def test_named_special_functions_exist_in_the_route_table() -> None:
    assert set(ROUTE_NAMES) >= TOKEN_ISSUERS
    assert set(RESERVED_CONCURRENCY) <= set(ROUTE_NAMES)


def test_dev_reserves_no_concurrency(resources: dict[str, Any]) -> None:
    # New accounts (limit 10) cannot reserve any; prod turns it on (see test_settings.py).
    fns = [r for r in resources.values() if r["Type"] == "AWS::Lambda::Function"]
    assert not any("ReservedConcurrentExecutions" in f["Properties"] for f in fns)
