"""HuggingFace Hub client: repo info, file listings and file contents, from HF_ENDPOINT."""

from __future__ import annotations

from typing import Any, BinaryIO
from urllib.parse import quote

from trustreg.config import Settings, get_settings
from trustreg.errors import BadRequest, NotFound, UpstreamError
from trustreg.rating.inputs import RepoFile
from trustreg.sources.http_client import SafeHttpClient

MAX_TREE_PAGES = 20  # the hub pages trees by ~1000 entries; 20k files is plenty for one model
_KINDS = {"model": ("models", ""), "dataset": ("datasets", "/datasets")}


def _q(text: str) -> str:
    """Quote a repo id, revision or path for a URL, keeping its slashes."""
    return quote(text, safe="/")


class HuggingFaceClient:
    """Read-only access to models and datasets on the hub (or a fake one at HF_ENDPOINT)."""

    def __init__(
        self, settings: Settings | None = None, http: SafeHttpClient | None = None
    ) -> None:
        self.settings = settings or get_settings()
        self.http = http or SafeHttpClient(self.settings)
        self.base = self.settings.hf_endpoint.rstrip("/")

    def _api(self, kind: str) -> str:
        if kind not in _KINDS:
            raise BadRequest(f"unknown HuggingFace repository kind {kind!r}")
        return f"{self.base}/api/{_KINDS[kind][0]}"

    def _info(self, kind: str, repo_id: str, revision: str | None) -> dict[str, Any]:
        url = f"{self._api(kind)}/{_q(repo_id)}"
        if revision:
            url += f"/revision/{_q(revision)}"
        try:
            info = self.http.get_json(url)
        except NotFound as exc:
            where = f" at revision {revision}" if revision else ""
            raise NotFound(f"HuggingFace {kind} {repo_id}{where} not found upstream") from exc
        if not isinstance(info, dict):
            raise UpstreamError(f"HuggingFace answered an unexpected shape for {kind} {repo_id}")
        return info

    def model_info(self, repo_id: str, revision: str | None = None) -> dict[str, Any]:
        """GET /api/models/{id}[/revision/{rev}]: the hub's model info, as it came."""
        return self._info("model", repo_id, revision)

    def dataset_info(self, repo_id: str, revision: str | None = None) -> dict[str, Any]:
        """GET /api/datasets/{id}[/revision/{rev}]: the hub's dataset info, as it came."""
        return self._info("dataset", repo_id, revision)

    def list_files(
        self, repo_id: str, revision: str | None = None, kind: str = "model"
    ) -> list[RepoFile]:
        """Every file of the repo with its size (LFS size for LFS files), via the tree API."""
        url = f"{self._api(kind)}/{_q(repo_id)}/tree/{_q(revision or 'main')}?recursive=true"
        files: list[RepoFile] = []
        for _ in range(MAX_TREE_PAGES):
            try:
                page, next_url = self.http.get_json_page(url)
            except NotFound as exc:
                raise NotFound(f"HuggingFace {kind} {repo_id} not found upstream") from exc
            for entry in page if isinstance(page, list) else []:
                if isinstance(entry, dict) and entry.get("type") == "file":
                    # LFS files: the hub lists the real size under `lfs` as well as at top level.
                    lfs = entry.get("lfs")
                    size = lfs.get("size") if isinstance(lfs, dict) else entry.get("size")
                    files.append(RepoFile(str(entry.get("path", "")), int(size or 0)))
            if not next_url:
                return files
            url = next_url
        raise UpstreamError(
            f"HuggingFace {kind} {repo_id} lists more than {MAX_TREE_PAGES} pages of files"
        )

    def file_url(self, repo_id: str, path: str, revision: str | None, kind: str = "model") -> str:
        """The resolve URL of one file (the hub redirects large files to its CDN)."""
        self._api(kind)
        prefix = _KINDS[kind][1]
        return f"{self.base}{prefix}/{_q(repo_id)}/resolve/{_q(revision or 'main')}/{_q(path)}"

    def read_text(
        self,
        repo_id: str,
        path: str,
        revision: str | None = None,
        kind: str = "model",
        max_bytes: int = 1024 * 1024,
    ) -> str:
        """The text of one file (README.md, config.json...), refusing more than `max_bytes`."""
        return self.http.get_text(self.file_url(repo_id, path, revision, kind), max_bytes=max_bytes)

    def download(
        self,
        repo_id: str,
        path: str,
        revision: str | None,
        kind: str,
        fileobj: BinaryIO,
        max_bytes: int,
    ) -> tuple[int, str]:
        """Stream one file into `fileobj`; returns (size, sha256 hex)."""
        url = self.file_url(repo_id, path, revision, kind)
        return self.http.download_to(url, fileobj, max_bytes)
