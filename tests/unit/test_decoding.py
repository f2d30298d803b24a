"""The read models' decoder makes the mapper's events, and leaves to the mapper what it cannot."""

from __future__ import annotations

import math
import pickle
from datetime import date
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    UUIDAsHex,
)

from domain.actors import Actor
from domain.council import Council
from domain.transcodings import register_ledger_transcodings
from projections.decoding import Decoder, LogId

ADMIN = Actor("ada.admin", "administrator", "LEDGER")


@pytest.fixture
def mapper() -> Mapper[UUID]:
    """The ledger's mapper: eventsourcing's transcodings and the ledger's own."""
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(transcoding)
    register_ledger_transcodings(transcoder)
    return Mapper(transcoder=transcoder)


def stored_events(mapper: Mapper[UUID]) -> list[StoredEvent]:
    council = Council.register(ADMIN, "E09000002", "Barking and Dagenham", {"region": "London"})
    council.abolish(ADMIN, date(2026, 4, 1), ["E09000003"])
    return [mapper.to_stored_event(e) for e in council.collect_events()]


def decoded(decoder: Decoder, stored: StoredEvent) -> object:
    return decoder.event(
        stored.topic, stored.originator_id, stored.originator_version, stored.state
    )


def test_the_decoder_makes_the_event_the_mapper_makes(mapper):
    decoder = Decoder(mapper)
    for stored in stored_events(mapper):
        event, expected = decoded(decoder, stored), mapper.to_domain_event(stored)
        assert type(event) is type(expected)
        assert event.__dict__ == expected.__dict__
        assert {k: type(v) for k, v in event.__dict__.items()} == {
            k: type(v) for k, v in expected.__dict__.items()
        } | {"originator_id": LogId}


def test_events_of_one_originator_share_its_id_and_their_dates(mapper):
    decoder = Decoder(mapper)
    registered, abolished = (decoded(decoder, s) for s in stored_events(mapper))
    assert registered.originator_id is abolished.originator_id
    again = decoded(decoder, stored_events(mapper)[1])
    assert again.on is abolished.on


def test_an_originators_id_reads_as_its_uuid_and_is_kept_as_one():
    value = uuid4()
    kept = LogId(value)
    assert kept == value and hash(kept) == hash(value)
    assert str(kept) == str(value) and f"{kept}" == str(value) and kept.hex == value.hex
    assert type(pickle.loads(pickle.dumps(kept))) is UUID


def test_a_state_orjson_refuses_is_decoded_by_the_mapper(mapper):
    stored = stored_events(mapper)[0]
    odd = StoredEvent(
        stored.originator_id,
        stored.originator_version,
        stored.topic,
        stored.state[:-1] + b',"score":NaN}',  # what Python's json writes, and orjson refuses
    )
    assert math.isnan(decoded(Decoder(mapper), odd).score)


def test_a_state_no_version_can_read_fails_as_the_mapper_fails(mapper):
    stored = stored_events(mapper)[0]
    unknown = stored.state.replace(b'"_type_":"actor"', b'"_type_":"robot"')
    odd = StoredEvent(stored.originator_id, stored.originator_version, stored.topic, unknown)
    with pytest.raises(Exception, match="robot"):
        mapper.to_domain_event(odd)
    with pytest.raises(Exception, match="robot"):
        decoded(Decoder(mapper), odd)
