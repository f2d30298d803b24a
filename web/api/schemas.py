"""Request bodies of the API's commands, in one place (marshmallow 4; unknown fields refused).

Every text field takes its limits from `domain.limits`, the one definition the forms, the
importers and the aggregates use too."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from domain import limits
from domain.actors import AGENCIES
from domain.challenge import OUTCOMES
from domain.challenge_rules import SUBJECTS
from domain.concern import OUTCOMES as CONCERN_OUTCOMES
from domain.concern import RELATIONSHIPS, RISKS
from domain.council import INTERVENTIONS
from domain.frameworks import FRAMEWORKS
from domain.inspection_types import INSPECTION_TYPES
from domain.setting import SETTING_TYPES

Text = fields.String


def described(text: str) -> dict[str, str]:
    return {"description": text}


def within(limit: limits.TextLimit | limits.ListLimit) -> list[Any]:
    """Validators of one field: its documented length (OpenAPI) and the domain's own check."""

    def check(value: Any) -> None:
        message = limit.problem(value)
        if message:
            raise ValidationError(message)

    if isinstance(limit, limits.ListLimit):
        return [validate.Length(max=limit.max_items), check]
    return [validate.Length(1 if limit.required else 0, limit.max_length), check]


def optional(limit: limits.TextLimit) -> list[Any]:
    """Validators of a code that may be left empty, and is otherwise within `limit`."""

    def check(value: Any) -> None:
        message = limit.problem(value) if value != "" else None
        if message:
            raise ValidationError(message)

    return [validate.Length(0, limit.max_length), check]


def limited(limit: limits.TextLimit, text: str = "", **kwargs: Any) -> fields.String:
    """A text field within `limit`; required when the limit says it may not be blank."""
    kwargs.setdefault("required", limit.required)
    if not kwargs["required"]:
        kwargs.setdefault("load_default", "")
    return Text(validate=within(limit), metadata=described(text or limit.label), **kwargs)


def lines(limit: limits.ListLimit) -> fields.List:
    """Lines of narrative or evidence: short items, as a report lists them."""
    item = Text(validate=within(limit.item))
    return fields.List(item, load_default=list, validate=within(limit))


class ScheduleInspection(Schema):
    council = limited(limits.COUNCIL_CODE, "Council's ONS code, e.g. E09000002")
    type = Text(required=True, validate=validate.OneOf(list(INSPECTION_TYPES)))
    starts_on = fields.Date(required=True, metadata=described("First day on site"))
    framework = Text(
        load_default=None,
        validate=validate.OneOf(list(FRAMEWORKS)),
        metadata=described("Chosen from the type and start date when omitted"),
    )
    agencies = fields.List(
        Text(validate=validate.OneOf(list(AGENCIES))),
        load_default=list,
        metadata=described("Partner inspectorates besides the framework's own"),
    )
    theme = limited(limits.THEME)
    reason = limited(
        limits.SCHEDULING_REASON, "Why a type other than the one the council's history calls for"
    )
    reason_concern = limited(
        limits.REASON_CONCERN,
        "A concern kept as intelligence on the council's record that brings the visit forward",
    )
    setting_urn = Text(
        load_default="",
        validate=optional(limits.SETTING_URN),
        metadata=described(
            "The regulated setting inspected (SCCIF only), its Ofsted URN, e.g. SC999001; "
            "the council is then the one whose area it is in"
        ),
    )


class Narrative(Schema):
    strengths = lines(limits.STRENGTHS)
    areas_for_improvement = lines(limits.AREAS_FOR_IMPROVEMENT)
    recommendations = lines(limits.RECOMMENDATIONS)


class RecordFinding(Narrative):
    agency = Text(required=True, validate=validate.OneOf(list(AGENCIES)))
    summary = limited(limits.SUMMARY, "What the agency found")
    priority_action = fields.Boolean(
        load_default=False, metadata=described("An area for priority action (focused visits)")
    )


class Judgment(Narrative):
    area = limited(limits.JUDGMENT_AREA, "Judgment area key, or 'overall'")
    grade = limited(
        limits.GRADE,
        "A grade on the framework's scale, or 'Not judged' for an area the framework lets go "
        "ungraded where there was nothing to judge (SIF: children looked after, adoption, "
        "care leavers); elsewhere 'Not judged' is refused (judgment-required)",
    )


class RecordJudgments(Schema):
    judgments = fields.List(
        fields.Nested(Judgment), required=True, validate=validate.Length(1, limits.MAX_JUDGMENTS)
    )


class CommentOnDraft(Schema):
    comment = limited(limits.COMMENT)
    section = limited(
        limits.REPORT_SECTION, "The report section commented on (e.g. area:leaders); none: all"
    )
    complete = fields.Boolean(
        load_default=False, metadata=described("The council has no further comments")
    )


class SectionText(Schema):
    """The parts of a report section that change (headline, improve, partner: `text`)."""

    text = Text(validate=within(limits.REPORT_PARTS["text"]))
    working_well = Text(validate=within(limits.REPORT_PARTS["working_well"]))
    needs_to_improve = Text(validate=within(limits.REPORT_PARTS["needs_to_improve"]))
    recommendations = Text(validate=within(limits.REPORT_PARTS["recommendations"]))


class AnswerComment(SectionText):
    accepted = fields.Boolean(required=True, metadata=described("Accepted, with the change"))
    reason = limited(limits.ANSWER_REASON, "Why not accepted (or what was changed)")


