"""Times on the pages are said in UK time, as the people reading them live by."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from web.pages.common import moment


@pytest.mark.parametrize(
    ("recorded", "shown"),
    [
        (datetime(2026, 1, 15, 9, 30, tzinfo=UTC), "15 January 2026 at 09:30:00 GMT"),
        (datetime(2026, 7, 15, 9, 30, tzinfo=UTC), "15 July 2026 at 10:30:00 BST"),
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), "28 March 2026 at 23:30:00 GMT"),
        (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), "1 July 2026 at 00:30:00 BST"),
        (datetime(2026, 7, 15, 9, 30), "15 July 2026 at 10:30:00 BST"),
    ],
)
def test_a_recorded_time_is_shown_in_uk_time(recorded, shown):
    assert moment(recorded) == shown
