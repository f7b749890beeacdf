"""Given the route table, the REST API has exactly its methods, and errors share one shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import assertions

from infra.stack import RegistryStack
from tests.infra.conftest import logical_id
from trustreg.routes import ROUTES

pytestmark = pytest.mark.infra


def _path_of(resources: dict[str, Any], resource_ref: Any) -> str:
    """Rebuild a method's path by walking AWS::ApiGateway::Resource parents."""
    parts: list[str] = []
    while isinstance(resource_ref, dict) and "Ref" in resource_ref:
        res = resources[resource_ref["Ref"]]["Properties"]
        parts.append(res["PathPart"])
        resource_ref = res["ParentId"]
    return "/" + "/".join(reversed(parts))


def test_methods_are_exactly_the_route_table(
    stack: RegistryStack, resources: dict[str, Any]
) -> None:
    fn_ids = {logical_id(stack, fn): name for name, fn in stack.factory.functions.items()}
    found = set()
    for res in resources.values():
        p = res["Properties"]
        if res["Type"] != "AWS::ApiGateway::Method" or p["HttpMethod"] == "OPTIONS":
            continue
        assert p["Integration"]["Type"] == "AWS_PROXY"
        uri = json.dumps(p["Integration"]["Uri"])
        target = [name for lid, name in fn_ids.items() if f'"{lid}"' in uri]
        found.add((p["HttpMethod"], _path_of(resources, p["ResourceId"]), *target))
    assert found == {(r.method, r.path, r.function) for r in ROUTES}


def test_integrations_wait_for_the_function_up_to_api_gateways_default_29_s(
    stack: RegistryStack, resources: dict[str, Any]
) -> None:
    fn_ids = {logical_id(stack, fn): name for name, fn in stack.factory.functions.items()}
    by_name = {r.function: r for r in ROUTES}
    for res in resources.values():
        p = res["Properties"]
        if res["Type"] != "AWS::ApiGateway::Method" or p["HttpMethod"] == "OPTIONS":
            continue
        uri = json.dumps(p["Integration"]["Uri"])
        (name,) = [n for lid, n in fn_ids.items() if f'"{lid}"' in uri]
        expected = min(by_name[name].timeout_s, 29) * 1000
        assert p["Integration"]["TimeoutInMillis"] == expected, name


def test_every_resource_answers_cors_preflight(resources: dict[str, Any]) -> None:
    api_resources = [k for k, r in resources.items() if r["Type"] == "AWS::ApiGateway::Resource"]
    options = {
        r["Properties"]["ResourceId"].get("Ref")
        for r in resources.values()
        if r["Type"] == "AWS::ApiGateway::Method" and r["Properties"]["HttpMethod"] == "OPTIONS"
    }
    assert set(api_resources) <= options


def test_binary_media_types(template: assertions.Template) -> None:
    template.has_resource_properties(
        "AWS::ApiGateway::RestApi",
        {"BinaryMediaTypes": ["application/zip", "application/octet-stream"]},
    )


def test_stage_throttles_and_writes_access_logs_to_a_retained_group(
    resources: dict[str, Any],
) -> None:
    stage = next(r for r in resources.values() if r["Type"] == "AWS::ApiGateway::Stage")
    p = stage["Properties"]
    method_settings = p["MethodSettings"][0]
    assert method_settings["ThrottlingRateLimit"] == 50
    assert method_settings["ThrottlingBurstLimit"] == 100
    group_id = p["AccessLogSetting"]["DestinationArn"]["Fn::GetAtt"][0]
    assert resources[group_id]["Properties"]["RetentionInDays"] == 14
    assert p["StageName"] == "dev"


@pytest.mark.parametrize("kind", ["DEFAULT_4XX", "DEFAULT_5XX"])
def test_gateway_errors_use_the_registry_error_shape(
    template: assertions.Template, kind: str
) -> None:
    responses = template.find_resources(
        "AWS::ApiGateway::GatewayResponse", {"Properties": {"ResponseType": kind}}
    )
    (response,) = responses.values()
    body = response["Properties"]["ResponseTemplates"]["application/json"]
    assert '{"error": {"code":' in body and '"message":' in body


def test_unknown_route_is_a_json_404(template: assertions.Template) -> None:
    template.has_resource_properties(
        "AWS::ApiGateway::GatewayResponse",
        {
            "ResponseType": "MISSING_AUTHENTICATION_TOKEN",
            "StatusCode": "404",
            "ResponseTemplates": {
                "application/json": assertions.Match.string_like_regexp('"code": "NOT_FOUND"')
            },
        },
    )


def test_no_custom_domain_unless_configured(template: assertions.Template) -> None:
    template.resource_count_is("AWS::ApiGateway::DomainName", 0)
