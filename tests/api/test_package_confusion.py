"""The admin package-confusion audit over real registry rows."""

from __future__ import annotations

from tests.api.test_accounts import login_as, register
from tests.support.packages import upload_model


def test_given_a_lookalike_of_a_popular_model_then_the_audit_flags_it_with_reasons(api):
    fake = upload_model(api, "bert-base-uncassed")
    honest = upload_model(api, "ticket-router")
    r = api.get("/admin/package-confusion")
    assert r.status == 200
    flagged = {s["artifact_id"]: s for s in r.body}
    assert fake in flagged and honest not in flagged
    assert flagged[fake]["reasons"] and 0 < flagged[fake]["score"] <= 1


def test_given_a_non_admin_when_auditing_then_refused(api):
    register(api, "nia", ["upload", "search", "download"])
    assert login_as("nia").get("/admin/package-confusion").status == 403
