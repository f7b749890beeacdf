"""GET /artifact/{artifact_type}/{id}/audit: who did what to an artifact, and when."""

from trustreg.http.endpoint import endpoint
from trustreg.http.responses import paged
from trustreg.services import catalog


@endpoint("artifact_audit")
def handler(request, principal):
    page = catalog.audit(
        principal,
        request.param("artifact_type"),
        request.param("id"),
        catalog.parse_offset(request.query.get("offset")),
        # Up to 1000 entries unless asked for fewer: a client that ignores the offset header
        # still sees the whole trail of all but the busiest artifacts.
        catalog.page_limit(request.query.get("limit"), default=catalog.MAX_PAGE, unit="entries"),
    )
    return paged(page.items, page.next_offset)
