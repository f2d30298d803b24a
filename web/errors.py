"""Error pages in the GOV.UK style: 404, 403 (including the domain's refusals), 413 and 500."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from domain.errors import NotFound, PermissionDenied
from web.api.problems import from_http_exception, too_large_limit


def _is_api() -> bool:
    return request.path.startswith("/api/")


def forbidden(error: PermissionDenied) -> ResponseReturnValue:
    return render_template("errors/403.html", message=error.message), 403


def missing(error: NotFound) -> ResponseReturnValue:
    return render_template("errors/404.html"), 404


def handle_refusals(blueprint: Blueprint) -> Blueprint:
    """Show the domain's refusals raised by this blueprint's pages as 403 and 404 pages."""
    blueprint.register_error_handler(PermissionDenied, forbidden)
    blueprint.register_error_handler(NotFound, missing)
    return blueprint


def init_errors(app: Flask) -> None:
    """Render missing pages and failures as pages, leaving the JSON API its own errors."""

    @app.errorhandler(404)
    def not_found(error: HTTPException) -> ResponseReturnValue:
        if _is_api():
            return error
        return render_template("errors/404.html"), 404

    @app.errorhandler(403)
    def http_forbidden(error: HTTPException) -> ResponseReturnValue:
        if _is_api():
            return error
        return render_template("errors/403.html", message=None), 403

    @app.errorhandler(413)
    def too_large(error: HTTPException) -> ResponseReturnValue:
        if _is_api():
            return from_http_exception(error)
        return render_template("errors/413.html", limit=too_large_limit()), 413

    @app.errorhandler(500)
    def broken(error: Exception) -> ResponseReturnValue:
        if _is_api():
            return {"title": "Internal Server Error", "status": 500}, 500
        return render_template("errors/500.html"), 500
