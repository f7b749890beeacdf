"""The regex scan reads the registry in keyset batches: none lost or repeated at the edges."""

from __future__ import annotations

import pytest

from trustreg.db.models import Artifact
from trustreg.db.uow import unit_of_work


def _add(n: int, readme: str = "", prefix: str = "scan") -> list[str]:
    with unit_of_work() as uow:
        rows = [
            uow.artifacts.add(
                Artifact(
                    name=f"{prefix}-{i}",
                    type="code",
                    source_url=f"https://example.org/{prefix}/{i}",
                    source_kind="reference",
                    readme=readme,
                )
            )
            for i in range(n)
        ]
        return [a.id for a in rows]


@pytest.mark.parametrize("batch", [1, 2, 3, 5, 6, 500])
def test_every_row_comes_back_once_whatever_the_batch_size(database, batch):
    ids = _add(5)
    with unit_of_work(autocommit=True) as uow:
        seen = [row[1] for row in uow.artifacts.scan_text(batch=batch)]
    assert sorted(seen) == sorted(ids)


def test_a_prefiltered_scan_returns_only_rows_holding_the_literal(database):
    _add(3)
    wanted = _add(2, readme="fine-tuned with LoRA adapters", prefix="lora")
    with unit_of_work(autocommit=True) as uow:
        seen = [row[1] for row in uow.artifacts.scan_text(batch=1, prefilter="LoRA")]
    assert sorted(seen) == sorted(wanted)
