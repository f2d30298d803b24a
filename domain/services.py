"""The Ledger application: one command per user action, each load, call, save."""

from domain.commands.accounts import AccountCommands
from domain.commands.challenges import ChallengeCommands
from domain.commands.concerns import ConcernCommands
from domain.commands.inspections import InspectionCommands
from domain.commands.plans import PlanCommands
from domain.commands.reports import ReportCommands
from domain.unit_of_work import CORRELATION

__all__ = ["CORRELATION", "Ledger"]


class Ledger(
    InspectionCommands,
    ChallengeCommands,
    PlanCommands,
    ReportCommands,
    AccountCommands,
    ConcernCommands,
):
    """Inspection Ledger's commands and the queries that read aggregates directly."""

    name = "ledger"
