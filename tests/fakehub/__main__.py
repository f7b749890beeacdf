"""`python -m tests.fakehub --port 8900`: serve the fake hub in the foreground (for `make demo`)."""

from __future__ import annotations

import argparse
import contextlib

from tests.fakehub.server import FakeHub


def main() -> None:
    """Parse the port, print the base URLs to export, serve until Ctrl-C."""
    parser = argparse.ArgumentParser(description="Fake HuggingFace Hub + GitHub API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    args = parser.parse_args()
    hub = FakeHub(args.host, args.port)
    print(f"HF_ENDPOINT={hub.url}", flush=True)
    print(f"GITHUB_API_URL={hub.github_api_url}", flush=True)
    print(f"GITHUB_WEB_URL={hub.github_web_url}", flush=True)
    print(f"ALLOWED_SOURCE_HOSTS={args.host}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        hub.serve_forever()


if __name__ == "__main__":
    main()
