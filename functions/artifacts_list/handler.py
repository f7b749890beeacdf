"""POST /artifacts: artifacts matching any of the queries, one page at a time."""

from trustreg.http.endpoint import endpoint
from trustreg.http.responses import paged
from trustreg.services import catalog


@endpoint("artifacts_list")
def handler(request, principal):
    queries = catalog.parse_queries(request.json())
    page = catalog.list_page(
        queries,
        catalog.parse_offset(request.query.get("offset")),
        catalog.page_limit(request.query.get("limit")),
    )
    return paged(page.items, page.next_offset)
