"""Ingest from the fake hub, end to end through the handlers."""

from __future__ import annotations

from tests.api.conftest import ingest


def test_given_bert_on_the_hub_when_ingesting_then_201_and_a_26_field_rating(hub_api, hub_env):
    r = ingest(hub_api, hub_env, "model", "google-bert/bert-base-uncased")
    assert r.status == 201, r.body
    meta = r.body["metadata"]
    assert meta["name"] == "bert-base-uncased" and meta["type"] == "model"
    assert r.body["data"]["download_url"].endswith(f"/artifacts/model/{meta['id']}/download")
    rating = hub_api.get(f"/artifact/model/{meta['id']}/rate")
    assert rating.status == 200, rating.body
    assert len(rating.body) == 26
