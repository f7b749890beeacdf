"""POST /artifact/{artifact_type}/upload?name=...: register a zip sent as the request body."""

from trustreg.http.endpoint import endpoint
from trustreg.http.responses import Response
from trustreg.services.uploads import upload_direct


@endpoint("artifact_upload")
def handler(request, principal):
    artifact = upload_direct(
        principal, request.param("artifact_type"), request.query, request.body, request.base_url
    )
    return Response(status=201, body=artifact)
