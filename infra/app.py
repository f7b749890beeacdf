"""CDK entry point: `npx cdk synth -c env=dev` (cdk.json runs this with the repo's venv)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

# Run as a script (`python infra/app.py`), so make the repo and the layer importable: the stack
# reads the route table and metric names from the layer package itself, not a copy.
_ROOT = Path(__file__).resolve().parent.parent
for _path in (_ROOT, _ROOT / "layers" / "shared" / "python"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from aws_cdk import App, Environment  # noqa: E402

from infra.assets import FUNCTIONS_DIR  # noqa: E402
from infra.nag import apply_nag  # noqa: E402
from infra.settings import settings_from_context  # noqa: E402
from infra.stack import RegistryStack  # noqa: E402


def build(app: App, functions_root: Path = FUNCTIONS_DIR) -> RegistryStack:
    """The stack for the `env` in context, with cdk-nag attached; shared with the tests."""
    settings = settings_from_context(app.node)
    account, region = os.environ.get("CDK_DEFAULT_ACCOUNT"), os.environ.get("CDK_DEFAULT_REGION")
    stack = RegistryStack(
        app,
        settings.stack_name,
        settings=settings,
        functions_root=functions_root,
        description=f"Trustworthy Model Registry ({settings.env_name})",
        env=Environment(account=account, region=region) if account and region else None,
    )
    apply_nag(app)
    return stack


def cdk_json_context() -> dict[str, object]:
    """cdk.json's context, for runs without the CLI (tests, `python infra/app.py`)."""
    return dict(json.loads((_ROOT / "cdk.json").read_text())["context"])


if __name__ == "__main__":
    # The CLI passes cdk.json's context itself (CDK_CONTEXT_JSON); a bare run reads the file.
    _app = App() if "CDK_CONTEXT_JSON" in os.environ else App(context=cdk_json_context())
    build(_app)
    _app.synth()