class Reason(Schema):
    reason = limited(limits.REASON, "Why")


class LodgeChallenge(Schema):
    subject = Text(required=True, validate=validate.OneOf(list(SUBJECTS)))
    reference = limited(limits.REFERENCE, "The judgment area or finding reference challenged")
    grounds = limited(limits.GROUNDS, "Why the council disputes it")
    evidence = lines(limits.EVIDENCE)


class DecideChallenge(Schema):
    outcome = Text(required=True, validate=validate.OneOf(list(OUTCOMES)))
    reasons = limited(limits.REASONS, "The reasons for the decision")
    evidence = lines(limits.EVIDENCE)
    revisions = fields.Dict(
        keys=Text(validate=within(limits.JUDGMENT_AREA)),
        values=Text(validate=within(limits.GRADE)),
        validate=validate.Length(max=limits.MAX_JUDGMENTS),
        load_default=dict,
        metadata=described("New grade per judgment area, for an upheld challenge"),
    )
    withdraw_report = fields.Boolean(load_default=False)


class Escalate(Schema):
    grounds = limited(limits.GROUNDS, "Why the council takes it further")


class AdjudicatorRecommendation(Schema):
    outcome = Text(required=True, validate=validate.OneOf(list(OUTCOMES)))
    recommendation = limited(limits.RECOMMENDATION, "What the adjudicator recommended")
    adjudicator_name = limited(
        limits.ADJUDICATOR_NAME,
        "Who the adjudicator was: required when the inspectorate keys the finding in",
    )
    evidence = lines(limits.EVIDENCE)  # e.g. the adjudicator's letter: required when keyed in


class SubmitActionPlan(Schema):
    summary = limited(limits.PLAN_SUMMARY, "The written plan, or a summary of it")


class AddAction(Schema):
    area = limited(limits.ACTION_AREA, required=True)
    recommendation = limited(limits.ACTION_RECOMMENDATION, required=True)
    description = limited(limits.DESCRIPTION, "What will be done")
    owner = limited(limits.OWNER, "Who is responsible")
    due_on = fields.Date(required=True)


class ActionProgress(Schema):
    note = limited(limits.NOTE, "Progress made")
    evidence = lines(limits.EVIDENCE)


class Evidence(Schema):
    evidence = lines(limits.EVIDENCE)


class RecordIntervention(Schema):
    kind = Text(required=True, validate=validate.OneOf(list(INTERVENTIONS)))
    on = fields.Date(required=True)
    details = limited(limits.DETAILS)


ROLE_VALUES = ["inspector", "moderator", "council_officer", "auditor", "administrator"]


class AccountReason(Schema):
    reason = limited(limits.ACCOUNT_REASON, "Why: recorded in the log with the change")


class ChangeAccountRole(AccountReason):
    role = Text(required=True, validate=validate.OneOf(ROLE_VALUES))
    organisation = limited(
        limits.ORGANISATION, "An inspectorate, a council's code, AUDIT or LEDGER"
    )


class CreateAccount(ChangeAccountRole):
    username = limited(limits.USERNAME, "One word; it cannot change")
    display_name = limited(limits.DISPLAY_NAME, "The person's full name")
    email = limited(limits.EMAIL, "The person's email address (personal data: erasable)")


class SettingDetails(Schema):
    name = limited(limits.SETTING_NAME, "The setting's name")
    type = Text(required=True, validate=validate.OneOf(list(SETTING_TYPES)))
    council = limited(limits.COUNCIL_CODE, "The council whose area it is in (ONS code)")
    provider_council = Text(
        load_default="",
        validate=optional(limits.COUNCIL_CODE),
        metadata=described("The council that runs it; or give `provider`"),
    )
    provider = limited(limits.PROVIDER_NAME, "The private provider that runs it")


class RegisterSetting(SettingDetails):
    urn = Text(
        required=True,
        validate=within(limits.SETTING_URN),
        metadata=described(f"Ofsted's URN: {limits.SETTING_URN.pattern_hint}, e.g. SC999001")
        | {"pattern": f"^{limits.SETTING_URN.pattern}$"},
    )


class ChangeSetting(SettingDetails):
    pass


class RaiseConcern(Schema):
    council = Text(
        load_default="",
        validate=optional(limits.COUNCIL_CODE),
        metadata=described("The council concerned (ONS code); or give `setting_urn`"),
    )
    setting_urn = Text(
        load_default="",
        validate=optional(limits.SETTING_URN),
        metadata=described("The regulated setting concerned (its URN)"),
    )
    relationship = Text(required=True, validate=validate.OneOf(list(RELATIONSHIPS)))
    name = limited(limits.CONCERN_NAME, "Your name (leave empty to stay anonymous)")
    email = limited(limits.CONCERN_EMAIL, "Your email address (leave empty to stay anonymous)")
    concern = limited(limits.CONCERN_TEXT, "What you are concerned about")


class AssessConcern(Schema):
    risk = Text(required=True, validate=validate.OneOf(list(RISKS)))


class LinkConcern(Schema):
    inspection_id = limited(limits.CONCERN_INSPECTION, "The inspection; empty: intelligence")


class CloseConcern(Schema):
    outcome = Text(required=True, validate=validate.OneOf(list(CONCERN_OUTCOMES)))
