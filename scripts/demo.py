"""`make demo`: the fake hub plus the local server pointed at it, preloaded with fixture repos.

Everything stays on this machine: the hub serves the repositories shipped under
tests/fakehub/data with the real HuggingFace and GitHub API shapes, and the registry ingests a
handful of them through its real HTTP API, so search, rating, download and lineage work offline.
"""

from __future__ import annotations

import json
import os
import threading
import urllib.error
import urllib.request

from tests.fakehub.server import FakeHub

DEMO = [
    ("dataset", "datasets/rajpurkar/squad"),
    ("dataset", "datasets/bookcorpus/bookcorpus"),
    ("model", "google-bert/bert-base-uncased"),
    ("model", "distilbert/distilbert-base-uncased"),
    ("model", "distilbert/distilbert-base-uncased-distilled-squad"),
    ("model", "acme/bert-finetune"),
    ("model", "microsoft/resnet-50"),
    ("model", "acme/noncommercial-model"),
    ("code", "github:openai/whisper"),
    ("code", "github:google-research/bert"),
]


def _call(method: str, url: str, body: object, token: str | None = None) -> tuple[int, object]:
    req = urllib.request.Request(
        url,
        method=method,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    if token:
        req.add_header("X-Authorization", token)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310 - our own server
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def main() -> None:
    """Start the hub and the server, ingest the demo set, then serve until Ctrl-C."""
    hub = FakeHub(port=int(os.environ.get("HUB_PORT", "8900")))
    hub.start()
    os.environ.update(
        HF_ENDPOINT=hub.url,
        GITHUB_API_URL=hub.github_api_url,
        GITHUB_WEB_URL=hub.github_web_url,
        ALLOWED_SOURCE_HOSTS="127.0.0.1",
    )
    port = int(os.environ.get("PORT", "8000"))
    os.environ.setdefault("PUBLIC_BASE_URL", f"http://127.0.0.1:{port}")
    from trustreg.config import DEFAULT_ADMIN_NAME, get_settings
    from trustreg.db.migrate import upgrade_to_head
    from trustreg.db.seed import ensure_default_admin
    from trustreg.local.server import serve

    upgrade_to_head()
    ensure_default_admin()
    httpd = serve("127.0.0.1", port)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    _, token = _call(
        "PUT",
        f"{base}/authenticate",
        {
            "user": {"name": DEFAULT_ADMIN_NAME, "is_admin": True},
            "secret": {"password": get_settings().admin_password},
        },
    )
    print(f"fake hub at {hub.url}; registry at {base}")
    for artifact_type, repo in DEMO:
        url = (
            f"{hub.github_web_url}/{repo[7:]}"
            if repo.startswith("github:")
            else f"{hub.url}/{repo}"
        )
        status, body = _call("POST", f"{base}/artifact/{artifact_type}", {"url": url}, str(token))
        outcome = body.get("metadata", {}).get("id") if isinstance(body, dict) else body
        if status != 201 and isinstance(body, dict):
            outcome = body.get("error", {}).get("message")
        print(f"  {status} {artifact_type:7} {repo}: {outcome}")
    print(
        f"log in: curl -X PUT {base}/authenticate -H 'Content-Type: application/json' "
        "-d @docs/examples/authenticate.json   (Ctrl-C stops)"
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        httpd.shutdown()
        hub.stop()


if __name__ == "__main__":
    main()
