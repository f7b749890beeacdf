"""Response bodies: written fast, and never refused where the standard library would write them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trustreg.http.json_body import body_text
from trustreg.http.responses import Response, to_proxy


@pytest.mark.parametrize(
    "value",
    [
        [{"name": "bert", "id": "0123456789abcdef01234567", "type": "model"}],
        {"score": 0.8125, "ok": True, "none": None, "nested": {"list": [1, 2.5, "x"]}},
        {"name": "modèle-日本語-🤖"},
    ],
)
def test_given_a_plain_body_then_it_parses_back_to_the_same_value(value):
    assert json.loads(body_text(value)) == value


def test_given_an_integer_beyond_64_bits_then_it_is_written_exactly():
    # A package's config.json may hold one; explain=true shows it as evidence.
    value = {"evidence": {"vocab": 10**30, "negative": -(2**70)}}

    assert json.loads(body_text(value)) == value


def test_given_a_lone_surrogate_then_the_body_is_still_written():
    text = body_text({"reason": "bad \ud800 char"})

    assert json.loads(text) == {"reason": "bad \ud800 char"}


def test_given_nan_or_an_infinity_then_the_body_is_valid_json_with_null():
    text = body_text({"score": float("nan"), "big": float("inf")})

    assert json.loads(text, parse_constant=_refuse) == {"score": None, "big": None}


def _refuse(token: str) -> None:
    raise AssertionError(f"{token} is not JSON")


def test_given_a_datetime_then_the_body_is_refused_as_json_dumps_refused_it():
    # Dates reach bodies as the contract's text; a raw one is a bug that must not pass as a 200.
    with pytest.raises(TypeError):
        body_text({"date": datetime(2024, 7, 11, tzinfo=UTC)})


def test_given_non_string_keys_then_they_are_written_as_json_dumps_writes_them():
    value = {3: "three", 2.5: "x", False: "f", None: "n"}

    assert json.loads(body_text(value)) == json.loads(json.dumps(value))


def test_given_a_proxy_response_then_its_body_is_the_json_text():
    proxy = to_proxy(Response(body={"a": [1, 2]}), body_text)

    assert proxy["headers"]["Content-Type"] == "application/json"
    assert json.loads(proxy["body"]) == {"a": [1, 2]}


@pytest.mark.parametrize("function", ["health", "tracks", "openapi_document", "dashboard"])
def test_given_a_light_route_then_its_handler_loads_neither_orjson_nor_the_database(function):
    # Their cold start is ~25 ms; orjson alone would add ~2.4 ms (fix 18 in docs/performance.md).
    root = Path(__file__).resolve().parents[2]
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('h', {str(root / 'functions' / function / 'handler.py')!r})\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "print(sorted(m for m in ('orjson', 'sqlalchemy', 'psycopg2', 'boto3') if m in sys.modules))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root / "layers/shared/python"), str(root)]),
    }
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=root
    )

    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout


def test_given_a_database_route_then_its_bodies_are_written_by_orjson():
    from trustreg.http.endpoint import _json_writer
    from trustreg.routes import route_for

    assert _json_writer(route_for("artifact_audit")) is body_text
    assert _json_writer(route_for("health")) is json.dumps
