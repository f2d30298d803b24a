"""The report as a document: its sections, a frozen version, its canonical form and digest
(DOMAIN.md §9).

A section is named by a key: `headline` (headline findings, with the overall grade where there
is one), `improve` ("What needs to improve"), `area:<key>` for each judgment area (its grade,
outcome or "Not judged", and what is working well, what needs to improve, recommendations) and,
in a joint letter, `partner:<AGENCY>` for each agency's findings. A version is the document as
it stood when the draft was issued (1) or the final report (2): plain values, so it is hashed,
compared and shown the same way everywhere."""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from domain.actors import agency_name
from domain.frameworks import Framework
from domain.rules import OVERALL

FORMAT = "inspection-ledger/report/1"  # names the canonical form below; change it, bump this
TEXT = "text"
AREA_PARTS = {
    "working_well": "What is working well",
    "needs_to_improve": "What needs to improve",
    "recommendations": "Recommendations",
}
NARRATIVE_OF = {  # the judgment's narrative lists a part falls back to until it is written
    "working_well": "strengths",
    "needs_to_improve": "areas_for_improvement",
    "recommendations": "recommendations",
}


@dataclass(frozen=True)
class Section:
    """One section of a report: its key, its heading, the parts inspectors write."""

    key: str
    title: str
    parts: tuple[str, ...]
    agency: str | None = None  # a partner's section is written by that agency alone

    @property
    def area(self) -> str | None:
        kind, _, rest = self.key.partition(":")
        return rest if kind == "area" else None

    def part_title(self, part: str) -> str:
        return AREA_PARTS.get(part, self.title)


def sections_of(chosen: Framework, graded: bool, agencies: list[str]) -> list[Section]:
    """Return the sections a report of this framework and inspection has, in order."""
    found = [
        Section("headline", "Headline findings", (TEXT,)),
        Section("improve", "What needs to improve", (TEXT,)),
    ]
    if graded:
        found += [
            Section(f"area:{key}", title, tuple(AREA_PARTS))
            for key, title in chosen.titles().items()
            if key != OVERALL
        ]
    if chosen.partners:
        found += [
            Section(f"partner:{a}", f"Findings of {agency_name(a)}", (TEXT,), agency=a)
            for a in agencies
        ]
    return found


def grade_shown(judgments: dict[str, dict[str, Any]], area: str) -> str | None:
    """Return the grade, outcome or "Not judged" of an area; None if not yet judged."""
    judgment = judgments.get(area)
    return None if judgment is None else str(judgment["grade"])


def section_content(
    section: Section,
    written: dict[str, Any] | None,
    judgments: dict[str, dict[str, Any]],
    findings: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """Return a section as a version holds it: heading, grade, the text of each part (a part
    not yet written shows the judgment's narrative, or a partner's recorded findings)."""
    parts = dict(written["parts"]) if written else {}
    if section.agency and TEXT not in parts:
        found = [f["summary"] for f in findings.values() if f["agency"] == section.agency]
        parts[TEXT] = "\n\n".join(found)
    area = section.area or (OVERALL if section.key == "headline" else None)
    judgment = judgments.get(area or "")
    for part in section.parts:
        if part not in parts:
            listed = judgment.get(NARRATIVE_OF.get(part, ""), []) if judgment else []
            parts[part] = "\n".join(listed)
    return {
        "key": section.key,
        "title": section.title,
        "grade": grade_shown(judgments, area) if area else None,
        "parts": {p: parts[p] for p in section.parts},
        "written_by": written["by"] if written else None,
    }


@dataclass(frozen=True)
class Version:
    """A frozen version of the report, with the event that froze it."""

    number: int
    stage: str  # draft or final
    issued_on: str
    issued_by: str
    event_version: int  # the freezing event's version in the inspection's log
    content: dict[str, Any]

    def canonical(self) -> bytes:
        """Return the canonical form: the content as JSON, keys sorted, no spaces, UTF-8."""
        return canonical(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()

    def section(self, key: str) -> dict[str, Any] | None:
        return next((s for s in self.content["sections"] if s["key"] == key), None)


def canonical(content: dict[str, Any]) -> bytes:
    """Serialise a version's content the one way its SHA-256 is taken over."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def content_of(
    header: dict[str, Any],
    sections: list[Section],
    written: dict[str, dict[str, Any]],
    judgments: dict[str, dict[str, Any]],
    findings: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """Return the whole document: what identifies it, then every section in order."""
    body = [section_content(s, written.get(s.key), judgments, findings) for s in sections]
    return {"format": FORMAT, **header, "sections": body}


@dataclass(frozen=True)
class Change:
    """How one part of one section differs between two versions."""

    section: str
    title: str
    part: str
    before: str
    after: str
    lines: tuple[str, ...]  # unified diff of the part's text, line by line


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Return every part, and every grade, that differs from one version's content to another's."""
    old = {s["key"]: s for s in before["sections"]}
    changes = []
    for section in after["sections"]:
        was = old.get(section["key"], {"parts": {}, "grade": None})
        pairs = [("grade", was["grade"] or "", section["grade"] or "")]
        pairs += [(p, was["parts"].get(p, ""), t) for p, t in section["parts"].items()]
        for part, a, b in pairs:
            if a != b:
                diff = difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=1)
                lines = tuple(line for line in diff if not line.startswith(("---", "+++")))
                changes.append(Change(section["key"], section["title"], part, a, b, lines))
    return changes
