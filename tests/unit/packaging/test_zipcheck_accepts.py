"""Given a well-formed package, When validated, Then the summary describes it faithfully."""

from __future__ import annotations

from dataclasses import replace

from tests.unit.packaging.zipkit import HF_PACKAGE
from trustreg.packaging import ZipLimits, validate_zip
from trustreg.packaging.summary import common_prefix


def test_hf_package_is_summarised_without_folders(hf_zip) -> None:
    summary = validate_zip(hf_zip)
    assert {e.name for e in summary.entries} == set(HF_PACKAGE)
    assert summary.total_size == sum(len(data) for data in HF_PACKAGE.values())
    weights = next(e for e in summary.entries if e.name.endswith("model.safetensors"))
    assert weights.size == len(HF_PACKAGE["tiny-bert/model.safetensors"])
    assert 0 < weights.compressed < weights.size


def test_common_top_folder_is_detected_and_card_and_config_found(hf_zip) -> None:
    summary = validate_zip(hf_zip)
    assert summary.prefix == "tiny-bert/"
    assert summary.model_card is not None and summary.model_card.name == "tiny-bert/README.md"
    assert summary.config is not None and summary.config.name == "tiny-bert/config.json"


def test_flat_package_has_no_prefix_and_finds_card_case_insensitively(make_zip) -> None:
    summary = validate_zip(make_zip({"readme.md": b"card", "config.json": b"{}", "a/b.txt": b""}))
    assert summary.prefix == ""
    assert summary.model_card is not None and summary.model_card.name == "readme.md"


def test_nested_card_is_not_mistaken_for_the_top_level_one(make_zip) -> None:
    summary = validate_zip(make_zip({"repo/docs/README.md": b"x", "repo/model.bin": b"y"}))
    assert summary.prefix == "repo/"
    assert summary.model_card is None and summary.config is None


def test_prefix_needs_every_file_below_one_folder() -> None:
    assert common_prefix(["m/a", "m/b/c"]) == "m/"
    assert common_prefix(["m/a", "n/b"]) == ""
    assert common_prefix(["m"]) == ""
    assert common_prefix([]) == ""


def test_highly_compressible_small_files_are_not_bombs(make_zip) -> None:
    # 500 KB of spaces compresses ~1000x but is under the 1 MiB ratio floor.
    assert validate_zip(make_zip({"pad.txt": b" " * 500_000})).total_size == 500_000


def test_limits_are_overridable_upwards(make_zip) -> None:
    path = make_zip({"zeros.bin": bytes(2_000_000)})
    assert validate_zip(path, replace(ZipLimits(), max_ratio=10_000)).total_size == 2_000_000


def test_empty_zip_is_valid_and_empty(make_zip) -> None:
    summary = validate_zip(make_zip({}))
    assert summary.entries == () and summary.total_size == 0 and summary.prefix == ""
