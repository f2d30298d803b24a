"""Names for readers in place of stored codes: people, organisations, judgment areas.

The log keeps usernames, organisation codes (`OFSTED`, `E09000003`) and area keys
(`children_in_care`) because they never change; a page says who and what they are.
"""

from __future__ import annotations

from typing import Any, cast

from flask import current_app, g

from domain.actors import agency_name
from domain.frameworks import FRAMEWORKS

# the ledger's own actors, which have no account: said as what they did
SYSTEM_ACTORS = {
    "importer": "Import of the published record",
    "demo-seeder": "Demonstration set-up",
    "account-store": "Account take-on",
    "ledger-reader": "The ledger",
}


def _display_names() -> dict[str, str]:
    """Return every account's display name by lower-cased username, once per request."""
    if "display_names" not in g:
        store = current_app.extensions.get("identity")
        accounts = store.all() if store is not None else []
        g.display_names = {a.username.lower(): a.display_name for a in accounts}
    return cast(dict[str, str], g.display_names)


def person(user: Any, published: dict[str, str] | None = None) -> str:
    """Return the name of the person (a username or an Actor) as readers know them: as a
    published report names them (`published`, kept in its log), else as their account does
    ("Erased" once it is forgotten)."""
    username = str(getattr(user, "user", user) or "")
    if published and username in published:
        return published[username]
    if username in SYSTEM_ACTORS:
        return SYSTEM_ACTORS[username]
    return _display_names().get(username.lower(), username)


def organisation(code: str | None) -> str:
    """Return an inspectorate's, organisation's or council's name for its code."""
    from web.pages.common import council_names

    if not code:
        return ""
    named = agency_name(code)
    return named if named != code else council_names().get(code, code)


def _every_title() -> dict[str, str]:
    titles: dict[str, str] = {}
    for known in sorted(FRAMEWORKS.values(), key=lambda f: f.applies_from):
        titles.update(known.titles())
    return titles


EVERY_TITLE = _every_title()  # the newest framework's title where two share a key


def area_title(key: str | None, framework: str | None = None) -> str:
    """Return a judgment area's title (its framework's, else the newest); other text as is."""
    if not key:
        return ""
    own = FRAMEWORKS.get(framework or "")
    return (own.titles() if own else {}).get(key) or EVERY_TITLE.get(key, key)


def register_names(app: Any) -> None:
    app.add_template_filter(person)
    app.add_template_filter(organisation)
    app.add_template_filter(area_title)
