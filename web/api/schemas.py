"""Request bodies of the API's commands, in one place (marshmallow 4; unknown fields refused)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.actors import AGENCIES
from domain.challenge import OUTCOMES
from domain.challenge_rules import SUBJECTS
from domain.council import INTERVENTIONS
from domain.frameworks import FRAMEWORKS
from domain.inspection_types import INSPECTION_TYPES

Text = fields.String


# Lines of narrative or evidence: short items, as a report lists them.
def lines() -> fields.List:
    return fields.List(fields.String(validate=validate.Length(max=4000)), load_default=list)


def described(text: str) -> dict[str, str]:
    return {"description": text}


def _required_text(text: str, maximum: int = 4000) -> fields.String:
    return Text(required=True, validate=validate.Length(1, maximum), metadata=described(text))


class ScheduleInspection(Schema):
    council = _required_text("Council's ONS code, e.g. E09000002", 20)
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
    theme = Text(load_default="", validate=validate.Length(max=200))


class Narrative(Schema):
    strengths = lines()
    areas_for_improvement = lines()
    recommendations = lines()


class RecordFinding(Narrative):
    agency = Text(required=True, validate=validate.OneOf(list(AGENCIES)))
    summary = _required_text("What the agency found")
    priority_action = fields.Boolean(
        load_default=False, metadata=described("An area for priority action (focused visits)")
    )


class Judgment(Narrative):
    area = _required_text("Judgment area key, or 'overall'", 60)
    grade = _required_text("A grade on the framework's scale", 60)


class RecordJudgments(Schema):
    judgments = fields.List(fields.Nested(Judgment), required=True, validate=validate.Length(1, 20))


class CommentOnDraft(Schema):
    comment = Text(load_default="", validate=validate.Length(max=20000))
    complete = fields.Boolean(
        load_default=False, metadata=described("The council has no further comments")
    )


class Reason(Schema):
    reason = _required_text("Why", 4000)


class LodgeChallenge(Schema):
    subject = Text(required=True, validate=validate.OneOf(list(SUBJECTS)))
    reference = Text(
        load_default="",
        validate=validate.Length(max=60),
        metadata=described("The judgment area or finding reference challenged"),
    )
    grounds = _required_text("Why the council disputes it")
    evidence = lines()


class DecideChallenge(Schema):
    outcome = Text(required=True, validate=validate.OneOf(list(OUTCOMES)))
    reasons = _required_text("The reasons for the decision")
    evidence = lines()
    revisions = fields.Dict(
        keys=Text(validate=validate.Length(1, 60)),
        values=Text(validate=validate.Length(1, 60)),
        load_default=dict,
        metadata=described("New grade per judgment area, for an upheld challenge"),
    )
    withdraw_report = fields.Boolean(load_default=False)


class Escalate(Schema):
    grounds = _required_text("Why the council takes it further")


class AdjudicatorRecommendation(Schema):
    outcome = Text(required=True, validate=validate.OneOf(list(OUTCOMES)))
    recommendation = _required_text("What the adjudicator recommended")


class SubmitActionPlan(Schema):
    summary = _required_text("The written plan, or a summary of it", 20000)


class AddAction(Schema):
    area = Text(required=True, validate=validate.Length(0, 200))
    recommendation = Text(required=True, validate=validate.Length(0, 2000))
    description = _required_text("What will be done")
    owner = _required_text("Who is responsible", 200)
    due_on = fields.Date(required=True)


class ActionProgress(Schema):
    note = _required_text("Progress made")
    evidence = lines()


class Evidence(Schema):
    evidence = lines()


class RecordIntervention(Schema):
    kind = Text(required=True, validate=validate.OneOf(list(INTERVENTIONS)))
    on = fields.Date(required=True)
    details = Text(load_default="", validate=validate.Length(max=4000))
