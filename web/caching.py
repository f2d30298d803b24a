"""HTTP caching: validators, Cache-Control and conditional GETs for what the public may read.

* An answer's validator is a hash of its body (for a page, with the request's CSP nonce left
  out), so it says nothing but what the body says: an unpublished change that leaves a public
  page as it was leaves its `ETag` as it was.
* A public page is rebuilt only when something it could read has changed: each worker keeps the
  `ETag` it last sent for a URL with the change stamps of every read-model table, the head of
  the log and the day, read in two small queries before the page is built. While those are
  unchanged, `If-None-Match` naming that `ETag` gets a 304 without building the page.
* Anonymous answers (no session user, no `Authorization`, no cookie set) are
  `public, max-age=N, stale-while-revalidate=N` (`LEDGER_PUBLIC_MAX_AGE`, default 60 seconds);
  everything else is `private, no-store`. Every answer says `Vary: Cookie, Authorization`.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request, session
from sqlalchemy import select

from adapters.persistence import single_statements
from projections.changes import changes
from web.api.cache import ResponseCache, Validator
from web.api.preconditions import CONTENT_TAG, content_tag, none_match, not_modified, unquoted

DEFAULT_MAX_AGE = 60
PRIVATE = "private, no-store"
PUBLIC_PAGES = {  # the pages anyone may read, whose bodies depend only on the URL and the log
    "public.index",
    "public.council",
    "public.report",
    "report_pages.changes",
    "statistics.page",
    "statistics.figures_download",
    "statistics.ratings_download",
    "setting_pages.index",
    "setting_pages.setting",
    "help.frameworks",
    "help.page",
}


def page_tag(body: bytes) -> str:
    """Return a page's validator: weak, as the nonce in its scripts differs per request."""
    nonce = getattr(request, "csp_nonce", None)
    return "W/" + content_tag(body.replace(nonce.encode(), b"") if nonce else body)


def anonymous() -> bool:
    """Say whether the request comes from nobody in particular (no session user, no token)."""
    return "Authorization" not in request.headers and "_user_id" not in session


def public_directives() -> str:
    seconds = int(current_app.config.get("PUBLIC_MAX_AGE", DEFAULT_MAX_AGE))
    return f"public, max-age={seconds}, stale-while-revalidate={seconds}"


def _tags() -> ResponseCache[Validator]:
    found: ResponseCache[Validator] = current_app.extensions["page_tags"]
    return found


def _page_stamps() -> tuple[object, ...]:
    """Every read-model table's stamp, the head of the log and the day: what a page may read."""
    services = current_app.extensions["ledger_services"]
    with single_statements(services.read_models.engine) as conn:
        rows = conn.execute(select(changes.c.name, changes.c.stamp).order_by(changes.c.name))
        seen = tuple(rows.tuples().all())
    ledger = services.ledger
    return seen, ledger.recorder.max_notification_id() or 0, ledger.today().isoformat()


def _public_page() -> bool:
    return request.method in ("GET", "HEAD") and request.endpoint in PUBLIC_PAGES and anonymous()


def _answer_unchanged_page() -> Response | None:
    """Answer 304 before building a public page whose validator is still the one named."""
    if not _public_page():
        return None
    g.page_stamps = _page_stamps()
    known = _tags().get((request.url,), g.page_stamps)
    if known is not None and request.if_none_match and none_match(known.tag):
        return not_modified(known.tag)  # the page is not built
    return None


def _cache_headers(response: Response) -> Response:
    """Say who may keep the answer; give public pages and API reads their validators."""
    response.vary.update(("Cookie", "Authorization"))
    if request.path.startswith("/api/"):
        _validate_api_answer(response)
    elif request.endpoint in PUBLIC_PAGES and response.status_code == 200:
        _validate_page(response)
    if response.status_code == 304:
        response.headers.pop("Content-Security-Policy", None)  # the stored page's nonce stands
    if "Cache-Control" in response.headers and response.status_code not in (200, 304):
        return response  # assets and the like keep their own; errors keep no-store
    shareable = anonymous() and not session.modified  # a cookie set is one browser's
    reading = request.method in ("GET", "HEAD")
    if reading and (request.path.startswith("/api/") or request.endpoint in PUBLIC_PAGES):
        response.headers["Cache-Control"] = public_directives() if shareable else PRIVATE
    return response


def _validate_page(response: Response) -> None:
    if response.direct_passthrough or not _public_page():
        return
    tag = page_tag(response.get_data())
    stamps = g.get("page_stamps")
    if stamps is not None:
        _tags().put((request.url,), Validator(stamps, tag))
    response.set_etag(*unquoted(tag))
    response.make_conditional(request)


def _validate_api_answer(response: Response) -> None:
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return
    if response.direct_passthrough:
        return
    if "ETag" not in response.headers:
        response.set_etag(*unquoted(content_tag(response.get_data())))
    if response.headers["ETag"].startswith(CONTENT_TAG):  # not a record's version (If-Match)
        response.make_conditional(request)


def init_caching(app: Flask) -> None:
    """Wire validators and Cache-Control; call before Talisman, so this runs after its hook."""
    size = int(app.config.get("PAGE_TAGS_SIZE", 2048))
    app.extensions["page_tags"] = ResponseCache[Validator](size)
    app.before_request(_answer_unchanged_page)
    app.after_request(_cache_headers)
