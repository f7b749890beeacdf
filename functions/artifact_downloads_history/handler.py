"""GET /artifacts/{artifact_type}/{id}/downloads: who downloaded it and when (uploader, admin)."""

from trustreg.http.endpoint import endpoint
from trustreg.services.downloads import history


@endpoint("artifact_downloads_history")
def handler(request, principal):
    return history(principal, request.param("artifact_type"), request.param("id"))
