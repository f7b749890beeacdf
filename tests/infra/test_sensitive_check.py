"""Given the stack, the Node.js sensitive-check Lambda is boxed in and only the download calls it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.migrations import FUNCTION_NAME as MIGRATE
from infra.sensitive_check import (
    ENI_ACTIONS,
    INVOKER,
    RESERVED_CONCURRENCY,
    SENSITIVE_CHECK_TIMEOUT_S,
)
from infra.stack import RegistryStack
from tests.infra.conftest import actions_of, function_statements, logical_id

pytestmark = pytest.mark.infra
# LambdaRunner's boto3 read timeout is the program timeout + 30 s (lambda_runner.py).
RUNNER_READ_TIMEOUT_S = SENSITIVE_CHECK_TIMEOUT_S + 30


@pytest.fixture(scope="module")
def check(stack: RegistryStack, resources: dict[str, Any]) -> dict[str, Any]:
    res = resources[logical_id(stack, stack.sensitive_check.function)]
    assert res["Type"] == "AWS::Lambda::Function"
    return dict(res)


@pytest.fixture(scope="module")
def check_arn(stack: RegistryStack) -> dict[str, Any]:
    return {"Fn::GetAtt": [logical_id(stack, stack.sensitive_check.function), "Arn"]}


def test_runs_index_mjs_on_node_22_small_and_short(
    stack: RegistryStack, resources: dict[str, Any], check: dict[str, Any]
) -> None:
    p = check["Properties"]
    assert p["Runtime"] == "nodejs22.x" and p["Handler"] == "index.handler"
    assert p["MemorySize"] <= 512
    assert SENSITIVE_CHECK_TIMEOUT_S < p["Timeout"] < RUNNER_READ_TIMEOUT_S
    download = resources[logical_id(stack, stack.factory.functions[INVOKER])]["Properties"]
    assert p["Timeout"] < download["Timeout"]
    # The package (up to 500 MiB) is copied to /tmp before the program runs.
    assert p["EphemeralStorage"]["Size"] >= 1024
    assert p["Architectures"] == ["arm64"]


def test_environment_holds_no_resource_names_or_secrets(check: dict[str, Any]) -> None:
    # The bucket and key arrive in each event; the child process gets an empty environment.
    assert check["Properties"]["Environment"]["Variables"] == {"SENSITIVE_CHECK_HEAP_MB": "128"}


def test_logs_to_its_own_named_group_with_retention(
    resources: dict[str, Any], check: dict[str, Any]
) -> None:
    group = resources[check["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]]
    assert group["Properties"]["LogGroupName"] == "/trustreg/dev/sensitive_check"
    assert group["Properties"]["RetentionInDays"] == 14
    assert check["Properties"]["LoggingConfig"]["LogFormat"] == "JSON"


def test_sits_in_the_isolated_subnets(stack: RegistryStack, check: dict[str, Any]) -> None:
    isolated = [stack.resolve(s.subnet_id) for s in stack.network.vpc.isolated_subnets]
    assert check["Properties"]["VpcConfig"]["SubnetIds"] == isolated


def test_isolated_subnets_have_no_route_to_the_internet(resources: dict[str, Any]) -> None:
    isolated_tables = {
        k for k, r in resources.items() if r["Type"] == "AWS::EC2::RouteTable" and "isolated" in k
    }
    routes = [
        r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::EC2::Route"
        and r["Properties"]["RouteTableId"]["Ref"] in isolated_tables
    ]
    assert isolated_tables and not routes  # only the VPC-local and S3-endpoint routes exist


def test_security_group_allows_only_https_to_the_s3_prefix_list(
    stack: RegistryStack, resources: dict[str, Any], check: dict[str, Any]
) -> None:
    (sg_ref,) = check["Properties"]["VpcConfig"]["SecurityGroupIds"]
    sg_id = sg_ref["Fn::GetAtt"][0]
    sg = resources[sg_id]["Properties"]
    # No inline rule: CloudFormation drops the default allow-all once a separate rule exists.
    assert "SecurityGroupEgress" not in sg and "SecurityGroupIngress" not in sg
    rules = {
        k: r["Properties"]
        for k, r in resources.items()
        if r["Type"] in {"AWS::EC2::SecurityGroupEgress", "AWS::EC2::SecurityGroupIngress"}
        and sg_ref in (r["Properties"].get("GroupId"), r["Properties"].get("SourceSecurityGroupId"))
    }
    ((rule_id, rule),) = rules.items()
    assert resources[rule_id]["Type"] == "AWS::EC2::SecurityGroupEgress"
    assert (rule["IpProtocol"], rule["FromPort"], rule["ToPort"]) == ("tcp", 443, 443)
    lookup_id, path = rule["DestinationPrefixListId"]["Fn::GetAtt"]
    assert path == "PrefixLists.0.PrefixListId"
    call = json.dumps(resources[lookup_id]["Properties"]["Create"])
    assert "describeManagedPrefixLists" in call and ".s3" in call and "AWS::Region" in call
    # The function is created only after its egress is narrowed.
    assert rule_id in check["DependsOn"]
    # Nothing else in the stack uses this group.
    users = [
        k for k, r in resources.items() if json.dumps(sg_ref) in json.dumps(r.get("Properties"))
    ]
    assert sorted(users) == sorted([logical_id(stack, stack.sensitive_check.function), rule_id])


def test_role_reads_package_zips_and_writes_its_logs_only(
    stack: RegistryStack, resources: dict[str, Any], check: dict[str, Any]
) -> None:
    role_id = check["Properties"]["Role"]["Fn::GetAtt"][0]
    role = resources[role_id]["Properties"]
    assert "ManagedPolicyArns" not in role
    # No separate policy resources either: everything is inline in the role.
    assert not [
        r
        for r in resources.values()
        if r["Type"] == "AWS::IAM::Policy" and {"Ref": role_id} in r["Properties"]["Roles"]
    ]
    statements = [st for pol in role["Policies"] for st in pol["PolicyDocument"]["Statement"]]
    bucket = logical_id(stack, stack.storage.bucket)
    by_sid = {st["Sid"]: st for st in statements}
    assert set(by_sid) == {"ReadPackages", "OwnLogs", "VpcNetworkInterfaces"}
    assert by_sid["ReadPackages"]["Action"] == "s3:GetObject"
    assert by_sid["ReadPackages"]["Resource"] == {
        "Fn::Join": ["", [{"Fn::GetAtt": [bucket, "Arn"]}, "/artifacts/*"]]
    }
    group = check["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
    assert set(by_sid["OwnLogs"]["Action"]) == {"logs:CreateLogStream", "logs:PutLogEvents"}
    assert by_sid["OwnLogs"]["Resource"] == {"Fn::GetAtt": [group, "Arn"]}
    assert set(by_sid["VpcNetworkInterfaces"]["Action"]) == set(ENI_ACTIONS)
    assert all(a.startswith("ec2:") for a in ENI_ACTIONS)
    assert all(st["Effect"] == "Allow" and "Condition" not in st for st in statements)


def test_no_resource_policy_lets_anything_else_invoke_it(
    stack: RegistryStack, resources: dict[str, Any]
) -> None:
    check = logical_id(stack, stack.sensitive_check.function)
    permissions = [
        r
        for r in resources.values()
        if r["Type"] == "AWS::Lambda::Permission" and check in json.dumps(r["Properties"])
    ]
    assert not permissions


def test_only_the_download_function_may_invoke_it_and_only_it(
    stack: RegistryStack, resources: dict[str, Any], check_arn: dict[str, Any]
) -> None:
    for name in stack.factory.functions:
        statements = function_statements(stack, resources, name)
        invokes = [
            st for st in statements if any(a.startswith("lambda:") for a in actions_of([st]))
        ]
        if name != INVOKER:
            assert not invokes, name
            continue
        (st,) = invokes
        assert st["Action"] == "lambda:InvokeFunction"
        assert st["Resource"] == check_arn  # the function itself: no versions, no aliases


def test_only_the_download_function_is_told_its_name(
    stack: RegistryStack, resources: dict[str, Any]
) -> None:
    check = logical_id(stack, stack.sensitive_check.function)
    for name, fn in stack.factory.functions.items():
        env = resources[logical_id(stack, fn)]["Properties"]["Environment"]["Variables"]
        if name == INVOKER:
            assert env["SENSITIVE_CHECK_FUNCTION"] == {"Ref": check}
            assert env["SENSITIVE_CHECK_TIMEOUT_S"] == str(SENSITIVE_CHECK_TIMEOUT_S)
            assert env["BLOB_BUCKET"]  # the runner resolves bare keys against it
        else:
            assert "SENSITIVE_CHECK_FUNCTION" not in env, name
    assert MIGRATE in stack.factory.functions


def test_download_function_can_reach_lambda_from_its_isolated_subnet(
    stack: RegistryStack, resources: dict[str, Any]
) -> None:
    download = resources[logical_id(stack, stack.factory.functions[INVOKER])]["Properties"]
    endpoint = resources[logical_id(stack, stack.network.lambda_endpoint)]["Properties"]
    assert endpoint["SubnetIds"] == download["VpcConfig"]["SubnetIds"]


def test_dev_reserves_no_concurrency_for_it(check: dict[str, Any]) -> None:
    assert "ReservedConcurrentExecutions" not in check["Properties"]
    assert RESERVED_CONCURRENCY >= 1


def test_its_errors_and_throttles_raise_alarms(
    stack: RegistryStack, resources: dict[str, Any]
) -> None:
    check = logical_id(stack, stack.sensitive_check.function)
    metrics = {
        r["Properties"].get("MetricName")
        for r in resources.values()
        if r["Type"] == "AWS::CloudWatch::Alarm" and check in json.dumps(r["Properties"])
    }
    assert metrics == {"Errors", "Throttles"}
