"""Every event class the domain defines: the past-tense classes nested in its aggregates."""

from __future__ import annotations

import importlib
import pkgutil

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

import domain

FRAMEWORK_BASES = {"Event", "Created"}  # made for every aggregate by eventsourcing; never stored


def _domain_modules() -> list[object]:
    names = [m.name for m in pkgutil.walk_packages(domain.__path__, "domain.")]
    return [importlib.import_module(n) for n in names]


def aggregates() -> set[type[Aggregate]]:
    """Every aggregate class defined in domain/."""
    return {
        value
        for module in _domain_modules()
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Aggregate)
        and value.__module__.startswith("domain.")
    }


def event_topics() -> set[str]:
    """The topic of every event class nested in a domain aggregate."""
    return {
        get_topic(value)
        for aggregate in aggregates()
        for name, value in vars(aggregate).items()
        if isinstance(value, type)
        and issubclass(value, Aggregate.Event)
        and name not in FRAMEWORK_BASES
    }
