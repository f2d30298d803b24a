"""Choosing emails in the domain: only the account's own person; the same choice is refused
(nothing to record); which kinds may be turned off is decided by kind in one place."""

from __future__ import annotations

import pytest

from domain.account import Account, EmailsUnchanged
from domain.actors import Actor
from domain.errors import PermissionDenied
from projections import messages
from projections.messages import EmailChoiceRefused, checked_off, statutory, turned_off
from web.forms_account import EMAIL_NAMES

ADMIN = Actor("ada.admin", "administrator", "LEDGER")
JO = Actor("jo.smith", "inspector", "OFSTED")


def opened() -> Account:
    account = Account.open(ADMIN, "jo.smith", "Jo Smith", "inspector", "OFSTED", "Joined", True)
    account.collect_events()
    return account


def test_a_person_turns_their_own_optional_emails_off_and_on():
    account = opened()
    account.choose_emails(JO, frozenset({"published", "draft_reminder"}))
    account.choose_emails(JO, frozenset())
    first, second = account.collect_events()
    assert isinstance(first, Account.EmailsChosen) and first.off == ["draft_reminder", "published"]
    assert second.off == [] and account.emails_off == frozenset()


def test_nobody_chooses_for_another_and_the_same_choice_records_nothing():
    account = opened()
    with pytest.raises(PermissionDenied):
        account.choose_emails(ADMIN, frozenset({"published"}))
    with pytest.raises(EmailsUnchanged):
        account.choose_emails(JO, frozenset())
    assert account.collect_events() == []


def test_every_kind_is_statutory_unless_listed_optional():
    assert {k for k in messages.WORDINGS if not statutory(k)} == messages.OPTIONAL
    assert statutory("a_kind_added_later") and statutory("notice")
    assert set(messages.optional_kinds()) | set(messages.statutory_kinds()) == set(
        messages.WORDINGS
    )
    assert not turned_off("notice", frozenset({"notice"}))
    assert turned_off("published", frozenset({"published"}))


@pytest.mark.parametrize("kind", ["notice", "final_issued", "unheard_of", ""])
def test_a_statutory_or_unknown_kind_cannot_be_turned_off(kind):
    with pytest.raises(EmailChoiceRefused) as refused:
        checked_off(["published", kind])
    assert refused.value.field == "emails_off"
    assert checked_off(["published", "published"]) == {"published"}


def test_every_kind_of_email_is_named_on_the_preferences_page():
    assert set(EMAIL_NAMES) == set(messages.WORDINGS)
