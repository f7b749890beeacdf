"""Given the synthesized template, cfn-lint finds no errors and cdk-nag nothing unsuppressed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aws_cdk import assertions

from infra.stack import RegistryStack

pytestmark = pytest.mark.infra
IGNORE_FILE = Path(__file__).with_name("cfn-lint-ignore.txt")


def ignored_rules() -> list[str]:
    """Rule ids from the ignore file; every line must carry a reason after the id."""
    rules = []
    for line in IGNORE_FILE.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rule, _, reason = line.partition(" ")
        assert reason.strip(), f"{rule} needs a reason in {IGNORE_FILE.name}"
        assert not rule.startswith("E"), "cfn-lint errors are fixed, not ignored"
        rules.append(rule)
    return rules


def test_cfn_lint_reports_nothing_beyond_the_justified_ignores(
    template: assertions.Template, tmp_path: Path
) -> None:
    from cfnlint.api import ManualArgs, lint_file

    path = tmp_path / "template.json"
    path.write_text(json.dumps(template.to_json()))
    matches = lint_file(path, ManualArgs(ignore_checks=ignored_rules(), regions=["us-east-1"]))
    assert not matches, "\n".join(f"{m.rule.id} {m.message}" for m in matches)


def test_cdk_nag_has_no_unsuppressed_errors(stack: RegistryStack) -> None:
    annotations = assertions.Annotations.from_stack(stack)
    errors = annotations.find_error("*", assertions.Match.string_like_regexp("AwsSolutions-.*"))
    assert not errors, "\n".join(f"{e.id}: {str(e.entry.data)[:200]}" for e in errors)


def test_cdk_nag_has_no_unsuppressed_warnings(stack: RegistryStack) -> None:
    annotations = assertions.Annotations.from_stack(stack)
    warnings = annotations.find_warning(
        "*", assertions.Match.string_like_regexp(".*Nag.*|AwsSol.*")
    )
    assert not warnings, "\n".join(f"{w.id}: {str(w.entry.data)[:200]}" for w in warnings)


def test_every_suppression_has_a_reason(template: assertions.Template) -> None:
    for res in template.to_json()["Resources"].values():
        for rule in res.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", []):
            assert len(rule.get("reason", "")) >= 10, rule
