"""Given AWS mode, the LambdaRunner sends the right event and maps the function's answer."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber

from trustreg.security import sensitive_check
from trustreg.security.lambda_runner import LambdaRunner
from trustreg.security.local_runner import LocalNodeRunner
from trustreg.security.sensitive_check import run_check

ROOT = Path(__file__).resolve().parents[3]
FUNCTION_DIR = ROOT / "functions" / "sensitive_check"


def _answer(body: object, **extra: object) -> dict:
    raw = json.dumps(body).encode()
    return {"StatusCode": 200, "Payload": StreamingBody(io.BytesIO(raw), len(raw)), **extra}


def _runner(answer: dict, expected: dict | None = None) -> tuple[LambdaRunner, Stubber]:
    client = boto3.client("lambda", region_name="us-east-1")
    stubber = Stubber(client)
    params = expected or {"FunctionName": ANY, "InvocationType": ANY, "Payload": ANY}
    stubber.add_response("invoke", answer, params)
    stubber.activate()
    return LambdaRunner("sensitive-check", bucket="blobs", timeout_s=3, client=client), stubber


def _run(runner: LambdaRunner, zip_path: str = "artifacts/abc/model.zip"):
    return run_check(
        "process.exit(0)",
        model_name="bert",
        uploader="ann",
        downloader="bob",
        zip_path=zip_path,
        runner=runner,
    )


def test_event_carries_program_args_and_s3_location() -> None:
    event = {
        "program": "process.exit(0)",
        "args": ["bert", "ann", "bob"],
        "zip": {"bucket": "blobs", "key": "artifacts/abc/model.zip"},
        "timeout_ms": 3000,
    }
    expected = {
        "FunctionName": "sensitive-check",
        "InvocationType": "RequestResponse",
        "Payload": json.dumps(event).encode(),
    }
    runner, stubber = _runner(_answer({"exit_code": 0, "stdout": "", "stderr": ""}), expected)
    assert _run(runner).allowed
    stubber.assert_no_pending_responses()


def test_refusal_keeps_stdout_for_the_403_message() -> None:
    body = {"exit_code": 1, "stdout": "bob is on the deny list", "stderr": "", "timed_out": False}
    runner, _ = _runner(_answer(body))
    verdict = _run(runner)
    assert not verdict.allowed and verdict.exit_code == 1
    assert verdict.stdout == "bob is on the deny list"


def test_timeout_answer_is_a_refusal() -> None:
    runner, _ = _runner(_answer({"exit_code": None, "stdout": "", "timed_out": True}))
    verdict = _run(runner)
    assert verdict.timed_out and not verdict.allowed


@pytest.mark.parametrize(
    "answer",
    [
        _answer({"errorMessage": "boom"}, FunctionError="Unhandled"),
        _answer("not an object"),
        _answer({"exit_code": "0"}),
    ],
    ids=["function-error", "not-object", "string-exit-code"],
)
def test_broken_answers_fail_closed(answer: dict) -> None:
    runner, _ = _runner(answer)
    assert not _run(runner).allowed


def test_s3_url_selects_another_bucket() -> None:
    runner = LambdaRunner("f", bucket="blobs", client=object())
    request = sensitive_check.CheckRequest("x", "m", "u", "d", "s3://other/k.zip")
    assert runner.payload(request)["zip"] == {"bucket": "other", "key": "k.zip"}


def test_get_runner_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SENSITIVE_CHECK_FUNCTION", raising=False)
    assert isinstance(sensitive_check.get_runner(), LocalNodeRunner)
    monkeypatch.setenv("SENSITIVE_CHECK_FUNCTION", "sensitive-check")
    assert isinstance(sensitive_check.get_runner(), LambdaRunner)


def test_lambda_ships_the_same_network_guard_as_the_layer() -> None:
    layer_guard = ROOT / "layers/shared/python/trustreg/security/guard.cjs"
    assert (FUNCTION_DIR / "guard.cjs").read_bytes() == layer_guard.read_bytes()


def test_lambda_child_runner_isolates_env_and_times_out(node_binary: str, tmp_path: Path) -> None:
    (tmp_path / "guard.cjs").write_bytes((FUNCTION_DIR / "guard.cjs").read_bytes())
    (tmp_path / "check.js").write_text(
        "console.log(process.argv.slice(2).join('|'), Object.keys(process.env).sort().join(','));"
        "require('fs').readFile('/etc/hostname', (e) => { console.log(e && e.code); for (;;); });"
    )
    script = (
        f"import({str(FUNCTION_DIR / 'index.mjs')!r})"
        f".then(m => m.runChild({str(tmp_path)!r}, ['m', 'u', 'd', 'z'], 1500))"
        ".then(r => console.log(JSON.stringify(r)))"
    )
    done = subprocess.run(
        [node_binary, "-e", script],
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": "/usr/bin:/bin", "JWT_SECRET": "supersecret"},
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["timed_out"] is True and result["exit_code"] is None
    assert result["stdout"].splitlines() == ["m|u|d|z HOME,PATH", "ERR_ACCESS_DENIED"]
