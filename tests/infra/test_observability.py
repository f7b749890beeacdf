"""Given the stack, the dashboard shows the agreed metrics and the alarms exist."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import assertions

from infra.observability import registry_metric_names
from infra.stack import RegistryStack
from trustreg.observability import NAMESPACE, SERVICE, MetricName

pytestmark = pytest.mark.infra


@pytest.fixture(scope="module")
def body(template: assertions.Template) -> str:
    """The dashboard JSON with tokens flattened to text, good enough for `in` checks."""
    (dashboard,) = template.find_resources("AWS::CloudWatch::Dashboard").values()
    return json.dumps(dashboard["Properties"]["DashboardBody"])


@pytest.mark.parametrize(
    "metric",
    [
        "Count",
        "4XXError",
        "5XXError",
        "Latency",
        "p50",
        "p99",
        "Errors",
        "Duration",
        "Throttles",
        "ConcurrentExecutions",
        "ClientConnections",
        "DatabaseConnections",
        "DatabaseConnectionsCurrentlySessionPinned",
        "CPUUtilization",
        "BucketSizeBytes",
    ],
)
def test_dashboard_has_service_metric(body: str, metric: str) -> None:
    assert f'\\"{metric}\\"' in body or f"{metric}" in body


def test_dashboard_has_every_registry_metric_in_namespace_with_service_dimension(
    body: str,
) -> None:
    names = registry_metric_names()
    assert MetricName.INGEST_ACCEPTED in names and MetricName.LOGINS_REFUSED in names
    for name in names:
        assert f'\\"{NAMESPACE}\\",\\"{name}\\",\\"service\\",\\"{SERVICE}\\"' in body, name


def test_alarms_cover_5xx_rate_function_errors_throttles_and_db_cpu(
    stack: RegistryStack, resources: dict[str, Any]
) -> None:
    alarms = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm"]
    per_fn = len(stack.factory.functions) + 1  # and the Node.js sensitive-check function
    assert sum(a.get("MetricName") == "Errors" for a in alarms) == per_fn
    assert sum(a.get("MetricName") == "Throttles" for a in alarms) == per_fn
    assert any(a.get("MetricName") == "CPUUtilization" and a["Threshold"] == 80 for a in alarms)
    assert any("Metrics" in a and "100 * e / r" in json.dumps(a["Metrics"]) for a in alarms)


def test_without_a_topic_alarms_have_no_actions(resources: dict[str, Any]) -> None:
    alarms = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm"]
    assert not any("AlarmActions" in a for a in alarms)
