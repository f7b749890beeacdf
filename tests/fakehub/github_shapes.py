"""Expand the compact GitHub fixture JSON into the REST v3 objects GitHub really returns."""

from __future__ import annotations

import hashlib
from typing import Any

LICENSES = {
    "Apache-2.0": ("apache-2.0", "Apache License 2.0"),
    "MIT": ("mit", "MIT License"),
    "GPL-3.0": ("gpl-3.0", "GNU General Public License v3.0"),
    "LGPL-2.1": ("lgpl-2.1", "GNU Lesser General Public License v2.1"),
}


def _id(text: str) -> int:
    return int(hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:7], 16)


def user(login: str) -> dict[str, Any]:
    """A simple user object (what `user`, `author`, contributors carry)."""
    return {
        "login": login,
        "id": _id(login),
        "type": "User",
        "site_admin": False,
        "html_url": f"https://github.com/{login}",
    }


def license_object(spdx: str | None) -> dict[str, Any] | None:
    """The `license` object of a repo (None when GitHub detected none)."""
    if spdx is None:
        return None
    key, name = LICENSES.get(spdx, (spdx.lower(), spdx))
    return {
        "key": key,
        "name": name,
        "spdx_id": spdx,
        "url": f"https://api.github.com/licenses/{key}",
        "node_id": f"MDc6TGljZW5zZ{key}",
    }


def repo_object(data: dict[str, Any], api: str) -> dict[str, Any]:
    """GET /repos/{o}/{r}."""
    owner, name = data["owner"], data["name"]
    full = f"{owner}/{name}"
    return {
        "id": _id(full),
        "name": name,
        "full_name": full,
        "private": False,
        "owner": user(owner),
        "html_url": f"https://github.com/{full}",
        "fork": False,
        "url": f"{api}/repos/{full}",
        "license": license_object(data.get("license")),
        "visibility": "public",
        "has_issues": True,
        "archived": False,
        "disabled": False,
        **data["repo"],
    }


def contributor(login: str, count: int) -> dict[str, Any]:
    """One item of GET /contributors."""
    return {**user(login), "contributions": count}


def pull(data: dict[str, Any], pr: dict[str, Any], api: str) -> dict[str, Any]:
    """One item of GET /pulls (state closed)."""
    full = f"{data['owner']}/{data['name']}"
    branch = data["repo"].get("default_branch", "main")
    return {
        "url": f"{api}/repos/{full}/pulls/{pr['number']}",
        "number": pr["number"],
        "state": "closed",
        "title": pr["title"],
        "user": user(pr["user"]),
        "body": "",
        "created_at": pr["closed_at"],
        "updated_at": pr["closed_at"],
        "closed_at": pr["closed_at"],
        "merged_at": pr["merged_at"],
        "merge_commit_sha": pr.get("merge_commit_sha"),
        "draft": False,
        "base": {"ref": branch},
        "head": {"ref": f"pr-{pr['number']}"},
        "author_association": "CONTRIBUTOR",
    }


def review(pr: dict[str, Any], index: int, login: str, state: str) -> dict[str, Any]:
    """One item of GET /pulls/{n}/reviews."""
    return {
        "id": _id(f"{pr['number']}:{index}"),
        "user": user(login),
        "body": "",
        "state": state,
        "submitted_at": pr["closed_at"],
        "commit_id": pr.get("merge_commit_sha"),
        "author_association": "MEMBER",
    }


def pull_file(name: str, additions: int, deletions: int) -> dict[str, Any]:
    """One item of GET /pulls/{n}/files."""
    return {
        "sha": hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest(),
        "filename": name,
        "status": "modified",
        "additions": additions,
        "deletions": deletions,
        "changes": additions + deletions,
    }


def commit(data: dict[str, Any], index: int, api: str, *, detail: bool) -> dict[str, Any]:
    """One item of GET /commits, or GET /commits/{sha} (with stats and files) when `detail`."""
    c = data["commits"][index]
    parents = data["commits"][index + 1 : index + 2]
    who = {
        "name": c["author"],
        "email": f"{c['author']}@users.noreply.github.com",
        "date": c["date"],
    }
    obj: dict[str, Any] = {
        "sha": c["sha"],
        "url": f"{api}/repos/{data['owner']}/{data['name']}/commits/{c['sha']}",
        "commit": {"author": who, "committer": who, "message": c["message"]},
        "author": user(c["author"]),
        "committer": user(c["author"]),
        "parents": [{"sha": p["sha"]} for p in parents],
    }
    if detail:
        total = c["additions"] + c["deletions"]
        obj["stats"] = {"total": total, "additions": c["additions"], "deletions": c["deletions"]}
        obj["files"] = [
            {
                "filename": "changed.py",
                "status": "modified",
                "additions": c["additions"],
                "deletions": c["deletions"],
                "changes": total,
            }
        ]
    return obj
