"""The wording of each notification: what happened, to which record, by when, and where to go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.errors import InvalidInput
from domain.inspection_types import inspection_type


def govuk_date(value: date) -> str:
    """Format a date as GOV.UK does: 9 December 2026."""
    return f"{value.day} {value:%B %Y}"


@dataclass(frozen=True)
class About:
    """The record a notification is about, as its reader knows it."""

    council_name: str
    type_key: str
    starts_on: date
    link: str

    @property
    def inspection(self) -> str:
        label = inspection_type(self.type_key).label.lower()
        return f"the {label} of {self.council_name} starting {govuk_date(self.starts_on)}"


SIGN_OFF = "This is an automatic message from the Inspection Ledger. Do not reply to it."


@dataclass(frozen=True)
class Wording:
    """A message's subject and paragraphs, with {placeholders}, and what its link leads to."""

    subject: str
    paragraphs: tuple[str, ...]
    link: str


WORDINGS = {
    "notice": Wording(
        "{council}: inspection starting {starts}",
        ("This is notice of {inspection}.",),
        "See the inspection",
    ),
    "draft_issued": Wording(
        "{council}: draft report to check by {deadline}",
        (
            "The draft report of {inspection} has been issued for a factual accuracy check.",
            "Send any factual accuracy comments by the end of {deadline}.",
        ),
        "Read the draft and comment",
    ),
    "draft_reminder": Wording(
        "{council}: factual accuracy comments due by {deadline}",
        (
            "This is a reminder that factual accuracy comments on the draft report of "
            "{inspection} are due by the end of {deadline}.",
        ),
        "Read the draft and comment",
    ),
    "final_issued": Wording(
        "{council}: final report issued, challenge by {deadline}",
        (
            "The final report of {inspection} has been issued.",
            "If you want to challenge it, lodge the challenge by the end of {deadline}.",
        ),
        "Read the final report",
    ),
    "challenge_reminder": Wording(
        "{council}: challenge window ends {deadline}",
        (
            "This is a reminder that a challenge to the final report of {inspection} must be "
            "lodged by the end of {deadline}.",
        ),
        "Read the final report",
    ),
    "challenge_closed": Wording(
        "{council}: challenge window closed {deadline}, no challenge lodged",
        (
            "No challenge to the final report of {inspection} was lodged by the end of "
            "{deadline}, when the window to challenge it closed.",
            "The report will now go on to publication.",
        ),
        "See the final report",
    ),
    "published": Wording(
        "{council}: report published {on}",
        ("The report of {inspection} was published on {on}.",),
        "See the published report",
    ),
    "challenge_lodged": Wording(
        "{council} challenged the report (reference {reference})",
        (
            "{council} has lodged a challenge to the report of {inspection}.",
            "Respond by the end of {deadline}.",
        ),
        "See the challenge",
    ),
    "comments_received": Wording(
        "{council} commented on the draft report",
        (
            "{council} has sent a factual accuracy comment on the draft report of {inspection}.",
            "Answer it before the final report is issued.",
        ),
        "Read and answer the comments",
    ),
    "comments_complete": Wording(
        "{council}: factual accuracy comments complete",
        (
            "{council} has said its factual accuracy comments on the draft report of "
            "{inspection} are complete.",
            "Once every comment is answered, the final report may be issued.",
        ),
        "See the draft and its comments",
    ),
    "challenge_escalated": Wording(
        "{council} escalated its challenge to the {stage} stage",
        (
            "{council} has escalated its challenge to the report of {inspection} "
            "to the {stage} stage.",
            "Respond by the end of {deadline}.",
        ),
        "See the challenge",
    ),
    "plan_submitted": Wording(
        "{council} submitted its action plan",
        ("{council} submitted its action plan answering {inspection} on {on}.",),
        "Read the action plan",
    ),
    "plan_reminder": Wording(
        "{council}: action plan due by {deadline}",
        (
            "This is a reminder that the action plan answering {inspection} is due by the "
            "end of {deadline}.",
        ),
        "See the action plan",
    ),
    "plan_missed": Wording(
        "{council}: action plan not submitted by {deadline}",
        (
            "The action plan answering {inspection} was due by the end of {deadline} and has "
            "not been submitted.",
        ),
        "See the action plan",
    ),
    "action_reminder": Wording(
        "{council}: action {action} due by {deadline}",
        (
            "This is a reminder that action {action} of the action plan answering "
            "{inspection} is due to be complete by the end of {deadline}.",
        ),
        "See the action plan",
    ),
    "action_missed": Wording(
        "{council}: action {action} not complete by {deadline}",
        (
            "Action {action} of the action plan answering {inspection} was due to be "
            "complete by the end of {deadline} and is not.",
        ),
        "See the action plan",
    ),
    "findings_awaited": Wording(
        "{council}: {agency}'s findings needed for the joint letter",
        (
            "Fieldwork of {inspection} began on {on}. {agency} takes part, led by {led_by}.",
            "Record {agency}'s findings: the joint letter cannot be issued until every "
            "partner has recorded theirs.",
        ),
        "Record your findings",
    ),
    "findings_still_awaited": Wording(
        "{council}: the joint letter awaits {agency}'s findings",
        (
            "{led_by} finished the fieldwork of {inspection} on {on}, and {agency} has recorded "
            "no findings yet.",
            "The joint letter cannot be issued until {agency} records its findings.",
        ),
        "Record your findings",
    ),
    "challenge_decided": Wording(
        "{council}: your challenge was decided ({outcome})",
        ("Your challenge to the report of {inspection} was decided on {on}: {outcome}.",),
        "See the decision",
    ),
}


