"""GET /artifacts/{artifact_type}/{id}: one artifact with its source and download URLs."""

from trustreg.http.endpoint import endpoint
from trustreg.services import catalog


@endpoint("artifact_get")
def handler(request, principal):
    return catalog.get(request.param("artifact_type"), request.param("id"), request.base_url)
