"""PUT /artifact/model/{id}/sensitive: attach (or replace) the model's JavaScript check."""

from trustreg.http.endpoint import endpoint
from trustreg.services import sensitive


@endpoint("model_sensitive_put")
def handler(request, principal):
    program = sensitive.program_from_body(request.body, request.header("content-type"))
    return sensitive.attach(principal, request.param("id"), program)
