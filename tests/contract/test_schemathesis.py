"""Schemathesis over every documented operation, against the local server as a process.

Runs once on SQLite and once on PostgreSQL (see conftest.live_server), logged in as the default
admin, derandomized with a fixed small number of examples per operation (FUZZ_LONG=1 or
`make fuzz` for many more). Checks: no 5xx, documented status codes, documented content types,
documented response headers, and bodies that match their schemas. The destructive operations
(DELETE /reset, DELETE /user/{username}) run in a second test, after every other operation.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.contract.live_server import LiveServer
from trustreg.routes import ROUTES

pytestmark = [pytest.mark.contract, pytest.mark.fuzz]

ROOT = Path(__file__).resolve().parents[2]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
LONG = os.environ.get("FUZZ_LONG", "") not in ("", "0", "false")
EXAMPLES = 200 if LONG else 5
DESTRUCTIVE = {("DELETE", "/reset"), ("DELETE", "/user/{username}")}
ROUTED = {(r.method, r.path) for r in ROUTES}

SCHEMA = schemathesis.openapi.from_path(ROOT / "docs" / "openapi.yaml")
# Direct uploads send a zip as the raw body: bytes, like any binary media type.
schemathesis.serializer.alias("application/zip", "application/octet-stream")
# A sensitive model's check program may be sent as a JavaScript source: text on the wire.
schemathesis.serializer.alias("application/javascript", "text/plain")
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=not LONG,
    deadline=None,
    database=None,
    print_blob=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _key(ctx) -> tuple[str, str]:
    return ctx.operation.method.upper(), ctx.operation.path


# Operations documented but not yet in the route table are the unit contract test's concern
# (tests/unit/test_openapi_contract.py names them); fuzzing them would only see the 404 of a
# missing route.
# (Several include() calls would be OR-ed, hence one predicate per schema.)
SAFE = SCHEMA.include(lambda ctx: _key(ctx) in ROUTED and _key(ctx) not in DESTRUCTIVE)
LAST = SCHEMA.include(lambda ctx: _key(ctx) in ROUTED and _key(ctx) in DESTRUCTIVE)


@pytest.fixture(scope="module")
def http(live_server: LiveServer):
    with requests.Session() as session:
        yield session


def _call_and_validate(case, live_server: LiveServer, http: requests.Session) -> None:
    case.call_and_validate(
        base_url=live_server.base_url,
        session=http,
        headers={"X-Authorization": live_server.token},
        checks=CHECKS,
        timeout=60,
        allow_redirects=False,
    )


@SAFE.parametrize()
@FUZZ_SETTINGS
def test_given_any_documented_request_when_sent_then_the_answer_matches_the_document(
    case, live_server, http
):
    _call_and_validate(case, live_server, http)


@LAST.parametrize()
@FUZZ_SETTINGS
def test_given_the_destructive_operations_when_fuzzed_last_then_they_match_the_document(
    case, live_server, http
):
    _call_and_validate(case, live_server, http)
