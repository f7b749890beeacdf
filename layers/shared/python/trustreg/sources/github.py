"""GitHub REST v3 client: the few read-only endpoints the rating needs, all bounded."""

from __future__ import annotations

from typing import Any, BinaryIO
from urllib.parse import quote, urlencode

from trustreg.config import Settings, get_settings
from trustreg.errors import NotFound, UpstreamError
from trustreg.sources.http_client import SafeHttpClient

API_VERSION = "2022-11-28"
_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION}


class GitHubClient:
    """Read-only access to one GitHub (or a fake one at GITHUB_API_URL)."""

    def __init__(
        self, settings: Settings | None = None, http: SafeHttpClient | None = None
    ) -> None:
        self.settings = settings or get_settings()
        self.http = http or SafeHttpClient(self.settings)
        self.base = self.settings.github_api_url.rstrip("/")

    def _url(self, owner: str, repo: str, tail: str = "", **query: Any) -> str:
        url = f"{self.base}/repos/{quote(owner, safe='')}/{quote(repo, safe='')}{tail}"
        return f"{url}?{urlencode(query)}" if query else url

    def _get(self, url: str) -> Any:
        return self.http.get_json(url, headers=_HEADERS)

    def _list(self, url: str, limit: int) -> tuple[list[dict[str, Any]], bool]:
        """Up to `limit` items of a paginated list, and whether more were left unread."""
        items: list[dict[str, Any]] = []
        next_url: str | None = url
        while next_url and len(items) < limit:
            page, next_url = self.http.get_json_page(next_url, headers=_HEADERS)
            if not isinstance(page, list):
                raise UpstreamError(f"GitHub answered an unexpected shape for {url}")
            items.extend(i for i in page if isinstance(i, dict))
        return items[:limit], bool(next_url) or len(items) > limit

    def repo(self, owner: str, repo: str) -> dict[str, Any]:
        """GET /repos/{o}/{r}: the repository as GitHub describes it."""
        try:
            return dict(self._get(self._url(owner, repo)))
        except NotFound as exc:
            raise NotFound(f"GitHub repository {owner}/{repo} not found upstream") from exc

    def license_spdx(self, owner: str, repo: str) -> str | None:
        """The SPDX id GitHub detected for the repo's license file; None when it has none."""
        try:
            body = self._get(self._url(owner, repo, "/license"))
        except NotFound:
            return None
        spdx = (body.get("license") or {}).get("spdx_id") if isinstance(body, dict) else None
        return str(spdx) if spdx else None

    def contributors(self, owner: str, repo: str, limit: int = 100) -> list[dict[str, Any]]:
        """The top `limit` contributors (login, contributions), most active first."""
        return self._list(self._url(owner, repo, "/contributors", per_page=min(limit, 100)), limit)[
            0
        ]

    def tree_paths(self, owner: str, repo: str, ref: str) -> tuple[list[str], bool]:
        """Paths of every file at `ref` and GitHub's own `truncated` flag (it caps huge trees)."""
        body = self._get(self._url(owner, repo, f"/git/trees/{quote(ref, safe='')}", recursive=1))
        entries = body.get("tree", []) if isinstance(body, dict) else []
        paths = [e["path"] for e in entries if e.get("type") == "blob" and "path" in e]
        return paths, bool(body.get("truncated")) if isinstance(body, dict) else False

    def merged_pulls(
        self, owner: str, repo: str, limit: int = 30
    ) -> tuple[list[dict[str, Any]], bool]:
        """The most recently updated closed PRs that were merged (merged_at set), and truncation."""
        # One full page costs one request whatever its size, and closed-unmerged PRs are dropped
        # after fetching, so read 100 and cut to `limit`.
        url = self._url(
            owner, repo, "/pulls", state="closed", sort="updated", direction="desc", per_page=100
        )
        page, more = self._list(url, 100)
        merged = [p for p in page if p.get("merged_at")]
        return merged[:limit], more or len(merged) > limit

    def pull_reviews(self, owner: str, repo: str, number: int) -> list[dict[str, Any]]:
        """GET /pulls/{n}/reviews (first 100)."""
        return self._list(self._url(owner, repo, f"/pulls/{number}/reviews", per_page=100), 100)[0]

    def pull_files(self, owner: str, repo: str, number: int) -> list[dict[str, Any]]:
        """GET /pulls/{n}/files (first 100): filename, status, additions, deletions."""
        return self._list(self._url(owner, repo, f"/pulls/{number}/files", per_page=100), 100)[0]

    def pull_commit_shas(self, owner: str, repo: str, number: int) -> list[str]:
        """SHAs of the PR's own commits (first 100), to tell PR work from direct pushes."""
        items = self._list(self._url(owner, repo, f"/pulls/{number}/commits", per_page=100), 100)
        return [str(c.get("sha")) for c in items[0] if c.get("sha")]

    def recent_commits(
        self, owner: str, repo: str, ref: str | None = None, limit: int = 30
    ) -> tuple[list[dict[str, Any]], bool]:
        """The latest `limit` commits of `ref` (default branch when None), and truncation."""
        query: dict[str, Any] = {"per_page": min(max(limit, 1), 100)}
        if ref:
            query["sha"] = ref
        return self._list(self._url(owner, repo, "/commits", **query), limit)

    def commit(self, owner: str, repo: str, sha: str) -> dict[str, Any]:
        """GET /commits/{sha}: one commit with `stats` (additions, deletions) and files."""
        return dict(self._get(self._url(owner, repo, f"/commits/{quote(sha, safe='')}")))

    def download_zipball(
        self, owner: str, repo: str, ref: str | None, fileobj: BinaryIO, max_bytes: int
    ) -> tuple[int, str]:
        """Stream the repo's zip archive at `ref` (GitHub redirects to codeload)."""
        url = self._url(owner, repo, f"/zipball/{quote(ref, safe='')}" if ref else "/zipball")
        return self.http.download_to(url, fileobj, max_bytes, headers=_HEADERS)


from trustreg.sources.github_evidence import gather_github_evidence  # noqa: E402

__all__ = ["API_VERSION", "GitHubClient", "gather_github_evidence"]
