"""Decode the log's events for the read models: the mapper's events, for less of its CPU.

Decoding was the largest single cost of a rebuild (eventsourcing's JSON transcoder calls a
Python `object_hook` on every object of every event). Here the state is parsed by orjson and
only its objects are walked in Python, each `{"_type_", "_data_"}` pair decoded by the
transcoder's own transcoding, bottom up, as the hook would; the values of immutable types
(dates, times, UUIDs, decimals) are decoded once per batch and shared. The event is then made
as the mapper makes it (id convertor, upcasts, `__dict__`). An originator's id is converted
once per batch into a `LogId`, a UUID that keeps its text: the handlers key their rows by
`str(event.originator_id)`, several times an event. A row this cannot decode (a cipher or a
compressor configured, JSON that orjson refuses) goes through the mapper, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import (
    JSONTranscoder,
    Mapper,
    Notification,
    find_id_convertor,
)
from eventsourcing.utils import resolve_topic

SHARED = (date, datetime, UUID, Decimal)  # immutable: one decoded value serves every event
KEPT = 20_000  # values and ids kept: cleared past this (a batch holds 10,000 events)
Processor = Callable[[Any], Any] | None


class LogId(UUID):
    """An originator's id as read from the log, its text made once (`str` is the text)."""

    __slots__ = ("text",)

    def __init__(self, value: UUID) -> None:
        object.__setattr__(self, "int", value.int)
        object.__setattr__(self, "is_safe", value.is_safe)
        object.__setattr__(self, "text", UUID.__str__(value))

    def __str__(self) -> str:
        return self.text  # type: ignore[no-any-return]

    def __reduce__(self) -> Any:
        return UUID, (self.text,)  # as a plain UUID: nothing else needs to know this class


class Decoder:
    """Make the events of log rows, as `mapper.to_domain_event` would make them."""

    def __init__(self, mapper: Mapper[Any], processor: Processor = None) -> None:
        self.mapper, self.processor = mapper, processor  # the id column's result processor
        transcoder = mapper.transcoder
        self.fast = isinstance(transcoder, JSONTranscoder) and not (
            mapper.cipher or mapper.compressor
        )
        self.names = transcoder.names if isinstance(transcoder, JSONTranscoder) else {}
        self.memos: dict[str, dict[str, Any]] = {  # per shared type: its text -> its value
            n: {} for n, t in self.names.items() if issubclass(t.type, SHARED)
        }
        self.ids: dict[Any, Any] = {}
        self.classes: dict[str, tuple[type, int, type, Callable[[Any], Any]]] = {}

    def event(self, topic: str, raw_id: Any, version: int, state: bytes) -> Any:
        """Return the event of one row (raise what the mapper raises, if it cannot)."""
        if self.fast:
            try:
                return self._made(topic, self._id(raw_id), version, state)
            except Exception:  # noqa: BLE001, S110 (the mapper decodes it, or says why not)
                pass
        state = bytes(state) if isinstance(state, memoryview) else state
        stored = Notification(self._id(raw_id), version, topic, state, id=0)
        return self.mapper.to_domain_event(stored)

    def _id(self, raw: Any) -> Any:
        found = self.ids.get(raw)
        if found is None:
            found = self.processor(raw) if self.processor else raw
            if isinstance(found, UUID):
                found = LogId(found)
            if len(self.ids) >= KEPT:
                self.ids.clear()
            self.ids[raw] = found
        return found

    def _made(self, topic: str, originator_id: Any, version: int, state: bytes) -> Any:
        known = self.classes.get(topic)
        if known is None or known[2] is not type(originator_id):
            cls = resolve_topic(topic)
            convert = find_id_convertor(cls, type(originator_id))
            known = (cls, getattr(cls, "class_version", 1), type(originator_id), convert)
            self.classes[topic] = known
        cls, class_version, _, convert = known
        fields = self._node(orjson.loads(state))
        fields["originator_id"] = convert(originator_id)
        fields["originator_version"] = version
        from_version = fields.pop("class_version", 1)
        while from_version < class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(fields)
            from_version += 1
        event = object.__new__(cls)
        object.__setattr__(event, "__dict__", fields)
        return event

    def _node(self, found: dict[str, Any]) -> Any:
        """Decode a JSON object: its members, then itself, as the transcoder's hook would."""
        if len(found) == 2 and "_type_" in found and "_data_" in found:
            name, data = found["_type_"], found["_data_"]
            kind = type(data)
            if kind is str and name in self.memos:
                memo = self.memos[name]
                value = memo.get(data)
                if value is None:
                    if len(memo) >= KEPT:
                        memo.clear()
                    value = memo[data] = self.names[name].decode(data)
                return value
            if kind is dict:
                data = self._node(data)
            elif kind is list:
                self._list(data)
            return self.names[name].decode(data)
        for key, value in found.items():
            kind = type(value)
            if kind is dict:
                found[key] = self._node(value)
            elif kind is list:
                self._list(value)
        return found

    def _list(self, found: list[Any]) -> None:
        for index, value in enumerate(found):
            kind = type(value)
            if kind is dict:
                found[index] = self._node(value)
            elif kind is list:
                self._list(value)
