"""The service navigation each person sees, by role."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask_login import current_user

from domain.actors import Role
from domain.permissions import may_read_concern
from web.pages.common import ledger


def _item(endpoint: str, text: str, *prefixes: str) -> dict[str, Any]:
    here = request.endpoint or ""
    active = here == endpoint or any(here.startswith(p) for p in prefixes)
    return {"href": url_for(endpoint), "text": text, "active": active}


def navigation() -> list[dict[str, Any]]:
    """Return the service navigation items for the signed-in person (or the public)."""
    items = [
        _item("public.index", "Ratings", "public.council", "public.report"),
        _item("setting_pages.index", "Settings", "setting_pages."),
        _item("statistics.page", "Statistics"),
    ]
    if not current_user.is_authenticated:
        return [*items, _item("auth.sign_in", "Sign in")]
    role = current_user.account.role
    if role in (Role.INSPECTOR, Role.MODERATOR, Role.COUNCIL_OFFICER, Role.ADJUDICATOR):
        items.append(_item("workspace.work", "Work list"))
    if role in (Role.INSPECTOR, Role.MODERATOR):
        items.append(
            _item("inspectorate.choose_council", "Schedule an inspection", "inspectorate.schedule")
        )
    if role in (Role.INSPECTOR, Role.MODERATOR, Role.AUDITOR, Role.ADMINISTRATOR):
        items.append(_item("inspectorate.overview", "Inspection schedule"))
    if may_read_concern(current_user.actor, ledger().policy.concerns_inspectorate):
        items.append(_item("concern_pages.index", "Concerns", "concern_pages.concern"))
    if role in (Role.AUDITOR, Role.ADMINISTRATOR):
        items.append(_item("audit.home", "Audit", "audit."))
    if role == Role.ADMINISTRATOR:
        items.append(_item("accounts.index", "Accounts", "accounts."))
    return [*items, _item("auth.account", "Your account"), _item("auth.sign_out", "Sign out")]
