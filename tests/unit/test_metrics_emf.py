"""Every request emits CloudWatch EMF metrics (Powertools prints them to stdout)."""

from __future__ import annotations

import json

from trustreg.local.dispatch import load_handler
from trustreg.local.events import LambdaContext, build_event
from trustreg.observability import NAMESPACE, SERVICE


def _emf_lines(out: str) -> list[dict]:
    blobs = []
    for line in out.splitlines():
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict) and "_aws" in data:
            blobs.append(data)
    return blobs


def test_given_a_request_when_served_then_emf_has_namespace_service_and_requests(capsys):
    event = build_event(
        method="GET",
        path="/health",
        resource="/health",
        path_params={},
        query={},
        headers={},
        body=b"",
        source_ip="127.0.0.1",
        request_id="r-1",
    )
    result = load_handler("health")(event, LambdaContext("health"))
    assert result["statusCode"] == 200
    emf = _emf_lines(capsys.readouterr().out)
    assert emf, "no EMF document was printed"
    doc = emf[-1]
    directive = doc["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == NAMESPACE == "TrustworthyModelRegistry"
    assert any("service" in dims for dims in directive["Dimensions"])
    assert doc["service"] == SERVICE and doc["endpoint"] == "health"
    names = {m["Name"] for m in directive["Metrics"]}
    assert {"Requests", "LatencyMs"} <= names
    assert doc["Requests"] in (1, 1.0, [1.0], [1])


def test_given_a_refused_request_when_served_then_a_4xx_metric_is_emitted(capsys):
    event = build_event(
        method="GET",
        path="/health/logs",
        resource="/health/logs",
        path_params={},
        query={"lines": ["0"]},
        headers={},
        body=b"",
        source_ip="127.0.0.1",
        request_id="r-2",
    )
    result = load_handler("health_logs")(event, LambdaContext("health_logs"))
    assert result["statusCode"] == 400
    directive = _emf_lines(capsys.readouterr().out)[-1]["_aws"]["CloudWatchMetrics"][0]
    assert {"Requests", "Errors4xx"} <= {m["Name"] for m in directive["Metrics"]}
