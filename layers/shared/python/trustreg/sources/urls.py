"""Parse the source URL of an ingest request into a typed reference (HF model/dataset, GitHub).

Public hosts (huggingface.co, hf.co, github.com) always parse the same way. A URL under the
configured HF_ENDPOINT is also read as a HuggingFace URL, and one under GITHUB_WEB_URL (read from
the environment here; default https://github.com) as a GitHub URL, so a local fake hub works.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from trustreg.errors import BadRequest

MAX_URL_LENGTH = 2048
HF_HOSTS = frozenset({"huggingface.co", "www.huggingface.co", "hf.co"})
GITHUB_HOSTS = frozenset({"github.com", "www.github.com"})
_ACCEPTS = {
    "model": ("hf_model",),
    "dataset": ("hf_dataset", "github", "reference"),
    "code": ("github", "reference"),
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
# Paths on the hub that are pages, not repositories.
_HF_RESERVED = frozenset({"api", "spaces", "docs", "models", "organizations", "settings", "blog"})


@dataclass(frozen=True)
class SourceRef:
    """Where an artifact comes from, as parsed from the user's URL."""

    kind: str  # "hf_model" | "hf_dataset" | "github" | "reference"
    url: str
    owner: str | None
    repo: str
    revision: str | None = None
    subdir: str | None = None
    default_name: str = ""

    @property
    def repo_id(self) -> str:
        """`owner/repo`, or `repo` for the few root-level hub models (e.g. `gpt2`)."""
        return f"{self.owner}/{self.repo}" if self.owner else self.repo


def _prefix(base: str) -> tuple[str, str]:
    """(netloc, path prefix) of a configured base URL, lower-cased host."""
    parts = urlsplit(base.rstrip("/"))
    return parts.netloc.lower(), parts.path.rstrip("/")


def _under(netloc: str, path: str, base: str) -> str | None:
    """The path relative to `base` when the URL lies under it, else None."""
    base_netloc, base_path = _prefix(base)
    if netloc != base_netloc or not (path == base_path or path.startswith(base_path + "/")):
        return None
    return path[len(base_path) :]


def _segments(path: str) -> list[str]:
    # Split before unquoting: a revision like refs%2Fpr%2F1 is one segment.
    return [unquote(s) for s in path.split("/") if s]


def _check_name(part: str, url: str) -> str:
    if not _NAME.match(part) or part in {".", ".."}:
        raise BadRequest(f"not a valid repository name {part!r} in {url}")
    return part


def _hf_ref(segments: list[str], url: str, origin: str) -> SourceRef:
    kind = "hf_model"
    if segments and segments[0] == "datasets":
        kind, segments = "hf_dataset", segments[1:]
    if not segments or segments[0] in _HF_RESERVED:
        raise BadRequest(f"not a HuggingFace repository URL: {url}")
    # The owner is optional: root-level repos (`/gpt2`, `/datasets/squad`) are followed by a marker.
    markers = {"tree", "blob", "resolve", "raw", "commit", "discussions", "edit"}
    if len(segments) >= 2 and segments[1] not in markers:
        owner, repo, rest = segments[0], segments[1], segments[2:]
    else:
        owner, repo, rest = None, segments[0], segments[1:]
    revision = rest[1] if len(rest) >= 2 and rest[0] in {"tree", "blob", "resolve"} else None
    if owner is not None:
        _check_name(owner, url)
    _check_name(repo, url)
    prefix = "/datasets" if kind == "hf_dataset" else ""
    base = f"{origin}{prefix}/{owner + '/' if owner else ''}{repo}"
    return SourceRef(kind, base, owner, repo, revision, None, repo)


def _github_ref(segments: list[str], url: str, origin: str) -> SourceRef:
    if len(segments) < 2:
        raise BadRequest(f"a GitHub URL must name an owner and a repository: {url}")
    owner = _check_name(segments[0], url)
    repo = segments[1].removesuffix(".git")
    _check_name(repo, url)
    rest = segments[2:]
    revision = rest[1] if len(rest) >= 2 and rest[0] in {"tree", "blob"} else None
    subdir = ("/".join(rest[2:]) or None) if revision else None
    return SourceRef("github", f"{origin}/{owner}/{repo}", owner, repo, revision, subdir, repo)


def parse_source_url(
    url: str,
    artifact_type: str,
    *,
    hf_endpoint: str | None = None,
    github_web_url: str | None = None,
) -> SourceRef:
    """Parse and validate `url` for an artifact of `artifact_type` (model, dataset, code)."""
    if artifact_type not in _ACCEPTS:
        raise BadRequest(f"unknown artifact type {artifact_type!r}")
    url = (url or "").strip()
    if not url:
        raise BadRequest("the source URL is empty")
    if len(url) > MAX_URL_LENGTH:
        raise BadRequest(f"the source URL is longer than {MAX_URL_LENGTH} characters")
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"}:
        raise BadRequest(f"the source URL must be http(s), got {url!r}")
    if not parts.hostname:
        raise BadRequest(f"the source URL has no host: {url!r}")
    if parts.username is not None or parts.password is not None:
        raise BadRequest("the source URL must not contain credentials")
    if hf_endpoint is None:
        from trustreg.config import get_settings

        hf_endpoint = get_settings().hf_endpoint
    github_web_url = github_web_url or os.environ.get("GITHUB_WEB_URL") or "https://github.com"
    netloc, path = parts.netloc.lower(), parts.path.rstrip("/")
    host = parts.hostname.lower()
    ref: SourceRef
    # GitHub first: a fake hub may serve GitHub pages under a prefix of the HF endpoint's host.
    if host in GITHUB_HOSTS:
        ref = _github_ref(_segments(path), url, "https://github.com")
    elif (gh_path := _under(netloc, path, github_web_url)) is not None:
        ref = _github_ref(_segments(gh_path), url, github_web_url.rstrip("/"))
    elif host in HF_HOSTS:
        ref = _hf_ref(_segments(path), url, "https://huggingface.co")
    elif (hf_path := _under(netloc, path, hf_endpoint)) is not None:
        ref = _hf_ref(_segments(hf_path), url, hf_endpoint.rstrip("/"))
    else:
        _refuse_internal(host)
        name = unquote(path.rsplit("/", 1)[-1]) or host
        ref = SourceRef("reference", url.rstrip("/"), None, name, None, None, name)
    if ref.kind not in _ACCEPTS[artifact_type]:
        wanted = {
            "model": "a HuggingFace model URL",
            "dataset": "a HuggingFace dataset, GitHub or other http(s) URL",
            "code": "a GitHub or other http(s) URL",
        }[artifact_type]
        raise BadRequest(f"a {artifact_type} needs {wanted}; got a {ref.kind} URL: {url}")
    return ref


def _refuse_internal(host: str) -> None:
    """A reference is never fetched, but an internal address has no business in the registry."""
    from trustreg.sources.host_guard import is_public_address

    bare = host.strip("[]")
    looks_ip = bare.replace(".", "").isdigit() or ":" in bare or bare.startswith("0x")
    if bare in ("localhost", "localhost.localdomain") or bare.endswith((".localhost", ".internal")):
        raise BadRequest(f"references to internal hosts are not accepted: {host}")
    if looks_ip and not is_public_address(bare):
        raise BadRequest(f"references to private or special addresses are not accepted: {host}")
