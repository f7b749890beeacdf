"""PUT /artifacts/{artifact_type}/{id}: replace an artifact's contents from a new URL."""

from trustreg.http.endpoint import endpoint
from trustreg.services.ingest import update


@endpoint("artifact_update")
def handler(request, principal):
    return update(
        principal,
        request.param("artifact_type"),
        request.param("id"),
        request.json_object(),
        request.base_url,
    )
