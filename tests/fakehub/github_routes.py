"""GitHub REST endpoints of the fake hub (under /github-api), paginated like the real API."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tests.fakehub import github_shapes as shapes
from tests.fakehub.replies import Reply, github_not_found, json_reply, page_of

if TYPE_CHECKING:
    from tests.fakehub.server import FakeHub


def _paged(hub: FakeHub, path: str, items: list[Any], query: dict[str, str]) -> Reply:
    per_page = min(int(query.get("per_page", "30") or 30), 100)
    page = int(query.get("page", "1") or 1)
    chunk, more = page_of(items, page, per_page)
    headers = {}
    if more:
        next_query = urlencode({**query, "page": page + 1})
        headers["Link"] = f'<{hub.github_api_url}{path}?{next_query}>; rel="next"'
    return json_reply(chunk, headers=headers)


def _tree(data: dict[str, Any], ref: str) -> Reply:
    branch = data["repo"].get("default_branch", "main")
    if ref not in {branch, "HEAD"} and ref not in {c["sha"] for c in data["commits"]}:
        return github_not_found()
    entries: list[dict[str, Any]] = []
    folders: set[str] = set()
    for path, content in data["files"].items():
        parts = path.split("/")[:-1]
        folders.update("/".join(parts[: i + 1]) for i in range(len(parts)))
        sha = hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()
        entries.append(
            {"path": path, "mode": "100644", "type": "blob", "sha": sha, "size": len(content)}
        )
    entries += [
        {
            "path": f,
            "mode": "040000",
            "type": "tree",
            "sha": hashlib.sha1(f.encode(), usedforsecurity=False).hexdigest(),
        }
        for f in folders
    ]
    tree_sha = hashlib.sha1(ref.encode(), usedforsecurity=False).hexdigest()
    return json_reply(
        {"sha": tree_sha, "tree": sorted(entries, key=lambda e: e["path"]), "truncated": False}
    )


def _zip(data: dict[str, Any], ref: str) -> Reply:
    top = f"{data['owner']}-{data['name']}-{data['commits'][0]['sha'][:7]}/"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in data["files"].items():
            archive.writestr(top + path, content)
    name = f"{data['owner']}-{data['name']}-{ref}.zip"
    return Reply(
        200,
        buf.getvalue(),
        {"Content-Type": "application/zip", "Content-Disposition": f"attachment; filename={name}"},
    )


def handle(hub: FakeHub, path: str, query: dict[str, str]) -> Reply:
    """Route one request path (below /github-api)."""
    seg = [s for s in path.split("/") if s]
    if seg[:1] == ["_codeload"] and len(seg) >= 5:
        data = hub.gh_repos.get(f"{seg[1]}/{seg[2]}".lower())
        return _zip(data, seg[4]) if data else github_not_found()
    if len(seg) < 3 or seg[0] != "repos":
        return github_not_found()
    data = hub.gh_repos.get(f"{seg[1]}/{seg[2]}".lower())
    if data is None:
        return github_not_found()
    api, rest = hub.github_api_url, seg[3:]
    pulls = {p["number"]: p for p in data["pulls"]}
    if not rest:
        return json_reply(shapes.repo_object(data, api))
    if rest == ["license"]:
        lic = shapes.license_object(data.get("license"))
        if lic is None:
            return github_not_found()
        return json_reply(
            {
                "name": "LICENSE",
                "path": "LICENSE",
                "type": "file",
                "license": lic,
                "html_url": f"https://github.com/{seg[1]}/{seg[2]}/blob/main/LICENSE",
            }
        )
    if rest == ["contributors"]:
        items = [shapes.contributor(login, n) for login, n in data["contributors"]]
        return _paged(hub, path, items, query)
    if rest[:2] == ["git", "trees"] and len(rest) == 3:
        return _tree(data, rest[2])
    if rest == ["pulls"]:
        state = query.get("state", "open")
        items = [shapes.pull(data, p, api) for p in data["pulls"] if state in {"closed", "all"}]
        items.sort(key=lambda p: p["updated_at"], reverse=query.get("direction", "desc") == "desc")
        return _paged(hub, path, items, query)
    if rest[:1] == ["pulls"] and len(rest) == 3 and rest[1].isdigit() and int(rest[1]) in pulls:
        pr = pulls[int(rest[1])]
        if rest[2] == "reviews":
            items = [shapes.review(pr, i, who, st) for i, (who, st) in enumerate(pr["reviews"])]
        elif rest[2] == "files":
            items = [shapes.pull_file(*f) for f in pr["files"]]
        elif rest[2] == "commits":
            items = [
                {"sha": hashlib.sha1(f"{path}:{i}".encode(), usedforsecurity=False).hexdigest()}
                for i in range(2)
            ]
        else:
            return github_not_found()
        return _paged(hub, path, items, query)
    shas = [c["sha"] for c in data["commits"]]
    if rest == ["commits"]:
        items = [shapes.commit(data, i, api, detail=False) for i in range(len(shas))]
        return _paged(hub, path, items, query)
    if rest[:1] == ["commits"] and len(rest) == 2 and rest[1] in shas:
        return json_reply(shapes.commit(data, shas.index(rest[1]), api, detail=True))
    if rest[:1] == ["zipball"]:
        ref = rest[1] if len(rest) > 1 else data["repo"].get("default_branch", "main")
        codeload = hub.codeload_base or hub.github_api_url
        target = f"{codeload}/_codeload/{seg[1]}/{seg[2]}/legacy.zip/{ref}"
        return Reply(302, b"", {"Location": target})
    return github_not_found()
