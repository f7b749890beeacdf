"""POST /artifact/{artifact_type}/upload-slot: a signed URL to PUT a large zip to."""

from trustreg.http.endpoint import endpoint
from trustreg.http.responses import Response
from trustreg.services.uploads import open_slot


@endpoint("upload_slot")
def handler(request, principal):
    return Response(
        status=201, body=open_slot(principal, request.param("artifact_type"), request.json_object())
    )
