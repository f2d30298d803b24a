"""How the ledger's own value types are written into stored events."""

from __future__ import annotations

from datetime import date

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.actors import Actor, as_dict


class ActorAsDict(Transcoding):
    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> dict[str, str]:
        return as_dict(obj)

    def decode(self, data: dict[str, str]) -> Actor:
        return Actor(**data)


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