# The kinds a person may turn off. Every other kind (those here now, and any added to WORDINGS
# later) is statutory: it tells of a step or a deadline the law sets, and is always sent.
OPTIONAL = frozenset(
    {
        "draft_reminder",
        "challenge_reminder",
        "plan_reminder",
        "action_reminder",
        "findings_still_awaited",
        "published",
    }
)


def statutory(kind: str) -> bool:
    """Say whether a kind of message is always sent (it cannot be turned off)."""
    return kind not in OPTIONAL


def optional_kinds() -> list[str]:
    """Return the kinds a person may turn off, in the order WORDINGS lists them."""
    return [kind for kind in WORDINGS if not statutory(kind)]


def statutory_kinds() -> list[str]:
    """Return the kinds always sent, in the order WORDINGS lists them."""
    return [kind for kind in WORDINGS if statutory(kind)]


def turned_off(kind: str, off: frozenset[str]) -> bool:
    """Say whether a message of this kind is not to be sent to someone who turned these kinds
    off (never a statutory one, whatever they hold)."""
    return kind in off and not statutory(kind)


class EmailChoiceRefused(InvalidInput):
    """A person asked to turn off an email that is unknown or statutory."""

    rule = "email-choice-refused"
    field = "emails_off"


def checked_off(kinds: list[str]) -> frozenset[str]:
    """Return the kinds a person turns off, refusing one the ledger does not send or one that
    is statutory (always sent)."""
    for kind in kinds:
        if kind not in WORDINGS:
            raise EmailChoiceRefused(f"'{kind[:60]}' is not an email the ledger sends")
        if statutory(kind):
            raise EmailChoiceRefused(
                f"'{kind}' emails tell of a statutory step or deadline and cannot be turned off"
            )
    return frozenset(kinds)


def compose(kind: str, about: About, **values: date | str) -> tuple[str, str]:
    """Return the subject and body of a notification of this kind about this record; dates
    among the values are written as GOV.UK writes them."""
    wording = WORDINGS[kind]
    known = {
        "council": about.council_name,
        "inspection": about.inspection,
        "starts": govuk_date(about.starts_on),
        **{k: govuk_date(v) if isinstance(v, date) else v for k, v in values.items()},
    }
    paragraphs = [p.format(**known) for p in wording.paragraphs]
    body = "\n\n".join([*paragraphs, f"{wording.link}: {about.link}", SIGN_OFF])
    return wording.subject.format(**known), body + "\n"
