"""Lineage references a package declares: base models, datasets, code (names, not ids yet)."""

from __future__ import annotations

from typing import Any

# config.json keys that name the model this one was derived from.
CONFIG_PARENT_KEYS = ("base_model_name_or_path", "base_model", "parent_model", "_name_or_path")


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def normalize_ref(ref: str) -> str:
    """`https://huggingface.co/owner/name` and `owner/name` both become `owner/name`."""
    ref = ref.strip().rstrip("/")
    for prefix in ("https://huggingface.co/datasets/", "https://huggingface.co/"):
        if ref.startswith(prefix):
            ref = ref[len(prefix) :]
    return ref


def declared_edges(
    own_ids: set[str], card_metadata: dict[str, Any], config: dict[str, Any] | None
) -> list[dict[str, str]]:
    """Edges parent -> this artifact, as dicts of parent_ref, relationship and source.

    A local path in `_name_or_path` (training leftovers such as `./out`) is not a parent, nor
    is the model itself.
    """
    edges: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(ref: str, relationship: str, source: str) -> None:
        ref = normalize_ref(ref)
        if not ref or ref in own_ids or ref.startswith((".", "/", "~")) or len(ref) > 300:
            return
        if not ref.isprintable():  # NUL, a lone surrogate...: no model is named that way
            return
        if (ref, relationship) not in seen:
            seen.add((ref, relationship))
            edges.append({"parent_ref": ref, "relationship": relationship, "source": source})

    for ref in _as_list(card_metadata.get("base_model")):
        add(ref, "base_model", "model_card")
    for key in CONFIG_PARENT_KEYS:
        for ref in _as_list((config or {}).get(key)):
            add(ref, "base_model", "config_json")
    has_base = any(e["relationship"] == "base_model" for e in edges)
    for ref in _as_list(card_metadata.get("datasets")):
        add(ref, "fine_tuning_dataset" if has_base else "training_dataset", "model_card")
    return edges


def ref_keys(name: str, repo_id: str | None) -> set[str]:
    """The refs under which other artifacts may name this one (`owner/name`, `name`)."""
    keys = {name}
    if repo_id:
        keys.add(repo_id)
        keys.add(repo_id.rsplit("/", 1)[-1])
    return {k for k in keys if k}
