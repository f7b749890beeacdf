#!/usr/bin/env bash
# Install what tests/e2e/test_dashboard_browser.py needs, from the package registries only:
# Debian chromium + its matching chromedriver, the selenium driver, and axe-core from npm.
# Usage: scripts/install_browser.sh [path/to/venv/python]   (run as root, or with sudo)
set -euo pipefail
PY="${1:-.venv/bin/python}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    chromium chromium-driver fonts-liberation
fi
# The driver binary comes from Debian, so Selenium Manager never needs to download anything.
"$PY" -m pip install -q "selenium==4.51.0"
# --no-save: a test-only asset; the page under test never loads it from node_modules itself.
npm install --no-save --no-audit --no-fund "axe-core@4.11.0"
chromium --version
chromedriver --version
