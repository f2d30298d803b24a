"""Accounts in the domain: who may open and change them, which roles fit which organisation,
and what makes a password acceptable (NCSC: long enough, not common, no composition rules)."""

from __future__ import annotations

import pytest

from adapters.common_passwords import common_passwords
from adapters.personal_data import KeyVault
from domain.account import Account, checked_email, must_fit_role
from domain.actors import Actor
from domain.errors import InvalidInput, LifecycleError, PermissionDenied
from domain.limits import TextRefused
from domain.passwords import PasswordRefused, checked_password, password_problem

ADMIN = Actor("ada.admin", "administrator", "LEDGER")
OTHER_ADMIN = Actor("bo.admin", "administrator", "LEDGER")
INSPECTOR = Actor("ian.inspector", "inspector", "OFSTED")
AUDITOR = Actor("aud.itor", "auditor", "AUDIT")
OFFICER = Actor("olu.officer", "council_officer", "E09000002")
VAULT = KeyVault("sqlite://", bytes(32))  # real sealing, in memory


def seal(values):
    key_id = VAULT.new_person()
    return key_id, {field: VAULT.seal(key_id, value) for field, value in values.items()}


def opened(username: str = "jo.smith", role: str = "inspector", organisation: str = "OFSTED"):
    account = Account.open(
        ADMIN, username, "Jo Smith", role, organisation, "New starter", True, seal
    )
    account.collect_events()
    return account


@pytest.mark.parametrize("who", [INSPECTOR, AUDITOR, OFFICER, Actor("m", "moderator", "CQC")])
def test_only_an_administrator_may_open_an_account(who):
    with pytest.raises(PermissionDenied):
        Account.open(who, "jo.smith", "Jo Smith", "inspector", "OFSTED", "New starter", True, seal)


def test_an_opened_account_records_who_opened_it_and_why():
    account = Account.open(
        ADMIN, "jo.smith", "Jo Smith", "inspector", "OFSTED", "Joined", True, seal
    )
    (event,) = account.collect_events()
    assert isinstance(event, Account.Opened)
    assert (event.actor, event.reason, event.role, event.organisation) == (
        ADMIN,
        "Joined",
        "inspector",
        "OFSTED",
    )
    assert event.display_name.startswith("enc:v1:") and event.email == ""  # sealed, or none
    assert VAULT.open(event.display_name) == "Jo Smith"
    assert "Jo Smith" not in repr(event.__dict__)  # no plain name reaches the log


@pytest.mark.parametrize(
    ("role", "organisation", "is_council", "fits"),
    [
        ("inspector", "OFSTED", False, True),
        ("moderator", "CQC", False, True),
        ("inspector", "E09000002", True, False),
        ("council_officer", "E09000002", True, True),
        ("council_officer", "NOWHERE", False, False),
        ("council_officer", "OFSTED", False, False),
        ("auditor", "AUDIT", False, True),
        ("auditor", "LEDGER", False, False),
        ("administrator", "LEDGER", False, True),
        ("administrator", "OFSTED", False, False),
        ("superuser", "LEDGER", False, False),
    ],
)
def test_a_role_fits_only_its_kind_of_organisation(role, organisation, is_council, fits):
    if fits:
        must_fit_role(role, organisation, is_council)
    else:
        with pytest.raises(InvalidInput):
            must_fit_role(role, organisation, is_council)


def test_a_reason_is_required_for_every_change():
    with pytest.raises(TextRefused) as refused:
        opened().disable(ADMIN, "  ")
    assert refused.value.field == "reason"


def test_a_reason_over_its_limit_is_refused():
    with pytest.raises(TextRefused, match="1,000 characters or fewer"):
        opened().disable(ADMIN, "x" * 1001)


def test_changing_the_role_records_the_new_role_organisation_and_reason():
    account = opened()
    account.change_role(ADMIN, "moderator", "OFSTED", "Promoted", False)
    (event,) = account.collect_events()
    assert isinstance(event, Account.RoleChanged)
    assert (account.role, event.reason, event.actor) == ("moderator", "Promoted", ADMIN)


def test_the_same_role_again_is_refused():
    with pytest.raises(InvalidInput, match="already"):
        opened().change_role(ADMIN, "inspector", "OFSTED", "No change", False)


def test_an_administrator_may_not_disable_or_demote_their_own_account():
    own = opened("ada.admin", "administrator", "LEDGER")
    with pytest.raises(PermissionDenied, match="own account"):
        own.disable(ADMIN, "Leaving")
    with pytest.raises(PermissionDenied, match="own account"):
        own.change_role(ADMIN, "auditor", "AUDIT", "Moving", False)
    own.disable(OTHER_ADMIN, "Leaving")
    assert own.disabled


def test_a_disabled_account_is_not_disabled_twice_and_can_be_enabled():
    account = opened()
    account.disable(ADMIN, "Left")
    with pytest.raises(LifecycleError):
        account.disable(ADMIN, "Left again")
    with pytest.raises(LifecycleError, match="enable it first"):
        account.reset_password(ADMIN, "Forgot it")
    account.enable(ADMIN, "Came back")
    assert not account.disabled


def test_only_the_person_themselves_records_their_new_password_or_second_factor():
    account = opened()
    with pytest.raises(PermissionDenied):
        account.change_password(ADMIN)
    with pytest.raises(PermissionDenied):
        account.enrol_two_factor(ADMIN)
    me = Actor("jo.smith", "inspector", "OFSTED")
    account.change_password(me)
    account.enrol_two_factor(me)
    assert account.two_factor
    account.remove_two_factor(ADMIN, "Lost phone")
    assert not account.two_factor


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short-one", "12 characters or more"),
        ("elevenchars", "12 characters or more"),
        ("qwerty123456", "too common"),
        ("LeaveMeAlone", "too common"),
        ("jo.smith-is-here", "must not contain your username"),
        ("x" * 257, "256 characters or fewer"),
        ("bad\x00password!!", "U+0000"),
        ("correct horse battery", None),
        ("alllowercaseletters", None),  # no composition rules
        ("🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂", None),
    ],
)
def test_a_new_password_needs_12_characters_and_must_not_be_common(password, problem):
    found = password_problem(password, "jo.smith", common_passwords())
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_a_refused_password_names_the_password_field():
    with pytest.raises(PasswordRefused) as refused:
        checked_password("1qaz2wsx3edc", "jo", common_passwords())
    assert refused.value.field == "password"


def test_the_common_password_list_holds_the_ten_thousand_most_common():
    common = common_passwords()
    assert len(common) == 10_000
    assert {"123456", "password", "qwerty"} <= common


@pytest.mark.parametrize(
    "email", ["jo@example", "no-at-sign.gov.uk", "@example.gov.uk", "a b@x.uk"]
)
def test_an_email_address_must_look_like_one(email):
    with pytest.raises(TextRefused) as refused:
        checked_email(email)
    assert refused.value.field == "email"


def test_an_email_address_is_kept_trimmed():
    assert checked_email(" jo.smith@ofsted.gov.uk ") == "jo.smith@ofsted.gov.uk"
