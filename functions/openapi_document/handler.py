"""GET /openapi.json: this API's OpenAPI document; public, no database."""

from trustreg.http.endpoint import endpoint
from trustreg.openapi_doc import load_document


@endpoint("openapi_document")
def handler(request, principal):
    return load_document()
