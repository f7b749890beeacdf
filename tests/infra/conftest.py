"""Synthesize the CDK app once per session; every infra test reads that one template.

Synth takes several seconds (jsii starts Node), so the stack, its template and its cdk-nag
annotations are session fixtures. Function folders the lead has not written yet are stubbed in
a temporary root so the suite checks the stack, not the progress of the handlers;
test_assets.py checks the real folders separately.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# Metric names and the service dimension must match what the functions publish by default.
os.environ.pop("POWERTOOLS_SERVICE_NAME", None)

from aws_cdk import App, assertions  # noqa: E402

from infra.app import build, cdk_json_context  # noqa: E402
from infra.assets import FUNCTIONS_DIR  # noqa: E402
from infra.migrations import FUNCTION_NAME as MIGRATE  # noqa: E402
from infra.sensitive_check import FUNCTION_NAME as SENSITIVE_CHECK  # noqa: E402
from infra.stack import RegistryStack  # noqa: E402
from trustreg.routes import ROUTES  # noqa: E402


def stub_functions_root(root: Path) -> Path:
    """A folder per function: a link to the real one when written, else a stub handler."""
    for name in [r.function for r in ROUTES] + [MIGRATE]:
        real = FUNCTIONS_DIR / name
        if (real / "handler.py").is_file():
            (root / name).symlink_to(real, target_is_directory=True)
        else:
            (root / name).mkdir()
            (root / name / "handler.py").write_text("def handler(event, context):\n    pass\n")
    # The Node.js check function is built from the real folder (index.mjs + guard.cjs).
    (root / SENSITIVE_CHECK).symlink_to(FUNCTIONS_DIR / SENSITIVE_CHECK, target_is_directory=True)
    return root


def synth(tmp: Path, **context: Any) -> RegistryStack:
    """A fresh app with cdk.json's context plus overrides, built exactly as app.py does."""
    app = App(context={**cdk_json_context(), **context}, outdir=str(tmp / "cdk.out"))
    (tmp / "functions").mkdir()
    return build(app, functions_root=stub_functions_root(tmp / "functions"))


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> RegistryStack:
    return synth(tmp_path_factory.mktemp("synth-dev"))


@pytest.fixture(scope="session")
def template(stack: RegistryStack) -> assertions.Template:
    return assertions.Template.from_stack(stack)


@pytest.fixture(scope="session")
def resources(template: assertions.Template) -> dict[str, Any]:
    """The raw Resources section, for checks the matchers express awkwardly."""
    return dict(template.to_json()["Resources"])


def logical_id(stack: RegistryStack, construct: Any) -> str:
    """The template key of a construct's CloudFormation resource."""
    return str(stack.get_logical_id(construct.node.default_child))


def function_statements(
    stack: RegistryStack, resources: dict[str, Any], name: str
) -> list[dict[str, Any]]:
    """Every IAM statement attached to one function's role (inline policies only)."""
    fn = stack.factory.functions[name]
    role_id = logical_id(stack, fn.role)
    statements: list[dict[str, Any]] = []
    for res in resources.values():
        if res["Type"] == "AWS::IAM::Policy" and {"Ref": role_id} in res["Properties"]["Roles"]:
            statements.extend(res["Properties"]["PolicyDocument"]["Statement"])
    return statements


def actions_of(statements: list[dict[str, Any]]) -> set[str]:
    """The flat set of actions in a list of statements."""
    found: set[str] = set()
    for st in statements:
        acts = st["Action"]
        found.update([acts] if isinstance(acts, str) else acts)
    return found
