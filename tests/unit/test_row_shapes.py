"""Rows read by position (fix 18 in docs/performance.md) keep the column order their readers
unpack: a reordered select would swap fields silently, e.g. a name for an id."""

from __future__ import annotations

from trustreg.db.repositories.artifact_statements import by_name, listed, page
from trustreg.db.repositories.events import _entries
from trustreg.services.views import listed_metadata


def test_given_a_listing_statement_then_its_columns_are_in_the_order_listed_metadata_reads():
    order = ["seq", "id", "name", "type", "version"]

    assert list(listed().selected_columns.keys()) == order
    assert list(by_name().selected_columns.keys()) == order
    assert list(page(((True, False), (False, True))).selected_columns.keys()) == order


def test_given_a_listing_row_then_listed_metadata_names_each_field_from_its_own_column():
    row = (7, "0123456789abcdef01234567", "bert", "model", "1.0.0")

    assert listed_metadata([row]) == [
        {"name": "bert", "id": "0123456789abcdef01234567", "type": "model"}
    ]


def test_given_the_audit_page_statement_then_its_columns_are_in_the_order_the_audit_reads():
    columns = ["id", "rendered", "download_id"]

    assert list(_entries().selected_columns.keys()) == columns
