"""Passwords as the NCSC advises: long enough, not a common one, and no composition rules."""

from __future__ import annotations

from collections.abc import Container

from domain import limits
from domain.limits import TextRefused

MIN_LENGTH = 12


class PasswordRefused(TextRefused):
    """A new password is too short, too long or too common."""

    rule = "password-refused"


def password_problem(password: str, username: str, common: Container[str]) -> str | None:
    """Return why a new password is refused, or None (length and a list of common ones only)."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    found = limits.PASSWORD.problem(password)
    if found:
        return found
    folded = password.casefold()
    if folded in common or folded.strip() in common:
        return "Password is too common: choose one that people do not often use"
    if username and username.casefold() in folded:
        return "Password must not contain your username"
    return None


def checked_password(password: str, username: str, common: Container[str]) -> str:
    """Return the password, or raise PasswordRefused naming the field."""
    message = password_problem(password, username, common)
    if message:
        raise PasswordRefused("password", message)
    return password
