"""Reading the registry: get one artifact, list pages, search by name or regex, audit trail."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson

from trustreg.auth.principal import Principal
from trustreg.config import get_settings
from trustreg.db.models import Artifact
from trustreg.db.repositories.artifact_statements import Brief, Listed
from trustreg.db.repositories.artifacts import NameQuery
from trustreg.db.repositories.events import Entry
from trustreg.db.uow import UnitOfWork, unit_of_work
from trustreg.errors import BadRequest, NotFound, PayloadTooLarge
from trustreg.json_text import JsonText
from trustreg.search.versions import parse_version_query
from trustreg.services.ids import check_id, check_type
from trustreg.services.views import envelope, listed_metadata, metadata

_Row = TypeVar("_Row")
MAX_QUERIES = 100
MAX_PAGE = 1000
MAX_NAME_RESULTS = 1000
MAX_REGEX_RESULTS = 1000
VERSION_SCAN_BATCH = 500
VERSION_SCAN_BATCHES = 20  # at most 10 000 rows examined per page of a version query


@dataclass(frozen=True)
class Page:
    """One page of a listing and the offset of the next page (None on the last page)."""

    items: list[dict[str, Any]] | JsonText
    next_offset: str | None


def parse_queries(body: Any) -> list[NameQuery]:
    """The `ArtifactQuery` array (with our optional `version` left to the caller)."""
    if not isinstance(body, list) or not body:
        raise BadRequest("the body must be a non-empty array of artifact queries")
    if len(body) > MAX_QUERIES:
        raise PayloadTooLarge(f"at most {MAX_QUERIES} queries per request")
    queries = []
    for i, q in enumerate(body):
        if not isinstance(q, dict) or not isinstance(q.get("name"), str) or not q["name"]:
            raise BadRequest(f"query {i} needs a non-empty string 'name'")
        if "\x00" in q["name"]:  # no name holds NUL, and PostgreSQL refuses it in a query
            raise BadRequest(f"query {i}: 'name' may not contain NUL characters")
        types = q.get("types")
        if types is None:
            types = []
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            raise BadRequest(f"query {i}: 'types' must be an array of artifact types")
        for t in types:
            check_type(t)
        version = q.get("version")
        if version is not None and not isinstance(version, str):
            raise BadRequest(f"query {i}: 'version' must be a string such as ^1.2.0")
        if version:
            parse_version_query(version)  # 400 now, not halfway through a scan
        queries.append(NameQuery(q["name"], tuple(types), version or None))
    return queries


def parse_offset(raw: str | None) -> int:
    """The `offset` query parameter: the position after which the next page starts."""
    if raw is None or raw == "":
        return 0
    if not raw.isdigit() or len(raw) > 18:
        raise BadRequest("offset must be a non-negative integer taken from the 'offset' header")
    return int(raw)


def page_limit(raw: str | None, default: int | None = None, unit: str = "artifacts") -> int:
    """The page size: `default` (else the configured one), or `limit` up to the maximum."""
    if raw is None or raw == "":
        return default if default is not None else min(get_settings().page_size, MAX_PAGE)
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest("limit must be a positive integer")
    if int(raw) > MAX_PAGE:
        raise PayloadTooLarge(f"at most {MAX_PAGE} {unit} per page; use the offset header")
    return int(raw)


def list_page(queries: list[NameQuery], offset: int, limit: int) -> Page:
    """The union of the queries, one keyset page at a time, in registry order.

    Version ranges (`1.2.3`, `1.2.3-2.1.0`, `~1.2.0`, `^1.2.0`) cannot be expressed in SQL, so
    such queries scan candidate rows in bounded batches and filter them here; a page that hits
    the scan bound ends early with an offset to continue from.
    """
    if not any(q.version for q in queries):
        with unit_of_work(autocommit=True) as uow:
            rows = uow.artifacts.page(queries, offset, limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        return Page(listed_metadata(rows), str(rows[-1].seq) if more and rows else None)
    ranges = [(q, parse_version_query(q.version) if q.version else None) for q in queries]
    found: list[Listed] = []
    cursor = offset
    with unit_of_work(autocommit=True) as uow:
        for _ in range(VERSION_SCAN_BATCHES):
            batch = uow.artifacts.page(queries, cursor, VERSION_SCAN_BATCH)
            for a in batch:
                cursor = a.seq
                if any(_matches(a, q, r) for q, r in ranges):
                    found.append(a)
                    if len(found) > limit:
                        return Page(listed_metadata(found[:limit]), str(found[limit - 1].seq))
            if len(batch) < VERSION_SCAN_BATCH:
                return Page(listed_metadata(found), None)
    return Page(listed_metadata(found), str(cursor))


def _matches(a: Listed, q: NameQuery, version_range: Any) -> bool:
    if q.name != "*" and a.name != q.name:
        return False
    if q.types and a.type not in q.types:
        return False
    return version_range is None or bool(a.version and version_range.matches(a.version))


def load(uow: UnitOfWork, artifact_type: str, artifact_id: str) -> Artifact:
    """The artifact or 404 (ids and types checked first, 400 when malformed)."""
    return load_row(uow.artifacts.get, artifact_type, artifact_id)


def load_brief(uow: UnitOfWork, artifact_type: str, artifact_id: str) -> Brief:
    """Like `load`, for callers that need only identity, source and size."""
    return load_row(uow.artifacts.brief, artifact_type, artifact_id)


def load_row(read: Callable[[str, str], _Row | None], artifact_type: str, artifact_id: str) -> _Row:
    """`read(id, type)` after checking both, or 404: the one place a missing artifact is told."""
    check_type(artifact_type)
    check_id(artifact_id)
    row = read(artifact_id, artifact_type)
    if row is None:
        raise NotFound(f"no {artifact_type} with id {artifact_id}")
    return row


def get(artifact_type: str, artifact_id: str, base_url: str) -> dict[str, Any]:
    """`Artifact` for one id."""
    with unit_of_work(autocommit=True) as uow:
        return envelope(load_brief(uow, artifact_type, artifact_id), base_url)


def by_name(name: str) -> list[dict[str, str]]:
    """Every artifact whose name is exactly `name`; 404 when there is none."""
    if not name or len(name) > 512 or "\x00" in name:
        raise BadRequest("name must be 1-512 characters, without NUL")
    with unit_of_work(autocommit=True) as uow:
        rows = uow.artifacts.by_name(name, MAX_NAME_RESULTS)
    if not rows:
        raise NotFound(f"no artifact is named {name!r}")
    return listed_metadata(rows)


def by_regex(pattern: Any) -> list[dict[str, str]]:
    """Artifacts whose name or model card matches; linear-time RE2, streamed in batches."""
    from trustreg.search.safe_regex import compile_user_regex

    if not isinstance(pattern, str):
        raise BadRequest("'regex' is required and must be a string")
    regex = compile_user_regex(pattern)
    found: list[dict[str, str]] = []
    with unit_of_work(autocommit=True) as uow:
        # PostgreSQL cannot take NUL in a LIKE literal; such a pattern just scans unfiltered.
        literal = regex.literal if regex.literal and "\x00" not in regex.literal else None
        for _seq, aid, name, atype, readme in uow.artifacts.scan_text(
            prefilter=literal, ignore_case=regex.literal_ignores_case
        ):
            if regex.search(name) or (readme and regex.search(readme)):
                found.append({"name": name, "id": aid, "type": atype})
                if len(found) >= MAX_REGEX_RESULTS:
                    break
    if not found:
        raise NotFound("no artifact matches that regular expression")
    return found


def audit(caller: Principal, artifact_type: str, artifact_id: str, after: int, limit: int) -> Page:
    """One page of the artifact's audit trail (CREATE, UPDATE, DOWNLOAD, RATE, AUDIT), in the
    order the entries were recorded, after the entry `after` (the previous page's offset).

    The reading is recorded as an AUDIT entry when the first page is asked for (so it lists
    itself, and later pages do not grow the trail they walk). For a sensitive model, its
    uploader and admins also see each download attempt's outcome and the check program's
    verdict, read from the download-history row each DOWNLOAD entry points at.
    """
    with unit_of_work(autocommit=True) as uow:
        # A walk through the pages is one reading: recorded on its first page, by the statement
        # that reads the page where it can be (PostgreSQL).
        events: Sequence[Entry]
        if not after and uow.events.records_with_read():
            artifact, events = load_row(
                lambda i, t: uow.events.first_page_recorded(i, t, limit + 1, caller.name),
                artifact_type,
                artifact_id,
            )
        else:
            artifact = load_row(uow.artifacts.audit_root, artifact_type, artifact_id)
            if not after:
                uow.events.add(artifact.id, "AUDIT", caller.name, caller.is_admin)
            events = uow.events.for_artifact(artifact.id, after, limit + 1)
        more = len(events) > limit
        events = events[:limit]
        # Each entry's JSON was written with it (db/audit_text.py); its artifact, whose name
        # may have changed since, is added here, and the page is those texts joined.
        closing = ',"artifact":' + orjson.dumps(metadata(artifact)).decode() + "}"
        entries = [rendered[:-1] + closing for _id, rendered, _download in events]
        privileged = caller.is_admin or artifact.created_by == caller.user_id
        if privileged and artifact.sensitive:
            attempts = uow.artifacts.attempts([d for _i, _r, d in events if d])
            for index, (_id, rendered, download_id) in enumerate(events):
                attempt = attempts.get(download_id or 0)
                if attempt is not None:
                    outcome = "allowed" if attempt.allowed else "refused"
                    verdict = orjson.dumps(attempt.verdict).decode()  # text made plain on write
                    told = f',"outcome":"{outcome}","verdict":{verdict}'
                    entries[index] = rendered[:-1] + told + closing
    return Page(JsonText("[" + ",".join(entries) + "]"), str(events[-1][0]) if more else None)


__all__ = ["Page", "audit", "by_name", "by_regex", "get", "list_page", "load", "load_brief"]
