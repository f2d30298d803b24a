"""HTML pages, one blueprint per audience, on the GOV.UK Design System."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, send_from_directory
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

ROOT = Path(__file__).resolve().parents[2]


def govuk_frontend_dir(app: Flask) -> Path:
    """Return the installed govuk-frontend `dist/govuk` folder (npm package, not in git)."""
    configured = app.config.get("GOVUK_FRONTEND_DIR")
    return Path(configured) if configured else ROOT / "node_modules/govuk-frontend/dist/govuk"


def init_pages(app: Flask) -> None:
    """Wire templates, forms, sign-in, assets, error pages and the page blueprints."""
    from web import auth, errors, own_account, sign_in_steps
    from web.pages import (
        accounts,
        audit,
        concerns,
        council,
        help,
        inspectorate,
        inspectorate_steps,
        interventions,
        public,
        reports,
        settings,
        statistics,
        workspace,
    )
    from web.pages.common import register_globals

    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,  # type: ignore[list-item]
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # the session's life bounds the token
    WTFormsHelpers(app)
    register_globals(app)
    auth.init_auth(app)
    _serve_assets(app)
    assert inspectorate_steps.bp is inspectorate.bp  # its routes join the inspectorate's
    blueprints = (
        public.bp,
        settings.bp,
        concerns.bp,
        auth.bp,
        workspace.bp,
        inspectorate.bp,
        council.bp,
        audit.bp,
        interventions.bp,
        reports.bp,
        sign_in_steps.bp,
        own_account.bp,
        accounts.bp,
        statistics.bp,
        help.bp,
    )
    errors.init_errors(app)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def _serve_assets(app: Flask) -> None:
    """Serve GOV.UK Frontend's CSS, JS, fonts and images from the npm package."""
    dist = govuk_frontend_dir(app)

    @app.get("/assets/<path:filename>", endpoint="govuk_assets")
    def assets(filename: str):  # type: ignore[no-untyped-def]
        return send_from_directory(dist / "assets", filename, max_age=3600)

    @app.get("/govuk-frontend/<any('govuk-frontend.min.css','govuk-frontend.min.js'):name>")
    def govuk_frontend(name: str):  # type: ignore[no-untyped-def]
        if not (dist / name).exists():
            abort(404)
        return send_from_directory(dist, name, max_age=3600)

    picker = ROOT / "node_modules/accessible-autocomplete/dist"

    @app.get(
        "/autocomplete/<any('accessible-autocomplete.min.css','accessible-autocomplete.min.js'):name>"
    )
    def autocomplete(name: str):  # type: ignore[no-untyped-def]
        """GOV.UK's accessible autocomplete, which enhances the staff council pickers."""
        if not (picker / name).exists():
            abort(404)
        return send_from_directory(picker, name, max_age=3600)
