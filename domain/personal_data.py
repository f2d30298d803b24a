"""The port to personal data: values sealed under a data key of their own person.

Events and read models hold only sealed values ("enc:v1:<key id>:<base64 nonce and
ciphertext>"); the keys live outside the append-only log (adapters/personal_data.py), so
destroying a person's key makes every value sealed under it unreadable, everywhere, while the
log's hashes, which cover the sealed text, still verify.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

SEALED_PREFIX = "enc:v1:"
ERASED = "erased"  # what an allowed reader is shown once the person's key is destroyed


class PersonalData(Protocol):
    """Seal and open one person's values; forget the person by destroying their key."""

    def new_person(self) -> str:
        """Make a data key for a new person; return its id."""
        ...

    def seal(self, key_id: str, value: str) -> str:
        """Return `value` encrypted under the person's key ("" stays "")."""
        ...

    def open(self, sealed: str) -> str:
        """Return the value, or `ERASED` once its key is destroyed ("" stays "")."""
        ...

    def open_many(self, sealed: Sequence[str]) -> list[str]:
        """Return each value opened, as `open` does (their keys looked up at once)."""
        ...

    def destroy(self, key_id: str) -> bool:
        """Destroy the person's key; say whether there was one to destroy."""
        ...


def key_of(sealed: str) -> str:
    """Return the id of the key a sealed value was sealed under ("" for an empty value)."""
    if not sealed:
        return ""
    if not sealed.startswith(SEALED_PREFIX):
        raise ValueError("Not a sealed value")
    return sealed[len(SEALED_PREFIX) :].split(":", 1)[0]
