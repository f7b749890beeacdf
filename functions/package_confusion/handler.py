"""GET /admin/package-confusion (admins): artifacts that look like package-confusion attacks."""

from trustreg.http.endpoint import endpoint
from trustreg.services.confusion_audit import suspects


@endpoint("package_confusion")
def handler(request, principal):
    return suspects()
