"""Regenerate or check the layer's JSON copy of docs/openapi.yaml, and validate the document.

python scripts/openapi_check.py --write   # after editing docs/openapi.yaml
python scripts/openapi_check.py           # exit 1 if the copy is stale or the document invalid
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "docs" / "openapi.yaml"
SHIPPED = ROOT / "layers" / "shared" / "python" / "trustreg" / "openapi.json"


def load_source() -> dict[str, Any]:
    """docs/openapi.yaml parsed."""
    data: dict[str, Any] = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    return data


def render(document: dict[str, Any]) -> str:
    """The JSON text we ship: stable key order so regenerating an unchanged file is a no-op."""
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def validate(document: dict[str, Any]) -> list[str]:
    """Problems openapi-spec-validator finds (empty when valid, or when it is not installed)."""
    try:
        from openapi_spec_validator import OpenAPIV30SpecValidator
    except ImportError:
        return []
    return [str(e.message) for e in OpenAPIV30SpecValidator(document).iter_errors()]


def main() -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the shipped JSON copy")
    args = parser.parse_args()
    document = load_source()
    problems = validate(document)
    for problem in problems:
        print(f"invalid: {problem}", file=sys.stderr)
    text = render(document)
    if args.write:
        SHIPPED.write_text(text, encoding="utf-8")
        print(f"wrote {SHIPPED.relative_to(ROOT)}")
    elif not SHIPPED.exists() or SHIPPED.read_text(encoding="utf-8") != text:
        print(
            f"{SHIPPED.relative_to(ROOT)} is stale: run {Path(__file__).name} --write",
            file=sys.stderr,
        )
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
