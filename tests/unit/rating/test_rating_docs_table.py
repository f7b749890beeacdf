"""Given docs/metrics.md, its license-compatibility table matches check_compatibility."""

from __future__ import annotations

from pathlib import Path

from trustreg.rating.licenses import check_compatibility

DOC = Path(__file__).resolve().parents[3] / "docs" / "metrics.md"
# One representative license per category, in the table's column order.
REPRESENTATIVE = [
    "MIT",
    "MPL-2.0",
    "GPL-3.0-only",
    "AGPL-3.0-only",
    "OpenRAIL",
    "llama3",
    "CC-BY-NC-4.0",
    "other",
]


def _table_rows() -> list[list[str]]:
    section = DOC.read_text(encoding="utf-8").split("## License compatibility", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [[c.strip() for c in row.strip("|").split("|")] for row in rows[1:]]


def test_given_docs_table_then_every_cell_matches_the_code() -> None:
    rows = _table_rows()
    assert len(rows) == len(REPRESENTATIVE)
    for code, row in zip(REPRESENTATIVE, rows, strict=True):
        for model, cell in zip(REPRESENTATIVE, row[1:], strict=True):
            ok, reason = check_compatibility(code, model)
            assert ok is cell.startswith("✓"), (code, model, cell, reason)
