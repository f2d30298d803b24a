"""The service navigation each person sees, by role."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask_login import current_user

from domain.actors import Role


def _item(endpoint: str, text: str, *prefixes: str) -> dict[str, Any]:
    here = request.endpoint or ""
    active = here == endpoint or any(here.startswith(p) for p in prefixes)
    return {"href": url_for(endpoint), "text": text, "active": active}


def navigation() -> list[dict[str, Any]]:
    """Return the service navigation items for the signed-in person (or the public)."""
    items = [
        _item("public.index", "Ratings", "public.council", "public.report"),
        _item("statistics.page", "Statistics"),
    ]
    if not current_user.is_authenticated:
        return [*items, _item("auth.sign_in", "Sign in")]
    role = current_user.account.role
    if role in (Role.INSPECTOR, Role.MODERATOR, Role.COUNCIL_OFFICER):
        items.append(_item("workspace.work", "Work list"))
    if role in (Role.INSPECTOR, Role.MODERATOR):
        items.append(
            _item("inspectorate.choose_council", "Schedule an inspection", "inspectorate.schedule")
        )
    if role in (Role.INSPECTOR, Role.MODERATOR, Role.AUDITOR, Role.ADMINISTRATOR):
        items.append(_item("inspectorate.overview", "Inspection schedule"))
    if role in (Role.AUDITOR, Role.ADMINISTRATOR):
        items.append(_item("audit.home", "Audit", "audit."))
    return [*items, _item("auth.account", "Your account"), _item("auth.sign_out", "Sign out")]
