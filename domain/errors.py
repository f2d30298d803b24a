"""Domain errors: each is named for what was refused and carries a readable message."""

from __future__ import annotations


class LedgerError(Exception):
    """Base class of every refusal the domain makes."""

    rule: str = "ledger-error"
    field: str = ""  # the input the refusal concerns, where it concerns one

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(LedgerError):
    """Nothing is recorded under that identifier."""

    rule = "not-found"


class PermissionDenied(LedgerError):
    """The acting person's role or organisation may not do this."""

    rule = "permission-denied"


class ReviewNotIndependent(PermissionDenied):
    """A challenge stage would be decided by someone already involved (DOMAIN.md §5)."""

    rule = "review-not-independent"


class InvalidInput(LedgerError):
    """A value is not one the ledger knows (unknown grade, area, type, date order)."""

    rule = "invalid-input"


class AdjudicatorNotNamed(InvalidInput):
    """The inspectorate keyed in an adjudicator's finding without naming the adjudicator."""

    rule = "adjudicator-name-required"
    field = "adjudicator_name"


class AdjudicatorEvidenceMissing(InvalidInput):
    """The inspectorate keyed in an adjudicator's finding without the evidence for it."""

    rule = "adjudicator-evidence-required"
    field = "evidence"


class RevisionRefused(InvalidInput):
    """A decision names a judgment its challenge does not let it revise."""

    rule = "revision-refused"


class RevisionOutsideChallenge(RevisionRefused):
    rule = "revision-outside-challenge"


class RevisionOfOwnJudgment(RevisionRefused):
    rule = "revision-of-own-judgment"


class FrameworkRuleBroken(LedgerError):
    """A judgment breaks a rule of its inspection framework."""

    rule = "framework-rule"


class OverallOutsideKeyJudgments(FrameworkRuleBroken):
    rule = "overall-within-key-judgments"


class LimitingJudgmentBroken(FrameworkRuleBroken):
    rule = "limiting-judgment"


class OverallBetterThanCap(FrameworkRuleBroken):
    rule = "overall-capped-by-judgment"


class OverallDoesNotFollowFromScores(FrameworkRuleBroken):
    rule = "overall-follows-from-scores"


class NoOverallJudgmentInFramework(FrameworkRuleBroken):
    rule = "no-overall-judgment"


class UngradedInspection(FrameworkRuleBroken):
    rule = "ungraded-inspection"


class UnknownJudgmentArea(FrameworkRuleBroken):
    rule = "unknown-judgment-area"


class GradeNotOnScale(FrameworkRuleBroken):
    rule = "grade-not-on-scale"


class JudgmentRequired(FrameworkRuleBroken):
    rule = "judgment-required"


class JudgmentsIncomplete(FrameworkRuleBroken):
    rule = "judgments-incomplete"


class NoFrameworkApplies(FrameworkRuleBroken):
    rule = "no-framework-applies"


class LifecycleError(LedgerError):
    """The inspection, challenge or plan is not at a stage where this can happen."""

    rule = "lifecycle"


class FindingsMissing(LifecycleError):
    """A joint letter waits for a finding from every partner taking part."""

    rule = "findings-missing"


class NoReportToWithdraw(LifecycleError):
    """Only an inspection whose final report was issued (or published) can be withdrawn."""

    rule = "no-report-to-withdraw"


class CommentsUnanswered(LifecycleError):
    """A factual accuracy comment on a section still waits for the inspectorate's answer."""

    rule = "comments-unanswered"


class UnknownReportSection(InvalidInput):
    """The report has no such section."""

    rule = "unknown-report-section"


class DeadlinePassed(LedgerError):
    """The period for this has closed."""

    rule = "deadline-passed"


class NoticeTooShort(LedgerError):
    """The inspection starts sooner than its notice period allows."""

    rule = "notice-period"


class PublicationWithheld(LedgerError):
    """A formal challenge is open or its window has not closed."""

    rule = "publication-withheld"


class ConflictingChange(LedgerError):
    """Someone else changed this record first; nothing was written."""

    rule = "conflict"


class StaleVersion(ConflictingChange):
    """The version the caller saw is no longer the current one."""

    rule = "stale-version"
