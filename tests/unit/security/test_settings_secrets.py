"""Printing or logging the settings never shows the secrets they hold."""

from __future__ import annotations

import pytest

from trustreg.config import get_settings, reset_settings


@pytest.fixture
def secret_env(monkeypatch, tmp_path):
    monkeypatch.setenv("REGISTRY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JWT_SECRET", "s3cr3t-" + "j" * 40)
    monkeypatch.setenv("ADMIN_PASSWORD", "pa55-word-for-admin")
    monkeypatch.setenv("HF_TOKEN", "hf_tok_abcdef123456")
    reset_settings()
    yield get_settings()
    reset_settings()


def test_given_settings_with_secrets_when_printed_then_no_secret_appears(secret_env):
    shown = f"{secret_env!r} {secret_env!s} {[secret_env]}"
    for secret in ("s3cr3t-", "pa55-word-for-admin", "hf_tok_abcdef123456"):
        assert secret not in shown
