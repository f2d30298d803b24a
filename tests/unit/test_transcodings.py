"""The ledger's value types round-trip through stored events; actors are decoded once each."""

from __future__ import annotations

import pytest

from domain.actors import Actor
from domain.errors import InvalidInput
from domain.transcodings import ActorAsDict

INSPECTOR = {"user": "ann", "role": "inspector", "organisation": "OFSTED"}


def test_an_actor_decoded_twice_is_one_equal_actor():
    transcoding = ActorAsDict()
    first, again = transcoding.decode(dict(INSPECTOR)), transcoding.decode(dict(INSPECTOR))
    assert first == Actor("ann", "inspector", "OFSTED")
    assert again is first


def test_an_actor_that_breaks_the_rules_is_refused_every_time_it_is_decoded():
    transcoding = ActorAsDict()
    wrong = {"user": "ann", "role": "inspector", "organisation": "ICASO"}
    for _ in range(2):
        with pytest.raises(InvalidInput):
            transcoding.decode(dict(wrong))
    assert transcoding.decoded == {}
