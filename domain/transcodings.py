"""How the ledger's own value types are written into stored events."""

from __future__ import annotations

from datetime import date

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.actors import Actor, as_dict

ACTORS_KEPT = 4096  # distinct actors decoded: a log has a few hundred


class ActorAsDict(Transcoding):
    """An actor as its plain values; decoded once per distinct actor (every event carries
    one, and building and checking it was a tenth of decoding an event). An Actor is frozen,
    so the events that name the same person share one."""

    type = Actor
    name = "actor"

    def __init__(self) -> None:
        self.decoded: dict[tuple[tuple[str, str], ...], Actor] = {}

    def encode(self, obj: Actor) -> dict[str, str]:
        return as_dict(obj)

    def decode(self, data: dict[str, str]) -> Actor:
        key = tuple(data.items())
        actor = self.decoded.get(key)
        if actor is None:
            actor = Actor(**data)  # checked, as ever: one refused is not kept
            if len(self.decoded) >= ACTORS_KEPT:
                self.decoded.clear()
            self.decoded[key] = actor
        return actor


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def register_ledger_transcodings(transcoder: JSONTranscoder) -> None:
    """Teach the transcoder the ledger's value types."""
    transcoder.register(ActorAsDict())
    transcoder.register(DateAsISO())
