"""Forms of the report's flow: writing a section, answering a factual accuracy comment."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from domain import limits
from domain.inspection.document import AREA_PARTS, TEXT, Section
from web.forms import radios, textarea

PART_HINTS = {
    TEXT: "Write in paragraphs; leave a blank line between them",
    "working_well": "Strengths inspectors found, in paragraphs",
    "needs_to_improve": "Weaknesses inspectors found, in paragraphs",
    "recommendations": "One recommendation per line",
}


class SectionForm(FlaskForm):
    """Every part a section may have; `for_section` keeps the ones this section has."""

    text = textarea("Text", description=PART_HINTS[TEXT], limit=limits.REPORT_PARTS[TEXT])
    working_well = textarea(
        AREA_PARTS["working_well"],
        description=PART_HINTS["working_well"],
        limit=limits.REPORT_PARTS["working_well"],
    )
    needs_to_improve = textarea(
        AREA_PARTS["needs_to_improve"],
        description=PART_HINTS["needs_to_improve"],
        limit=limits.REPORT_PARTS["needs_to_improve"],
    )
    recommendations = textarea(
        AREA_PARTS["recommendations"],
        description=PART_HINTS["recommendations"],
        limit=limits.REPORT_PARTS["recommendations"],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def for_section(self, section: Section | None) -> SectionForm:
        """Keep only the parts the section has (none for no section); name a text part after
        its section."""
        for part in (TEXT, *AREA_PARTS):
            if section is None or part not in section.parts:
                delattr(self, part)
        if section is not None and TEXT in section.parts:
            self.text.label.text = section.title
        return self

    def parts(self, section: Section) -> dict[str, str]:
        return {p: self[p].data or "" for p in section.parts}


class AnswerForm(SectionForm):
    accepted = radios(
        "Is the comment accepted?",
        [("yes", "Yes: the report is changed"), ("no", "No: the report stands")],
        "Say whether the comment is accepted",
    )
    reason = textarea(
        "Reason",
        description="Why it is not accepted, or what was changed",
        limit=limits.ANSWER_REASON,
    )
