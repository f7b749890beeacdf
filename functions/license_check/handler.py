"""POST /artifact/model/{id}/license-check: GitHub license vs the model's, for fine-tuning."""

from trustreg.http.endpoint import endpoint
from trustreg.services.license_check import check


@endpoint("license_check")
def handler(request, principal):
    return check(request.param("id"), request.json_object())
