"""HuggingFace Hub endpoints of the fake hub: repo info, tree listing, resolve and the LFS CDN."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING
from urllib.parse import quote

from tests.fakehub.replies import Reply, hf_error, json_reply, zeros
from tests.fakehub.store import LFS_SUFFIXES, HfRepo

if TYPE_CHECKING:
    from tests.fakehub.server import FakeHub

VIRTUAL_STREAM_LIMIT = 8 * 1024 * 1024  # a client that ignores the declared size gets this much


def _find(hub: FakeHub, kind: str, segments: list[str]) -> tuple[HfRepo | None, list[str]]:
    """The repo named by the leading segments (owner/name, or a root-level name) and the rest."""
    for width in (2, 1):
        repo = hub.hf_repos.get((kind, "/".join(segments[:width])))
        if repo is not None:
            return repo, segments[width:]
    return None, segments


def _bad_rev(repo: HfRepo, rev: str) -> Reply | None:
    if rev in {"main", repo.info.get("sha")}:
        return None
    return hf_error(404, "RevisionNotFound", f"Invalid rev id: {rev}")


def api(hub: FakeHub, kind: str, segments: list[str], query: dict[str, str]) -> Reply:
    """/api/models|datasets/{id}[/revision/{rev}|/tree/{rev}[/{path}]]."""
    repo, rest = _find(hub, kind, segments)
    if repo is None:
        return hf_error(401, "RepoNotFound", "Repository not found")
    if not rest or (len(rest) == 2 and rest[0] == "revision"):
        bad = _bad_rev(repo, rest[1]) if rest else None
        return bad or json_reply(repo.api_info())
    if rest[0] != "tree" or len(rest) < 2:
        return hf_error(404, "EntryNotFound", "Not found")
    if bad := _bad_rev(repo, rest[1]):
        return bad
    prefix = "/".join(rest[2:])
    entries = [e for e in repo.tree() if not prefix or e["path"].startswith(prefix + "/")]
    if query.get("recursive", "false") not in {"true", "1"}:
        depth = prefix.count("/") + 1 if prefix else 0
        entries = [e for e in entries if e["path"].count("/") == depth]
    start, size = int(query.get("cursor", "0") or 0), hub.tree_page_size
    headers = {}
    if start + size < len(entries):
        base = f"{hub.url}/api/{kind}s/{repo.repo_id}/tree/{quote(rest[1])}"
        headers["Link"] = f'<{base}?recursive=true&cursor={start + size}>; rel="next"'
    return json_reply(entries[start : start + size], headers=headers)


def resolve(hub: FakeHub, kind: str, segments: list[str]) -> Reply:
    """/{id}/resolve/{rev}/{path} (datasets under /datasets): small files inline, LFS redirected."""
    repo, rest = _find(hub, kind, segments)
    if repo is None:
        return hf_error(401, "RepoNotFound", "Repository not found")
    if len(rest) < 3 or rest[0] != "resolve":
        return hf_error(404, "EntryNotFound", "Not found")
    if bad := _bad_rev(repo, rest[1]):
        return bad
    path = "/".join(rest[2:])
    commit = {"X-Repo-Commit": str(repo.info.get("sha"))}
    if path in repo.files and not path.endswith(LFS_SUFFIXES):
        return Reply(
            200,
            repo.files[path],
            {
                **commit,
                "ETag": f'"{hashlib.md5(path.encode(), usedforsecurity=False).hexdigest()}"',
            },
        )
    sizes = {v["path"]: int(v["size"]) for v in repo.virtual}
    if path in repo.files:
        oid = hashlib.sha256(repo.files[path]).hexdigest()
        hub.lfs_blobs[oid] = repo.files[path]
        size = len(repo.files[path])
    elif path in sizes:
        oid, size = "virtual-" + hashlib.sha256(path.encode()).hexdigest(), sizes[path]
        hub.virtual_sizes[oid] = size
    else:
        return hf_error(404, "EntryNotFound", f'{path} does not exist on "{rest[1]}"')
    location = f"{hub.cdn_base or hub.url}/_lfs/{oid}"
    return Reply(302, b"", {**commit, "Location": location, "X-Linked-Size": str(size)})


def lfs(hub: FakeHub, oid: str) -> Reply:
    """The CDN: stored blobs in full; a virtual blob declares its size and streams zeros."""
    if oid in hub.lfs_blobs:
        return Reply(200, hub.lfs_blobs[oid], {"Content-Type": "application/octet-stream"})
    if oid in hub.virtual_sizes:
        size = hub.virtual_sizes[oid]
        body = zeros(min(size, VIRTUAL_STREAM_LIMIT))
        return Reply(200, body, {"Content-Length": str(size)})
    return Reply(403, b"<Error><Code>AccessDenied</Code></Error>", {"Content-Type": "text/xml"})
