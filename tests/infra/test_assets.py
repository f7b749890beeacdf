"""Given the repository, every route has a function folder and the layer asset is sane."""

from __future__ import annotations

import pytest

from infra.assets import FUNCTIONS_DIR, LAYER_SOURCE_DIR, layer_asset_dir
from trustreg.routes import ROUTES

pytestmark = pytest.mark.infra


@pytest.mark.parametrize("name", sorted({r.function for r in ROUTES} | {"db_migrate"}))
def test_every_function_folder_has_a_handler(name: str) -> None:
    # `cdk synth` fails on a missing folder too; this names it without a synth.
    assert (FUNCTIONS_DIR / name / "handler.py").is_file()


def test_layer_asset_has_the_lambda_layer_layout() -> None:
    assert (layer_asset_dir() / "python" / "trustreg" / "routes.py").is_file()
    assert (LAYER_SOURCE_DIR / "python" / "trustreg" / "__init__.py").is_file()


def test_sensitive_check_folder_has_the_node_handler_and_its_guard() -> None:
    folder = FUNCTIONS_DIR / "sensitive_check"
    assert (folder / "index.mjs").is_file() and (folder / "guard.cjs").is_file()
    # index.mjs copies guard.cjs next to the program and preloads it; both ship in the asset.
    source = (folder / "index.mjs").read_text()
    assert "guard.cjs" in source and "export async function handler" in source
