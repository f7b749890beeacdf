"""Our OpenAPI document, as shipped inside the layer (`trustreg/openapi.json`).

The source of truth is `docs/openapi.yaml`; `scripts/openapi_check.py --write` regenerates the
JSON copy, because `docs/` is not part of the layer and JSON loads without PyYAML at cold start.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

DOCUMENT_PATH = Path(__file__).with_name("openapi.json")


@lru_cache(maxsize=1)
def document_text() -> str:
    """The document as JSON text, read once per container."""
    return DOCUMENT_PATH.read_text(encoding="utf-8")


def load_document() -> dict[str, Any]:
    """A fresh parsed copy of the document (callers may mutate it)."""
    data: dict[str, Any] = json.loads(document_text())
    return data
