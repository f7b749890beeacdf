"""Given an uploader's JS program, when a download runs the check, the verdict follows its exit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from trustreg.errors import BadRequest
from trustreg.security.local_runner import LocalNodeRunner
from trustreg.security.sensitive_check import (
    OUTPUT_CAP_BYTES,
    CheckRequest,
    run_check,
    validate_program,
)


def test_given_exit_0_then_download_allowed(check) -> None:
    verdict = check("process.exit(0)")
    assert verdict.allowed and verdict.exit_code == 0 and not verdict.timed_out


def test_given_exit_1_with_message_then_refused_and_message_kept(check) -> None:
    verdict = check("console.log('bob may not have this model'); process.exit(1)")
    assert not verdict.allowed
    assert verdict.exit_code == 1
    assert "bob may not have this model" in verdict.stdout
    assert "refused" in verdict.reason


def test_given_thrown_error_then_refused(check) -> None:
    verdict = check("throw new Error('boom')")
    assert not verdict.allowed and "boom" in verdict.stderr


def test_args_arrive_in_order_and_zip_is_readable(check) -> None:
    source = """
    const [model, uploader, downloader, zip] = process.argv.slice(2);
    const bytes = require('fs').readFileSync(zip);
    console.log([model, uploader, downloader, bytes.subarray(0, 2).toString()].join('|'));
    """
    verdict = check(source)
    assert verdict.allowed, verdict.stderr
    assert verdict.stdout.strip() == "bert|ann|bob|PK"


def test_given_huge_output_then_it_is_capped(check) -> None:
    verdict = check("for (let i = 0; i < 50000; i++) console.log('x'.repeat(80)); process.exit(2)")
    assert not verdict.allowed and verdict.exit_code == 2
    assert len(verdict.stdout.encode()) <= OUTPUT_CAP_BYTES + 64
    assert verdict.stdout.endswith("[output truncated]")


def test_given_infinite_loop_then_killed_and_refused(node_binary: str, model_zip: Path) -> None:
    runner = LocalNodeRunner(timeout_s=2, node=node_binary)
    began = time.monotonic()
    verdict = run_check(
        "while (true) {}",
        model_name="m",
        uploader="u",
        downloader="d",
        zip_path=str(model_zip),
        runner=runner,
    )
    assert time.monotonic() - began < 15  # a generous ceiling that only catches a hang
    assert verdict.timed_out and not verdict.allowed and verdict.exit_code is None


def test_given_memory_hog_then_refused(check) -> None:
    verdict = check("const a = []; for (;;) a.push(new Array(1e6).fill(7));")
    assert not verdict.allowed and not verdict.timed_out


def test_when_node_is_missing_then_fail_closed(model_zip: Path) -> None:
    runner = LocalNodeRunner(node="/nonexistent/node")
    verdict = runner.run(CheckRequest("process.exit(0)", "m", "u", "d", str(model_zip)))
    assert not verdict.allowed


@pytest.mark.parametrize(
    "source",
    ["", "   \n", "x" * (64 * 1024 + 1), b"\xff\xfe not utf-8", "a\x00b"],
    ids=["empty", "blank", "too-big", "not-utf8", "nul"],
)
def test_validate_program_rejects_bad_uploads(source: str | bytes) -> None:
    with pytest.raises(BadRequest):
        validate_program(source)


def test_validate_program_accepts_normal_source() -> None:
    assert validate_program(b"process.exit(0)\n") == "process.exit(0)\n"
