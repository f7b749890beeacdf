"""The fixture repositories on disk, loaded once and shaped like the real APIs' objects."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"
# Files the real hub keeps in LFS; their tree entries carry an `lfs` object and resolve redirects.
LFS_SUFFIXES = (".safetensors", ".bin", ".h5", ".onnx", ".msgpack", ".pt", ".gguf", ".parquet")


def git_blob_sha(content: bytes) -> str:
    """The git object id of a blob, as the hub's tree API reports in `oid`."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


@dataclass
class HfRepo:
    """One fixture model or dataset: a folder of real files plus `_info.json`."""

    kind: str  # "model" | "dataset"
    repo_id: str
    root: Path
    info: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def files(self) -> dict[str, bytes]:
        """Repository path -> content, for every real file (not `_info.json`)."""
        found = sorted(p for p in self.root.rglob("*") if p.is_file() and p.name != "_info.json")
        return {p.relative_to(self.root).as_posix(): p.read_bytes() for p in found}

    @property
    def virtual(self) -> list[dict[str, Any]]:
        """Files declared with a size only (the 20 GB weight): listed, never stored."""
        return list(self.info.get("_virtual_files", []))

    def card_data(self) -> dict[str, Any] | None:
        """The README's YAML header, the way the hub derives `cardData`."""
        text = self.files.get("README.md", b"").decode()
        if not text.startswith("---"):
            return None
        try:
            data = yaml.safe_load(text.split("---", 2)[1])
        except yaml.YAMLError:
            return None
        return data if isinstance(data, dict) else None

    def api_info(self) -> dict[str, Any]:
        """The `/api/models/{id}` (or datasets) object."""
        info = {k: v for k, v in self.info.items() if not k.startswith("_")}
        info["_id"] = hashlib.md5(self.repo_id.encode(), usedforsecurity=False).hexdigest()[:24]
        if self.kind == "model":
            info["modelId"] = self.repo_id
            config = json.loads(self.files.get("config.json", b"{}"))
            info["config"] = {k: config[k] for k in ("architectures", "model_type") if k in config}
        card = self.card_data()
        if card is not None:
            info["cardData"] = card
        paths = [*self.files, *(v["path"] for v in self.virtual)]
        info["siblings"] = [{"rfilename": p} for p in sorted(paths)]
        return info

    def tree(self) -> list[dict[str, Any]]:
        """The recursive tree listing: directories and files with sizes and LFS pointers."""
        entries: dict[str, dict[str, Any]] = {}
        for path, content in self.files.items():
            entry: dict[str, Any] = {
                "type": "file",
                "oid": git_blob_sha(content),
                "size": len(content),
                "path": path,
            }
            if path.endswith(LFS_SUFFIXES):
                lfs = hashlib.sha256(content).hexdigest()
                entry["lfs"] = {"oid": lfs, "size": len(content), "pointerSize": 134}
            entries[path] = entry
        for virtual in self.virtual:
            size, path = int(virtual["size"]), virtual["path"]
            lfs = hashlib.sha256(path.encode()).hexdigest()
            entries[path] = {
                "type": "file",
                "oid": git_blob_sha(path.encode()),
                "size": size,
                "path": path,
                "lfs": {"oid": lfs, "size": size, "pointerSize": 135},
            }
        for path in list(entries):
            parts = path.split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                folder = "/".join(parts[:depth])
                entries.setdefault(
                    folder,
                    {
                        "type": "directory",
                        "oid": git_blob_sha(folder.encode()),
                        "size": 0,
                        "path": folder,
                    },
                )
        return [entries[p] for p in sorted(entries)]


# The hub still answers the legacy owner-less names of repos that moved under an organisation
# (model cards name datasets like `bookcorpus`); it serves the moved repo under the old name.
LEGACY_NAMES = {
    ("model", "bert-base-uncased"): "google-bert/bert-base-uncased",
    ("model", "distilbert-base-uncased"): "distilbert/distilbert-base-uncased",
    (
        "model",
        "distilbert-base-uncased-distilled-squad",
    ): "distilbert/distilbert-base-uncased-distilled-squad",
    ("dataset", "bookcorpus"): "bookcorpus/bookcorpus",
    ("dataset", "wikipedia"): "wikimedia/wikipedia",
    ("dataset", "squad"): "rajpurkar/squad",
    ("dataset", "imagenet-1k"): "ILSVRC/imagenet-1k",
}


def load_hf() -> dict[tuple[str, str], HfRepo]:
    """Every fixture repo keyed by (kind, repo id), plus the hub's legacy names."""
    repos: dict[tuple[str, str], HfRepo] = {}
    for kind, folder in (("model", "models"), ("dataset", "datasets")):
        for info_file in sorted((DATA / "hf" / folder).glob("*/*/_info.json")):
            info = json.loads(info_file.read_text())
            repos[(kind, info["id"])] = HfRepo(kind, info["id"], info_file.parent, info)
    for (kind, old), new in LEGACY_NAMES.items():
        if (kind, new) in repos:
            repos[(kind, old)] = repos[(kind, new)]
    return repos


def load_github() -> dict[str, dict[str, Any]]:
    """Every fixture GitHub repo keyed by "owner/repo" (lower-case): its compact JSON + sources."""
    repos: dict[str, dict[str, Any]] = {}
    for repo_file in sorted((DATA / "github").glob("*/*/repo.json")):
        data = json.loads(repo_file.read_text())
        src = repo_file.parent / "src"
        data["files"] = {
            p.relative_to(src).as_posix(): p.read_bytes()
            for p in sorted(src.rglob("*"))
            if p.is_file()
        }
        owner, name = repo_file.parent.parent.name, repo_file.parent.name
        data["owner"], data["name"] = owner, name
        repos[f"{owner}/{name}".lower()] = data
    return repos
