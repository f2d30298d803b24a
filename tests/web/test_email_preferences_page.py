"""Your email choices: GOV.UK checkboxes of the optional emails, the statutory ones listed as
always sent; a saved choice is an event and redirects back (Post/Redirect/Get); it is linked
from Your notifications, which shows a turned-off email as not sent."""

from __future__ import annotations

from domain.account import Account, account_id
from projections.messages import optional_kinds
from tests.web.conftest import ACCOUNTS, Pages
from tests.web.test_notifications_page import notify

OFFICER = ACCOUNTS["officer"][0]
PAGE = "/account/email-preferences"


def test_the_page_lists_optional_emails_ticked_and_statutory_ones_as_always_sent(pages: Pages):
    pages.sign_in("officer")

    page = pages.get(PAGE)

    assert page.status_code == 200
    assert 'class="govuk-checkboxes__input"' in page.text
    for kind in ("draft_reminder", "challenge_reminder", "published"):
        assert f'value="{kind}" checked' in page.text
    assert 'value="notice"' not in page.text
    always = page.text.split('id="always-sent"')[1].split("</ul>")[0]
    assert "Notice that an inspection is coming" in always
    assert "A decision on a challenge" in always
    assert "published" not in always


def test_saving_a_choice_records_it_and_redirects_back(pages: Pages):
    pages.sign_in("officer")

    kept = [k for k in optional_kinds() if k != "published"]
    posted = pages.client.post(PAGE, data={"receive": kept})

    assert posted.status_code == 303 and posted.location.endswith(PAGE)
    again = pages.get(PAGE)
    assert "Your email choices have been saved" in again.text
    assert 'value="published" checked' not in again.text
    assert 'value="draft_reminder" checked' in again.text
    assert pages.app.extensions["identity"].get(OFFICER).emails_off == {"published"}
    (event,) = [
        e
        for e in pages.ledger.events_of(account_id(OFFICER))
        if isinstance(e, Account.EmailsChosen)
    ]
    assert event.off == ["published"]
    assert pages.client.post(PAGE, data={"receive": []}).status_code == 303
    assert pages.app.extensions["identity"].get(OFFICER).emails_off == set(optional_kinds())


def test_a_statutory_email_cannot_be_posted_as_a_choice(pages: Pages):
    pages.sign_in("officer")

    refused = pages.client.post(PAGE, data={"receive": ["notice"]})

    assert refused.status_code == 400
    assert "govuk-error-summary" in refused.text
    assert pages.app.extensions["identity"].get(OFFICER).emails_off == frozenset()


def test_your_notifications_links_here_and_shows_a_turned_off_email_as_not_sent(pages: Pages):
    pages.sign_in("officer")
    pages.client.post(PAGE, data={"receive": []})  # every optional email off
    sent = notify(pages)

    page = pages.get("/account/notifications")

    assert f'href="{PAGE}"' in page.text
    assert sent > 0 and "You turned these emails off" in page.text


def test_your_account_links_here(pages: Pages):
    pages.sign_in("inspector")

    assert f'href="{PAGE}"' in pages.get("/account").text


def test_the_page_needs_signing_in(pages: Pages):
    assert pages.get(PAGE).status_code in (302, 401)
