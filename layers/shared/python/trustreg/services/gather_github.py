"""Gather a GitHub repository (code or dataset): info, license, its zip archive, README."""

from __future__ import annotations

import os
from typing import Any

from trustreg.config import get_settings
from trustreg.packaging.parts import write_subtree
from trustreg.packaging.zipcheck import validate_zip
from trustreg.search.versions import normalize_version
from trustreg.services.package_reader import read_package
from trustreg.services.registration import Gathered
from trustreg.sources.urls import SourceRef


def gather_github(ref: SourceRef, artifact_type: str, name: str, workdir: str) -> Gathered:
    """Download the repository archive at the ref and read its README and file list."""
    from trustreg.sources.github import GitHubClient

    gh = GitHubClient()
    assert ref.owner is not None
    info = gh.repo(ref.owner, ref.repo)
    license_spdx = gh.license_spdx(ref.owner, ref.repo)
    bundle = os.path.join(workdir, "bundle.zip")
    with open(bundle, "wb") as out:
        gh.download_zipball(ref.owner, ref.repo, ref.revision, out, get_settings().max_bundle_bytes)
    if ref.subdir:
        # `/tree/<ref>/<subdir>` names one folder: keep only it, as a package of its own.
        whole, bundle = bundle, os.path.join(workdir, "subdir.zip")
        with open(bundle, "wb") as out:
            write_subtree(whole, ref.subdir, out)
    summary = validate_zip(bundle)
    facts = read_package(bundle, summary)
    details: dict[str, Any] = {
        "repo_id": ref.repo_id,
        "ref": ref.revision,
        "subdir": ref.subdir,
        "license": license_spdx,
        "description": info.get("description"),
        "default_branch": info.get("default_branch"),
        "stars": info.get("stargazers_count"),
        "files": [{"path": f.path, "size": f.size} for f in facts.files][:5000],
        "total_size_bytes": summary.total_size,
        "category": artifact_type,
    }
    version = normalize_version(ref.revision) if ref.revision else None
    return Gathered(
        artifact_type,
        name,
        ref.url,
        ref.kind,
        bundle,
        facts.readme,
        version,
        details,
        [],
        ref.repo_id,
    )


def gather_reference(ref: SourceRef, artifact_type: str, name: str) -> Gathered:
    """A URL we record but do not fetch: no bundle, so nothing to download but the link."""
    return Gathered(
        artifact_type,
        name,
        ref.url,
        "reference",
        None,
        "",
        None,
        {"reference_only": True, "category": artifact_type, "total_size_bytes": 0},
        [],
        None,
    )


__all__ = ["gather_github", "gather_reference"]
