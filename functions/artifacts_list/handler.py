"""POST /artifacts: artifacts matching any of the queries, one page at a time."""

from trustreg.http.endpoint import endpoint
from trustreg.http.responses import Response
from trustreg.services import catalog


@endpoint("artifacts_list")
def handler(request, principal):
    queries = catalog.parse_queries(request.json())
    page = catalog.list_page(
        queries,
        catalog.parse_offset(request.query.get("offset")),
        catalog.page_limit(request.query.get("limit")),
    )
    headers = {"offset": page.next_offset} if page.next_offset else {}
    return Response(body=page.items, headers=headers)
