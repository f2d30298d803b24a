"""Preconditions over HTTP: a record's version is its ETag and writes need If-Match; reads' content
validators answer If-None-Match."""

from __future__ import annotations

import hashlib
import re

from flask import Response, request

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


CONTENT_TAG = '"c-'  # how a validator of content starts; a record's version ETag is digits


def content_tag(body: bytes) -> str:
    """Return the strong validator of an answer's body (it says only what the body says)."""
    return f'{CONTENT_TAG}{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def unquoted(tag: str) -> tuple[str, bool]:
    """Return an ETag's opaque value and whether it is weak, as werkzeug's set_etag takes them."""
    return tag.removeprefix("W/").strip('"'), tag.startswith("W/")


def none_match(tag: str) -> bool:
    """Say whether the request's If-None-Match names this validator (compared weakly)."""
    return request.if_none_match.contains_weak(unquoted(tag)[0])


def not_modified(tag: str) -> Response:
    """Return a 304 for this validator: no body; Cache-Control is added after the request."""
    response = Response(status=304)
    response.set_etag(*unquoted(tag))
    return response
