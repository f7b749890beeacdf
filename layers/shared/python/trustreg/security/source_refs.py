"""Owner and repository name from a HuggingFace or GitHub source URL."""

from __future__ import annotations

from urllib.parse import urlsplit

_HF_HOSTS = {"huggingface.co", "www.huggingface.co", "hf.co"}
_GH_HOSTS = {"github.com", "www.github.com"}
_HF_PREFIXES = {"datasets", "spaces", "models"}


def repo_ref(url: str | None) -> tuple[str, str] | None:
    """(owner, repo) for HF/GitHub URLs (owner "" for legacy HF ids); None for anything else."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").casefold()
    segments = [s for s in parts.path.split("/") if s]
    if host in _HF_HOSTS:
        if segments and segments[0] in _HF_PREFIXES:
            segments = segments[1:]
        segments = segments[: segments.index("tree")] if "tree" in segments else segments
        if len(segments) == 1:
            return "", segments[0]
        return (segments[0].casefold(), segments[1]) if len(segments) >= 2 else None
    if host in _GH_HOSTS and len(segments) >= 2:
        repo = segments[1].removesuffix(".git")
        return segments[0].casefold(), repo
    return None
