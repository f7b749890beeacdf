"""POST /artifact/byRegEx: artifacts whose name or model card matches a regular expression."""

from trustreg.http.endpoint import endpoint
from trustreg.services import catalog


@endpoint("artifact_by_regex")
def handler(request, principal):
    return catalog.by_regex(request.json_object().get("regex"))
