"""A failure at any step of a write leaves nothing half done: no row without blob, no stray blob."""

from __future__ import annotations

import pytest

from tests.api.conftest import ingest
from tests.support.artifacts import (  # noqa: F401 - fixtures
    blob_root,
    files_under,
    list_all,
    open_gate,
    read_signed_blob,
    sha256,
    zip_bytes,
)

BERT = "google-bert/bert-base-uncased"


class Boom(RuntimeError):
    """The injected failure."""


def explode(*_args, **_kwargs):
    raise Boom("injected failure")


def upload(client):
    return client.post(
        "/artifact/model/upload?name=tiny", raw=zip_bytes(), content_type="application/zip"
    )


def assert_nothing_stored(client):
    from trustreg.db.uow import unit_of_work

    assert list_all(client) == []
    assert files_under(blob_root() / "artifacts") == []
    with unit_of_work() as uow:
        assert uow.artifacts.count() == 0


@pytest.mark.parametrize("via", ["ingest", "upload"])
def test_given_the_blob_store_fails_when_registering_then_an_error_and_no_row(
    hub_api, hub_env, open_gate, monkeypatch, via
):
    from trustreg.storage.local import LocalBlobStore

    monkeypatch.setattr(LocalBlobStore, "put_file", explode)
    r = ingest(hub_api, hub_env, "model", BERT) if via == "ingest" else upload(hub_api)
    assert r.status >= 500, r.body
    assert "Traceback" not in r.raw.decode() and "injected" not in r.message
    assert r.body["error"]["request_id"]
    monkeypatch.undo()
    assert_nothing_stored(hub_api)


@pytest.mark.parametrize("via", ["ingest", "upload"])
@pytest.mark.parametrize("step", ["add_edges", "resolve_refs", "events"])
def test_given_the_database_fails_after_the_blob_was_written_then_no_row_and_the_blob_removed(
    hub_api, hub_env, open_gate, monkeypatch, via, step
):
    from trustreg.db.repositories.artifacts import ArtifactRepository
    from trustreg.db.repositories.events import EventRepository

    written: list[str] = []
    from trustreg.storage.local import LocalBlobStore

    real_put = LocalBlobStore.put_file

    def spy(self, key, path, content_type="application/zip"):
        written.append(key)
        return real_put(self, key, path, content_type)

    monkeypatch.setattr(LocalBlobStore, "put_file", spy)
    if step == "events":
        monkeypatch.setattr(EventRepository, "add", explode)
    else:
        monkeypatch.setattr(ArtifactRepository, step, explode)

    r = ingest(hub_api, hub_env, "model", BERT) if via == "ingest" else upload(hub_api)

    assert r.status == 500, r.body
    assert written, "the blob is written before the rows"
    monkeypatch.undo()
    assert_nothing_stored(hub_api)
    # and the registry still works afterwards
    again = ingest(hub_api, hub_env, "model", BERT) if via == "ingest" else upload(hub_api)
    assert again.status == 201, again.body


def test_given_storing_the_rating_fails_when_ingesting_then_nothing_is_stored(
    hub_api, hub_env, open_gate, monkeypatch
):
    monkeypatch.setattr("trustreg.services.rating_service.store", explode)
    r = ingest(hub_api, hub_env, "model", BERT)
    assert r.status == 500
    monkeypatch.undo()
    assert_nothing_stored(hub_api)


def test_given_computing_the_rating_fails_when_ingesting_then_nothing_is_stored(
    hub_api, hub_env, open_gate, monkeypatch
):
    monkeypatch.setattr("trustreg.rating.runner.rate", explode)
    r = ingest(hub_api, hub_env, "model", BERT)
    assert r.status == 500
    monkeypatch.undo()
    assert_nothing_stored(hub_api)


def test_given_an_update_fails_in_the_database_then_the_old_contents_stay_downloadable(
    hub_api, hub_env, open_gate, monkeypatch
):
    from trustreg.db.repositories.artifacts import ArtifactRepository

    meta = ingest(hub_api, hub_env, "model", BERT).body["metadata"]
    before = hub_api.get(f"/artifacts/model/{meta['id']}/download?format=json").body
    files_before = files_under(blob_root())

    monkeypatch.setattr(ArtifactRepository, "add_edges", explode)
    r = hub_api.put(
        f"/artifacts/model/{meta['id']}",
        {"metadata": meta, "data": {"url": f"{hub_env.url}/distilbert/distilbert-base-uncased"}},
    )
    assert r.status == 500
    monkeypatch.undo()

    got = hub_api.get(f"/artifacts/model/{meta['id']}").body
    assert got["data"]["url"] == f"{hub_env.url}/{BERT}"
    after = hub_api.get(f"/artifacts/model/{meta['id']}/download?format=json").body
    assert after["sha256"] == before["sha256"]
    assert sha256(read_signed_blob(after["url"])) == before["sha256"]
    assert files_under(blob_root()) == files_before
    actions = [e["action"] for e in hub_api.get(f"/artifact/model/{meta['id']}/audit").body]
    assert "UPDATE" not in actions


def test_given_blob_deletion_fails_when_deleting_then_the_row_is_gone_anyway(
    hub_api, hub_env, open_gate, monkeypatch
):
    from trustreg.storage.local import LocalBlobStore

    meta = ingest(hub_api, hub_env, "model", BERT).body["metadata"]
    monkeypatch.setattr(LocalBlobStore, "delete_prefix", explode)
    r = hub_api.delete(f"/artifacts/model/{meta['id']}")
    assert r.status == 200, r.body
    assert hub_api.get(f"/artifacts/model/{meta['id']}").status == 404


def test_given_the_row_delete_fails_when_deleting_then_the_blob_is_kept(
    hub_api, hub_env, open_gate, monkeypatch
):
    from trustreg.db.repositories.artifacts import ArtifactRepository

    meta = ingest(hub_api, hub_env, "model", BERT).body["metadata"]
    monkeypatch.setattr(ArtifactRepository, "delete", explode)
    assert hub_api.delete(f"/artifacts/model/{meta['id']}").status == 500
    monkeypatch.undo()
    dl = hub_api.get(f"/artifacts/model/{meta['id']}/download?format=json")
    assert dl.status == 200
    assert sha256(read_signed_blob(dl.body["url"])) == dl.body["sha256"]
