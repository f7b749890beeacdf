"""GET /artifacts/{artifact_type}/{id}/download: 302 to a signed URL (or JSON with it)."""

from trustreg.http.endpoint import endpoint
from trustreg.http.responses import Response
from trustreg.services.downloads import grant


@endpoint("artifact_download")
def handler(request, principal):
    g = grant(
        principal, request.param("artifact_type"), request.param("id"), request.query.get("part")
    )
    if request.query.get("format") == "json" or request.header("accept") == "application/json":
        return g.as_json()
    return Response(status=302, body=g.as_json(), headers={"Location": g.url})
