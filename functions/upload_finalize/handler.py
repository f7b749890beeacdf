"""POST /artifact/{artifact_type}/upload-slot/{upload_id}/finalize: register the uploaded zip."""

from trustreg.http.endpoint import endpoint
from trustreg.http.responses import Response
from trustreg.services.uploads import finalize_slot


@endpoint("upload_finalize")
def handler(request, principal):
    artifact = finalize_slot(
        principal, request.param("artifact_type"), request.param("upload_id"), request.base_url
    )
    return Response(status=201, body=artifact)
