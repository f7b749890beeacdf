"""Given prod-like context, the settings reach the template; bad settings fail the synth."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack, assertions

from infra.app import cdk_json_context
from infra.secrets import AppSecrets
from infra.sensitive_check import RESERVED_CONCURRENCY
from infra.settings import CONTEXT_KEYS, Settings, settings_from_context
from infra.stack import RegistryStack
from tests.infra.conftest import logical_id, synth
from tests.infra.test_compliance import ignored_rules
from trustreg.config import DEFAULT_ADMIN_PASSWORD
from trustreg.routes import ROUTES

pytestmark = pytest.mark.infra
TOPIC = "arn:aws:sns:us-east-1:123456789012:registry-alarms"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc"


@pytest.fixture(scope="module")
def prod(tmp_path_factory: pytest.TempPathFactory) -> RegistryStack:
    return synth(
        tmp_path_factory.mktemp("synth-prod"),
        env="prod",
        alarmTopicArn=TOPIC,
        domainName="registry.example.com",
        certificateArn=CERT,
        architecture="x86_64",
        apiIntegrationTimeoutS="120",  # as after a quota increase
        adminPassword="generate",
    )


@pytest.fixture(scope="module")
def prod_resources(prod: RegistryStack) -> dict[str, Any]:
    return dict(assertions.Template.from_stack(prod).to_json()["Resources"])


def _of(resources: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r["Properties"] for r in resources.values() if r["Type"] == kind]


def test_stack_name_carries_the_env(prod: RegistryStack) -> None:
    assert prod.stack_name == "TrustReg-prod"


def test_prod_database_is_multi_az_and_protected(prod_resources: dict[str, Any]) -> None:
    (db,) = _of(prod_resources, "AWS::RDS::DBInstance")
    assert db["MultiAZ"] is True and db["DeletionProtection"] is True
    assert db["BackupRetentionPeriod"] == 14


def test_prod_alarms_notify_the_topic(prod_resources: dict[str, Any]) -> None:
    alarms = _of(prod_resources, "AWS::CloudWatch::Alarm")
    assert alarms and all(a["AlarmActions"] == [TOPIC] for a in alarms)


def test_prod_custom_domain_and_architecture(prod_resources: dict[str, Any]) -> None:
    (domain,) = _of(prod_resources, "AWS::ApiGateway::DomainName")
    assert domain["DomainName"] == "registry.example.com"
    assert domain["RegionalCertificateArn"] == CERT
    fns = _of(prod_resources, "AWS::Lambda::Function")
    assert {tuple(f.get("Architectures", [])) for f in fns if f.get("Layers")} == {("x86_64",)}


def test_prod_reserves_concurrency_for_database_heavy_functions(
    prod: RegistryStack, prod_resources: dict[str, Any]
) -> None:
    reserved = {
        n: prod.resolve(f.node.default_child.reserved_concurrent_executions)
        for n, f in prod.factory.functions.items()
    }
    assert reserved["registry_reset"] == 1 and reserved["artifact_create"] == 10
    assert reserved["db_migrate"] == 1 and reserved["health"] is None
    check = prod.resolve(
        prod.sensitive_check.function.node.default_child.reserved_concurrent_executions
    )
    assert check == RESERVED_CONCURRENCY


def test_raised_integration_timeout_reaches_the_long_routes(
    prod: RegistryStack, prod_resources: dict[str, Any]
) -> None:
    fn_ids = {logical_id(prod, fn): name for name, fn in prod.factory.functions.items()}
    timeouts = {}
    for method in _of(prod_resources, "AWS::ApiGateway::Method"):
        if method["HttpMethod"] == "OPTIONS":
            continue
        uri = json.dumps(method["Integration"]["Uri"])
        (name,) = [n for lid, n in fn_ids.items() if f'"{lid}"' in uri]
        timeouts[name] = method["Integration"]["TimeoutInMillis"]
    for route in ROUTES:
        assert timeouts[route.function] == min(route.timeout_s, 120) * 1000, route.function
    assert timeouts["artifact_create"] == 120_000


def test_prod_template_passes_cfn_lint(
    prod: RegistryStack, prod_resources: dict[str, Any], tmp_path: Path
) -> None:
    from cfnlint.api import ManualArgs, lint_file

    path = tmp_path / "prod.json"
    path.write_text(json.dumps(assertions.Template.from_stack(prod).to_json()))
    matches = lint_file(path, ManualArgs(ignore_checks=ignored_rules(), regions=["us-east-1"]))
    assert not matches, "\n".join(f"{m.rule.id} {m.message}" for m in matches)


def test_prod_is_cdk_nag_clean(prod: RegistryStack) -> None:
    annotations = assertions.Annotations.from_stack(prod)
    findings = annotations.find_error(
        "*", assertions.Match.string_like_regexp("AwsSolutions-.*")
    ) + annotations.find_warning("*", assertions.Match.string_like_regexp(".*Nag.*|AwsSol.*"))
    assert not findings, "\n".join(f"{f.id}: {str(f.entry.data)[:200]}" for f in findings)


def _admin_secret(**overrides: Any) -> tuple[AppSecrets, dict[str, Any]]:
    stack = Stack(App())
    secrets = AppSecrets(stack, "Secrets", settings=replace(Settings(), **overrides))
    found = assertions.Template.from_stack(stack).find_resources("AWS::SecretsManager::Secret")
    admin = {k: v["Properties"] for k, v in found.items() if "AdminPassword" in k}
    return secrets, admin


def test_default_admin_password_is_the_contracts(
    stack: RegistryStack, resources: dict[str, Any]
) -> None:
    admin = resources[logical_id(stack, stack.secrets.admin_password)]["Properties"]
    assert admin["SecretString"] == DEFAULT_ADMIN_PASSWORD
    assert "GenerateSecretString" not in admin
    assert "rotate" in admin["Description"]


def test_admin_password_generate_makes_a_random_one() -> None:
    _, admin = _admin_secret(admin_password="generate")
    ((props),) = admin.values()
    assert "SecretString" not in props
    assert props["GenerateSecretString"]["PasswordLength"] >= 32


def test_admin_password_secret_arn_imports_instead_of_creating() -> None:
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-admin-AbCdEf"
    secrets, admin = _admin_secret(admin_password_secret_arn=arn)
    assert not admin
    assert secrets.admin_password.secret_arn == arn


def test_generate_and_an_imported_secret_are_exclusive() -> None:
    app = App(
        context={
            **cdk_json_context(),
            "adminPassword": "generate",
            "adminPasswordSecretArn": "arn:aws:secretsmanager:x",
        }
    )
    with pytest.raises(ValueError, match="exclusive"):
        settings_from_context(app.node)


def test_prod_stateful_resources_are_retained(prod_resources: dict[str, Any]) -> None:
    for res in prod_resources.values():
        if res["Type"] in {"AWS::S3::Bucket", "AWS::RDS::DBInstance"}:
            assert res["DeletionPolicy"] == "Retain"
    assert not any(r["Type"] == "Custom::S3AutoDeleteObjects" for r in prod_resources.values())


def test_cdk_json_names_only_known_settings() -> None:
    for env, values in cdk_json_context()["environments"].items():
        assert set(values) <= set(CONTEXT_KEYS), env


@pytest.mark.parametrize(
    "override",
    [
        {"architecture": "sparc"},
        {"natGateways": "0"},
        {"domainName": "x.example.com"},
        {"env": "staging"},
        {"logRetentionDays": "13"},
        {"adminPassword": "hunter2"},
        {"apiIntegrationTimeoutS": "0"},
        {"apiIntegrationTimeoutS": "901"},
    ],
)
def test_bad_settings_fail_with_their_name(override: dict[str, str]) -> None:
    app = App(context={**cdk_json_context(), **override})
    with pytest.raises(ValueError):
        settings_from_context(app.node)


def test_docs_list_every_setting() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "deploy.md").read_text()
    missing = [key for key in CONTEXT_KEYS if f"`{key}`" not in doc]
    assert not missing, f"docs/deploy.md lacks {missing}"


def test_string_context_values_are_coerced() -> None:
    app = App(context={**cdk_json_context(), "tracing": "false", "corsOrigins": "a.com,b.com"})
    settings = settings_from_context(app.node)
    assert settings.tracing is False and settings.cors_origins == ("a.com", "b.com")
    assert json.dumps(settings.cors_origins)
