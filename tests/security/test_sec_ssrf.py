"""API7/API10: ingest never fetches private, loopback, link-local or non-http URLs; redirects to
internal addresses are refused; nothing reaches a loopback listener that is not the hub."""

from __future__ import annotations

import pytest

from tests.security.conftest import Trap, upload_model
from trustreg.config import get_settings, reset_settings
from trustreg.errors import BadRequest
from trustreg.sources.http_client import SafeHttpClient

HUB_MODEL = "/google-bert/bert-base-uncased"
HUB_API_PATH = "/api/models/google-bert/bert-base-uncased"

INTERNAL = [
    "http://10.0.0.1/owner/repo",
    "http://192.168.1.1/owner/repo",
    "http://172.16.0.1/owner/repo",
    "http://localhost/owner/repo",
    "http://[::1]/owner/repo",
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://0.0.0.0/owner/repo",
    "http://2130706433/owner/repo",
    "http://0x7f000001/owner/repo",
    "http://0177.0.0.1/owner/repo",
    "http://127.1/owner/repo",
    "http://[::ffff:127.0.0.1]/owner/repo",
    "http://user:pass@huggingface.co/owner/repo",
]
NOT_HTTP = [
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_INFO",
    "ftp://10.0.0.1/x",
    "dict://127.0.0.1:11211/stat",
    "javascript:alert(1)",
]


def _trap_url(trap: Trap) -> str:
    return f"http://127.0.0.1:{trap.port}/owner/repo"


@pytest.mark.parametrize("url", [*INTERNAL, *NOT_HTTP, "TRAP"])
def test_given_an_internal_or_non_http_url_when_ingesting_a_model_then_400_and_nothing_is_contacted(
    hub_api, hub_env, trap, url
):
    url = _trap_url(trap) if url == "TRAP" else url
    r = hub_api.post("/artifact/model", {"url": url})
    assert r.status == 400, r.body
    assert trap.hits == []
    assert hub_env.requests == []
    assert hub_api.post("/artifacts", [{"name": "*"}]).body == []


@pytest.mark.parametrize("artifact_type", ["dataset", "code"])
def test_given_internal_urls_when_ingesting_datasets_or_code_then_400_and_nothing_is_fetched(
    hub_api, hub_env, trap, artifact_type
):
    # Other http(s) URLs become reference-only artifacts (never fetched); internal ones are refused.
    for url in [*INTERNAL, *NOT_HTTP, _trap_url(trap)]:
        r = hub_api.post(f"/artifact/{artifact_type}", {"url": url})
        assert r.status == 400, (url, r.body)
    assert trap.hits == []
    assert hub_env.requests == []
    assert hub_api.post("/artifacts", [{"name": "*"}]).body == []


@pytest.mark.parametrize("url", [*INTERNAL[:-1], *NOT_HTTP, "TRAP", "http://127.0.0.1:8000/x"])
def test_given_production_settings_when_the_fetcher_is_pointed_at_an_internal_url_then_refused(
    database, monkeypatch, trap, url
):
    for name in ("HF_ENDPOINT", "GITHUB_API_URL", "ALLOWED_SOURCE_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    reset_settings()
    url = _trap_url(trap) if url == "TRAP" else url
    with pytest.raises(BadRequest):
        SafeHttpClient(get_settings(), sleep=lambda _s: None).get_text(url, max_bytes=1000)
    assert trap.hits == []
    reset_settings()


@pytest.mark.parametrize(
    "answer", ["127.0.0.1", "169.254.169.254", "10.0.0.1", "0.0.0.0", "fd00:ec2::254", "::1"]
)
def test_given_huggingface_resolving_to_an_internal_address_when_fetching_then_refused(
    database, monkeypatch, answer
):
    for name in ("HF_ENDPOINT", "GITHUB_API_URL", "ALLOWED_SOURCE_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    reset_settings()
    rebinding = SafeHttpClient(get_settings(), resolver=lambda host, port: [answer])
    with pytest.raises(BadRequest, match="non-public"):
        rebinding.get_json("https://huggingface.co/api/models/gpt2")
    reset_settings()


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://10.0.0.1/",
        "http://2130706433/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
    ],
)
def test_given_an_upstream_redirect_to_an_internal_address_when_ingesting_then_refused(
    hub_api, hub_env, open_gate, trap, location
):
    hub_env.redirect(HUB_API_PATH, location)
    r = hub_api.post("/artifact/model", {"url": f"{hub_env.url}{HUB_MODEL}"})
    assert r.status in (400, 502), r.body
    assert trap.hits == []
    assert hub_api.post("/artifacts", [{"name": "*"}]).body == []


def test_given_an_upstream_redirect_to_another_loopback_port_when_ingesting_then_it_is_not_followed(
    hub_api, hub_env, open_gate, trap
):
    hub_env.redirect(HUB_API_PATH, _trap_url(trap))
    hub_api.post("/artifact/model", {"url": f"{hub_env.url}{HUB_MODEL}"})
    assert trap.hits == []


def test_given_a_token_for_the_hub_when_it_redirects_to_another_host_then_the_token_is_not_sent(
    hub_env, database, monkeypatch
):
    monkeypatch.setenv("HF_TOKEN", "hf_secret_token_value")
    reset_settings()
    other = hub_env.url.replace("127.0.0.1", "localhost")
    hub_env.redirect("/first", f"{other}/second")
    hub_env.redirect("/second", f"{other}/api/models/google-bert/bert-base-uncased")
    SafeHttpClient(get_settings(), sleep=lambda _s: None).get_json(f"{hub_env.url}/first")
    sent = {entry.path: entry.headers.get("authorization") for entry in hub_env.log}
    assert sent["/first"] == "Bearer hf_secret_token_value"
    assert sent["/second"] is None
    reset_settings()


def test_given_a_license_check_against_an_internal_url_then_400_and_nothing_is_contacted(
    hub_api, hub_env, trap
):
    mid = upload_model(hub_api, "license-model")
    for url in ["http://169.254.169.254/latest", _trap_url(trap), "file:///etc/passwd"]:
        r = hub_api.post(f"/artifact/model/{mid}/license-check", {"github_url": url})
        assert r.status == 400, (url, r.body)
    assert trap.hits == []


def test_given_a_redirect_to_an_internal_address_then_the_502_does_not_echo_what_was_there(
    hub_api, hub_env, open_gate
):
    hub_env.redirect(HUB_API_PATH, "http://169.254.169.254/latest/meta-data/")
    r = hub_api.post("/artifact/model", {"url": f"{hub_env.url}{HUB_MODEL}"})
    assert r.status == 502
    assert "AccessKeyId" not in r.raw.decode()
    assert upload_model(hub_api, "still-works")
