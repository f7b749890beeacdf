"""Given the stack, the database, the proxy, the bucket and the migrations are locked down."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import assertions

from infra.assets import migrations_hash, tree_hash
from infra.stack import RegistryStack
from tests.infra.conftest import logical_id

pytestmark = pytest.mark.infra
Match = assertions.Match


def test_proxy_requires_tls_and_iam_auth(template: assertions.Template) -> None:
    template.has_resource_properties(
        "AWS::RDS::DBProxy",
        {
            "RequireTLS": True,
            "EngineFamily": "POSTGRESQL",
            "Auth": Match.array_with([Match.object_like({"IAMAuth": "REQUIRED"})]),
        },
    )


def test_proxy_knows_the_app_user_secret(
    stack: RegistryStack, template: assertions.Template
) -> None:
    proxy = next(iter(template.find_resources("AWS::RDS::DBProxy").values()))
    auth = json.dumps(proxy["Properties"]["Auth"])
    assert logical_id(stack, stack.database.app_secret) in auth


def test_database_is_encrypted_private_postgres_with_backups(
    template: assertions.Template,
) -> None:
    template.has_resource_properties(
        "AWS::RDS::DBInstance",
        {
            "Engine": "postgres",
            "EngineVersion": Match.string_like_regexp("^1[56]"),
            "StorageEncrypted": True,
            "PubliclyAccessible": False,
            "BackupRetentionPeriod": Match.any_value(),
            "DBName": "registry",
        },
    )


def test_database_accepts_only_the_proxy_and_the_proxy_only_functions(
    stack: RegistryStack, resources: dict[str, Any]
) -> None:
    ingress = [
        r["Properties"] for r in resources.values() if r["Type"] == "AWS::EC2::SecurityGroupIngress"
    ]
    by_target = {json.dumps(i["GroupId"]): i for i in ingress}
    db_sg = stack.resolve(stack.database.instance.connections.security_groups[0].security_group_id)
    proxy_sg = stack.resolve(stack.database.proxy.connections.security_groups[0].security_group_id)
    fn_sg = stack.resolve(stack.network.function_sg.security_group_id)
    assert by_target[json.dumps(db_sg)]["SourceSecurityGroupId"] == proxy_sg
    assert by_target[json.dumps(proxy_sg)]["SourceSecurityGroupId"] == fn_sg
    port = {"Fn::GetAtt": [logical_id(stack, stack.database.instance), "Endpoint.Port"]}
    for rule in (by_target[json.dumps(db_sg)], by_target[json.dumps(proxy_sg)]):
        assert rule["FromPort"] == rule["ToPort"]
        assert rule["FromPort"] in (5432, port)
    targets = [json.dumps(i["GroupId"]) for i in ingress]
    assert targets.count(json.dumps(db_sg)) == targets.count(json.dumps(proxy_sg)) == 1


def test_bucket_blocks_public_access_versioned_and_encrypted(
    template: assertions.Template,
) -> None:
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "VersioningConfiguration": {"Status": "Enabled"},
            "BucketEncryption": Match.any_value(),
            "LoggingConfiguration": Match.object_like({"DestinationBucketName": Match.any_value()}),
            "CorsConfiguration": Match.any_value(),
        },
    )


def test_bucket_lifecycle_cleans_multipart_and_old_versions(
    stack: RegistryStack, resources: dict[str, Any]
) -> None:
    rules = resources[logical_id(stack, stack.storage.bucket)]["Properties"][
        "LifecycleConfiguration"
    ]["Rules"]
    assert any("AbortIncompleteMultipartUpload" in r for r in rules)
    assert any("NoncurrentVersionExpiration" in r for r in rules)


@pytest.mark.parametrize("bucket_attr", ["bucket", "access_logs"])
def test_buckets_deny_non_tls(
    stack: RegistryStack, resources: dict[str, Any], bucket_attr: str
) -> None:
    bucket_id = logical_id(stack, getattr(stack.storage, bucket_attr))
    policies = [
        r
        for r in resources.values()
        if r["Type"] == "AWS::S3::BucketPolicy" and r["Properties"]["Bucket"] == {"Ref": bucket_id}
    ]
    statements = policies[0]["Properties"]["PolicyDocument"]["Statement"]
    assert any(
        st["Effect"] == "Deny" and st["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for st in statements
    )


def test_migrations_resource_runs_the_migrate_function_with_the_hash(
    template: assertions.Template,
) -> None:
    template.has_resource_properties(
        "Custom::TrustRegMigrations", {"MigrationsHash": migrations_hash()}
    )


def test_migrations_hash_changes_with_a_migration(tmp_path: Path) -> None:
    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "0001_init.py").write_text("x = 1\n")
    before = tree_hash(tmp_path)
    (tmp_path / "versions" / "__pycache__").mkdir()
    (tmp_path / "versions" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert tree_hash(tmp_path) == before  # bytecode is not a migration
    (tmp_path / "versions" / "0002_more.py").write_text("y = 2\n")
    assert tree_hash(tmp_path) != before


def test_jwt_secret_is_generated_and_long(template: assertions.Template) -> None:
    template.has_resource_properties(
        "AWS::SecretsManager::Secret",
        {"GenerateSecretString": Match.object_like({"PasswordLength": Match.any_value()})},
    )
    secrets = template.find_resources("AWS::SecretsManager::Secret")
    lengths = [
        s["Properties"]["GenerateSecretString"].get("PasswordLength", 32)
        for s in secrets.values()
        if "GenerateSecretString" in s["Properties"]  # the admin's is the contract's by default
    ]
    assert max(lengths) >= 64 and min(lengths) >= 30


def test_network_has_s3_gateway_and_secrets_manager_endpoints(
    template: assertions.Template,
) -> None:
    template.has_resource_properties("AWS::EC2::VPCEndpoint", {"VpcEndpointType": "Gateway"})
    template.has_resource_properties(
        "AWS::EC2::VPCEndpoint", {"VpcEndpointType": "Interface", "PrivateDnsEnabled": True}
    )
    template.resource_count_is("AWS::EC2::NatGateway", 1)


def test_lambda_endpoint_admits_only_functions_and_only_invokes_the_check(
    stack: RegistryStack, resources: dict[str, Any]
) -> None:
    endpoint = resources[logical_id(stack, stack.network.lambda_endpoint)]["Properties"]
    assert endpoint["PrivateDnsEnabled"] is True
    (statement,) = endpoint["PolicyDocument"]["Statement"]
    assert statement["Action"] == "lambda:InvokeFunction"
    check = logical_id(stack, stack.sensitive_check.function)
    assert statement["Resource"] == {"Fn::GetAtt": [check, "Arn"]}
    (sg_ref,) = endpoint["SecurityGroupIds"]
    sg = resources[sg_ref["Fn::GetAtt"][0]]["Properties"]
    assert "SecurityGroupIngress" not in sg  # no VPC-wide CIDR rule
    fn_sg = stack.resolve(stack.network.function_sg.security_group_id)
    ingress = [
        r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::EC2::SecurityGroupIngress" and r["Properties"]["GroupId"] == sg_ref
    ]
    assert [(i["SourceSecurityGroupId"], i["FromPort"]) for i in ingress] == [(fn_sg, 443)]


def test_stack_stays_clear_of_cloudformations_resource_limit(resources: dict[str, Any]) -> None:
    # 500 per stack; every route costs ~8 (function, role, policy, log group, method,
    # permission, two alarms). Fail early rather than at the deploy that crosses it.
    assert len(resources) <= 480, len(resources)
