"""Help made from the frameworks' data, and the service's own pages, without sign-in."""

from __future__ import annotations

import html

import pytest

from domain.frameworks import FRAMEWORKS


def test_the_help_explains_every_framework_from_its_data(pages):
    page = html.unescape(pages.get("/help").text)
    for chosen in FRAMEWORKS.values():
        assert f'id="{chosen.key}"' in page and chosen.title in page
    assert "From 1 November 2013 to 31 December 2017" in page  # SIF
    assert "standard inspections went on to 30 June 2018" in page
    assert "counted Inadequate when any judgment is Inadequate" in page  # ILACS 2026
    assert "A regulated setting, never its council’s services" in page  # SCCIF
    assert "Care Quality Commission" in page and "`" not in page


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/accessibility", "WCAG version 2.2 AA"),
        ("/privacy", "Information Commissioner"),
        ("/cookies", "We do not use analytics or advertising cookies"),
        ("/contact", "mailto:ops@ledger.test"),
    ],
)
def test_the_services_own_pages_are_linked_from_every_page_footer(pages, path, says):
    pages.app.config["CONTACT_EMAIL"] = "ops@ledger.test"
    assert f'href="{path}"' in pages.get("/").text
    response = pages.get(path)
    assert response.status_code == 200 and says in response.text
