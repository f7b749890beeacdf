"""GET /artifact/model/{id}/sensitive: the model's check program (uploader and admins)."""

from trustreg.http.endpoint import endpoint
from trustreg.services import sensitive


@endpoint("model_sensitive_get")
def handler(request, principal):
    return sensitive.describe(principal, request.param("id"))
