"""POST /artifact/model/{id}/rate: compute the rating again (uploader or admin); history kept."""

from trustreg.http.endpoint import endpoint
from trustreg.services import rating_service


@endpoint("model_rerate")
def handler(request, principal):
    return rating_service.recompute(principal, request.param("id"))
