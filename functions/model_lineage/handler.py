"""GET /artifact/model/{id}/lineage: the model's registered ancestors and descendants."""

from trustreg.http.endpoint import endpoint
from trustreg.services.lineage import graph


@endpoint("model_lineage")
def handler(request, principal):
    return graph(request.param("id"))
