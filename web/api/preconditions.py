"""Optimistic concurrency over HTTP: an aggregate's version is its ETag; writes need If-Match."""

from __future__ import annotations

import re

from flask import request

from web.api.problems import ApiProblem

_TAG = re.compile(r'^\s*(?:W/)?"(\d{1,18})"\s*$')  # no version has more digits


def etag(version: int) -> str:
    """Return the ETag of an aggregate at this version."""
    return f'"{version}"'


def expected_version() -> int | None:
    """Return the version If-Match names (None for `*`); refuse a write without one (428)."""
    header = request.headers.get("If-Match")
    if header is None:
        raise ApiProblem(
            428,
            "if-match-required",
            "Send If-Match with the ETag of the record you are changing",
        )
    if header.strip() == "*":
        return None
    match = _TAG.match(header)
    if match is None:
        raise ApiProblem(
            412, "stale-version", f"If-Match {header[:40]!r} does not name a version of this record"
        )
    return int(match.group(1))
