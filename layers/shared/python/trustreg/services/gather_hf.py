"""Gather a HuggingFace model or dataset: info, card, config, files into a bundle, evidence."""

from __future__ import annotations

import json
import os
from typing import Any

from trustreg.config import get_settings
from trustreg.errors import RegistryError
from trustreg.observability import logger
from trustreg.rating.inputs import DatasetEvidence, GitHubEvidence, RatingInputs
from trustreg.services.bundles import write_bundle
from trustreg.services.lineage_refs import declared_edges
from trustreg.services.registration import Gathered
from trustreg.sources.huggingface import HuggingFaceClient
from trustreg.sources.model_card import find_github_urls, parse_model_card
from trustreg.sources.urls import SourceRef

MAX_DATASETS = 3  # linked datasets fetched for dataset_quality; more would slow every ingest
INFO_KEYS = ("id", "author", "sha", "lastModified", "createdAt", "downloads", "likes", "tags",
             "pipeline_tag", "library_name", "gated", "private", "cardData")


def _card_and_config(hf: HuggingFaceClient, ref: SourceRef, kind: str, paths: set[str]
                     ) -> tuple[str, Any, dict[str, Any] | None, bool]:
    readme = hf.read_text(ref.repo_id, "README.md", ref.revision, kind) if "README.md" in paths else ""
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


def _datasets(hf: HuggingFaceClient, names: list[str]) -> tuple[DatasetEvidence, ...]:
    out = []
    for name in names[:MAX_DATASETS]:
        try:
            info = hf.dataset_info(name)
            text = hf.read_text(name, "README.md", None, "dataset")
            card = parse_model_card(text)
            out.append(DatasetEvidence(name, card.metadata, card.body,
                                       {k: info.get(k) for k in INFO_KEYS if k in info}, True))
        except RegistryError as exc:  # a missing dataset lowers dataset_quality; it is no error
            logger.info("linked dataset not fetched", extra={"dataset": name, "why": exc.message})
            out.append(DatasetEvidence(name=name, found=False))
    return tuple(out)


def _github(urls: list[str]) -> tuple[GitHubEvidence | None, str | None]:
    from trustreg.sources.github import GitHubClient, gather_github_evidence
    from trustreg.sources.urls import parse_source_url

    for url in urls[:1]:
        try:
            ref = parse_source_url(url, "code")
            if ref.kind != "github" or not ref.owner:
                continue
            return gather_github_evidence(GitHubClient(), ref.owner, ref.repo), None
        except RegistryError as exc:
            return None, f"{url}: {exc.message}"
    return None, None


def gather_hf(ref: SourceRef, artifact_type: str, name: str, workdir: str
              ) -> tuple[Gathered, RatingInputs | None]:
    """Fetch a hub repo into a bundle; for models also the rating inputs."""
    settings = get_settings()
    hf = HuggingFaceClient()
    kind = "model" if ref.kind == "hf_model" else "dataset"
    info = hf.model_info(ref.repo_id, ref.revision) if kind == "model" else hf.dataset_info(
        ref.repo_id, ref.revision)
    files = hf.list_files(ref.repo_id, ref.revision, kind)
    paths = {f.path for f in files}
    readme, card, config, config_bad = _card_and_config(hf, ref, kind, paths)
    bundle = os.path.join(workdir, "bundle.zip")
    report = write_bundle(
        bundle, files,
        lambda p, dest, cap: hf.download(ref.repo_id, p, ref.revision, kind, dest, cap),
        lambda p: hf.file_url(ref.repo_id, p, ref.revision, kind),
        max_file_bytes=settings.max_weight_bytes, max_bundle_bytes=settings.max_bundle_bytes,
    )
    slim_info = {k: info.get(k) for k in INFO_KEYS if k in info}
    details: dict[str, Any] = {
        "repo_id": ref.repo_id, "revision": info.get("sha") or ref.revision,
        "category": info.get("pipeline_tag") or card.metadata.get("pipeline_tag") or kind,
        "license": card.metadata.get("license"), "card_metadata": card.metadata,
        "card_malformed": card.malformed, "has_config": config is not None,
        "config_malformed": config_bad, "files": [{"path": f.path, "size": f.size} for f in files],
        "total_size_bytes": sum(f.size for f in files), "skipped_files": report.skipped,
        "hf_info": slim_info,
    }
    edges = declared_edges({ref.repo_id, name}, card.metadata, config) if kind == "model" else []
    g = Gathered(artifact_type, name, ref.url, ref.kind, bundle, readme, None, details, edges,
                 ref.repo_id)
    if kind != "model":
        return g, None
    github_urls = find_github_urls(card.body, card.metadata)
    github, github_error = _github(github_urls)
    if github_error:
        details["github_error"] = github_error
    datasets = card.metadata.get("datasets")
    inputs = RatingInputs(
        name=name, model_id=ref.repo_id, card_text=card.body, card_metadata=card.metadata,
        card_malformed=card.malformed, config=config, files=tuple(files), hf_info=slim_info,
        datasets=_datasets(hf, [d for d in (datasets if isinstance(datasets, list) else
                                            [datasets] if isinstance(datasets, str) else [])
                                if isinstance(d, str)]),
        github=github, code_urls=tuple(github_urls), is_public_source=True,
    )
    return g, inputs


__all__ = ["gather_hf"]
