"""GET /dashboard: the operators' page (HTML, inline CSS/JS allowed by a per-response nonce)."""

import secrets
from pathlib import Path

from trustreg.http.endpoint import endpoint
from trustreg.http.responses import Response

_HERE = Path(__file__).resolve().parent
# Assembled once per container; only the nonce changes per response.
_PAGE = (
    (_HERE / "page.html")
    .read_text(encoding="utf-8")
    .replace("{{css}}", (_HERE / "page.css").read_text(encoding="utf-8"))
    .replace("{{js}}", (_HERE / "page.js").read_text(encoding="utf-8"))
)
# Everything the page needs is inline or same-origin: no CDN, nothing else may load or run.
_CSP = (
    "default-src 'none'; script-src 'nonce-{n}'; style-src 'nonce-{n}'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


@endpoint("dashboard")
def handler(request, principal):
    nonce = secrets.token_urlsafe(18)
    return Response(
        raw=_PAGE.replace("{{nonce}}", nonce).encode("utf-8"),
        content_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": _CSP.format(n=nonce)},
    )
