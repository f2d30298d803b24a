"""Security at the edge: proxy headers, cookies, response headers (flask-talisman), caching.

* Behind a TLS proxy (LEDGER_BEHIND_PROXY=1) ProxyFix trusts one hop of X-Forwarded-For and
  X-Forwarded-Proto, so the client's address is throttled and HTTPS is recognised.
* The session cookie is HttpOnly, SameSite=Lax, and Secure whenever the request came over HTTPS.
* A Content-Security-Policy with a per-request nonce (GOV.UK Frontend's inline script carries
  it as `cspNonce`), no framing, HSTS over HTTPS, nosniff and a same-origin Referrer-Policy.
* `Cache-Control: no-store` on every API answer and every page of a signed-in person; public
  pages and reads get their validators and caching in web/caching.py; assets keep theirs.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets

from flask import Flask, Response, current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

from adapters.config import SecuritySettings
from web.caching import init_caching

SELF = "'self'"
POLICY = {
    "default-src": SELF,
    "script-src": SELF,
    "style-src": SELF,
    "img-src": [SELF, "data:"],
    "font-src": SELF,
    "connect-src": SELF,
    "form-action": SELF,
    "base-uri": SELF,
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}
PUBLIC_FILES = {"static", "govuk_assets", "govuk_frontend", "autocomplete"}
# Pages of someone not yet signed in that must never be cached: the sign-in form's CSRF token
# belongs to one browser; the later steps show a two-factor key and recovery codes.
UNSIGNED_FORMS = {
    "auth.sign_in",
    "sign_in_steps.code",
    "sign_in_steps.new_password",
    "sign_in_steps.set_up",
    "sign_in_steps.finish",
}


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def _nonce() -> dict[str, str]:
    """Give templates the request's nonce (made here if talisman's hook has not run)."""
    if not getattr(request, "csp_nonce", None):
        request.csp_nonce = secrets.token_urlsafe(16)  # type: ignore[attr-defined]
    return {"cspNonce": request.csp_nonce}  # type: ignore[attr-defined]


def _no_store(response: Response) -> Response:
    signed_in = "_user_id" in session and request.endpoint not in PUBLIC_FILES
    if request.path.startswith("/api/") or signed_in or request.endpoint in UNSIGNED_FORMS:
        response.headers["Cache-Control"] = "no-store"
    return response


def metrics_allowed() -> bool:
    """Say whether this request may read /metrics: an allowed address, or the bearer token."""
    settings: SecuritySettings = current_app.config["SECURITY"]
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if settings.metrics_token and scheme.lower() == "bearer":
        return hmac.compare_digest(token.strip().encode(), settings.metrics_token.encode())
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(n, strict=False) for n in settings.metrics_allow)


def init_security(app: Flask, settings: SecuritySettings) -> None:
    """Wire proxy headers, cookie flags, security headers and Cache-Control."""
    if settings.behind_proxy:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    app.session_interface = SessionCookies()
    init_caching(app)  # before Talisman: its hook runs first, so a 304 can drop the new nonce
    Talisman(
        app,
        force_https=False,  # a TLS proxy redirects; the app itself may be reached over HTTP
        session_cookie_secure=False,  # SessionCookies decides per request
        session_cookie_samesite="Lax",
        content_security_policy=POLICY,
        content_security_policy_nonce_in=["script-src"],
        frame_options="DENY",
        referrer_policy="same-origin",
    )
    app.context_processor(_nonce)
    app.after_request(_no_store)
