"""DELETE /artifact/model/{id}/sensitive: remove the check; the model is no longer sensitive."""

from trustreg.http.endpoint import endpoint
from trustreg.services import sensitive


@endpoint("model_sensitive_delete")
def handler(request, principal):
    return sensitive.remove(principal, request.param("id"))
