"""Gather a HuggingFace model or dataset: info, card, config, files into a bundle, evidence."""

from __future__ import annotations

import json
import os
from typing import Any

from trustreg.config import get_settings
from trustreg.rating.inputs import RatingInputs
from trustreg.services.bundles import write_bundle
from trustreg.services.evidence import INFO_KEYS, linked_evidence
from trustreg.services.lineage_refs import declared_edges
from trustreg.services.registration import Gathered
from trustreg.sources.huggingface import HuggingFaceClient
from trustreg.sources.model_card import parse_model_card
from trustreg.sources.urls import SourceRef


def _card_and_config(
    hf: HuggingFaceClient, ref: SourceRef, kind: str, paths: set[str]
) -> tuple[str, Any, dict[str, Any] | None, bool]:
    readme = (
        hf.read_text(ref.repo_id, "README.md", ref.revision, kind) if "README.md" in paths else ""
    )
    card = parse_model_card(readme)
    config: dict[str, Any] | None = None
    config_bad = False
    if "config.json" in paths:
        try:
            parsed = json.loads(hf.read_text(ref.repo_id, "config.json", ref.revision, kind))
            config = parsed if isinstance(parsed, dict) else None
            config_bad = config is None
        except ValueError:
            config_bad = True
    return readme, card, config, config_bad


def gather_hf(
    ref: SourceRef, artifact_type: str, name: str, workdir: str
) -> tuple[Gathered, RatingInputs | None]:
    """Fetch a hub repo into a bundle; for models also the rating inputs."""
    settings = get_settings()
    hf = HuggingFaceClient()
    kind = "model" if ref.kind == "hf_model" else "dataset"
    info = (
        hf.model_info(ref.repo_id, ref.revision)
        if kind == "model"
        else hf.dataset_info(ref.repo_id, ref.revision)
    )
    files = hf.list_files(ref.repo_id, ref.revision, kind)
    paths = {f.path for f in files}
    readme, card, config, config_bad = _card_and_config(hf, ref, kind, paths)
    bundle = os.path.join(workdir, "bundle.zip")
    report = write_bundle(
        bundle,
        files,
        lambda p, dest, cap: hf.download(ref.repo_id, p, ref.revision, kind, dest, cap),
        lambda p: hf.file_url(ref.repo_id, p, ref.revision, kind),
        max_file_bytes=settings.max_weight_bytes,
        max_bundle_bytes=settings.max_bundle_bytes,
    )
    slim_info = {k: info.get(k) for k in INFO_KEYS if k in info}
    details: dict[str, Any] = {
        "repo_id": ref.repo_id,
        "revision": info.get("sha") or ref.revision,
        "category": info.get("pipeline_tag") or card.metadata.get("pipeline_tag") or kind,
        "license": card.metadata.get("license"),
        "card_metadata": card.metadata,
        "card_malformed": card.malformed,
        "has_config": config is not None,
        "config_malformed": config_bad,
        "files": [{"path": f.path, "size": f.size} for f in files],
        "total_size_bytes": sum(f.size for f in files),
        "skipped_files": report.skipped,
        "hf_info": slim_info,
    }
    edges = declared_edges({ref.repo_id, name}, card.metadata, config) if kind == "model" else []
    g = Gathered(
        artifact_type, name, ref.url, ref.kind, bundle, readme, None, details, edges, ref.repo_id
    )
    if kind != "model":
        return g, None
    linked = linked_evidence(card.body, card.metadata, hf)
    if linked.github_error:
        details["github_error"] = linked.github_error
    inputs = RatingInputs(
        name=name,
        model_id=ref.repo_id,
        card_text=card.body,
        card_metadata=card.metadata,
        card_malformed=card.malformed,
        config=config,
        files=tuple(files),
        hf_info=slim_info,
        datasets=linked.datasets,
        github=linked.github,
        code_urls=linked.code_urls,
        is_public_source=True,
    )
    return g, inputs


__all__ = ["gather_hf"]
