"""Fixtures that build small zip packages on the fly in tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.unit.packaging.zipkit import HF_PACKAGE, write_zip


@pytest.fixture
def make_zip(tmp_path: Path) -> Callable[..., Path]:
    """Return a builder: make_zip({name: data} or [(name, data)], name="pkg.zip") -> path."""

    def build(entries: dict[str, bytes] | list, name: str = "pkg.zip") -> Path:
        items = list(entries.items()) if isinstance(entries, dict) else entries
        return write_zip(tmp_path / name, items)

    return build


@pytest.fixture
def hf_zip(make_zip: Callable[..., Path]) -> Path:
    """A well-formed Hugging Face style package zipped as `tiny-bert/...`."""
    return make_zip([("tiny-bert/", b""), *HF_PACKAGE.items()])
