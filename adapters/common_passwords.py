"""The 10,000 most common passwords, which no one may choose (NCSC's advice: a deny list).

The list is zxcvbn's (PyPI `zxcvbn`, MIT licence: Dropbox's password frequency list, ranked
from leaked password sets), read from the installed package rather than copied here.
"""

from __future__ import annotations

from functools import cache

MOST_COMMON = 10_000


@cache
def common_passwords() -> frozenset[str]:
    """Return the most common passwords, case-folded."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.casefold() for p in FREQUENCY_LISTS["passwords"][:MOST_COMMON])
