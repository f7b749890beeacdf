"""POST /artifact/{artifact_type}: register a model, dataset or code from a source URL."""

from trustreg.http.endpoint import endpoint
from trustreg.http.responses import Response
from trustreg.services.ingest import ingest


@endpoint("artifact_create")
def handler(request, principal):
    artifact = ingest(
        principal, request.param("artifact_type"), request.json_object(), request.base_url
    )
    return Response(status=201, body=artifact)
