"""Cursor pagination: an opaque `next` cursor in the body and a Link header."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from flask import current_app, request
from marshmallow import Schema, fields, validate

from web.api.problems import ApiProblem

DEFAULT_LIMIT, MAX_LIMIT = 50, 500
MAX_OFFSET = 2**31 - 1  # beyond any list we hold, and within every database's integers


class PageArgs(Schema):
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(1, MAX_LIMIT),
        metadata={"description": "Items per page"},
    )
    cursor = fields.String(
        load_default=None,
        validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,200}$"),
        metadata={"description": "The `next` cursor of the previous page"},
    )


def _decode(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        offset = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"==").decode())["o"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        offset = -1
    if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:  # a bool is not an offset
        raise ApiProblem(400, "invalid-cursor", "The cursor is not one this API gave out")
    return offset


def _encode(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def page(
    items: Sequence[Any], args: dict[str, Any], shape: Callable[[Any], Any] | None = None
) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Return one page of items with the cursor of the next, for flask-smorest to dump;
    `shape` turns each item of the page (only) into what the schema dumps."""
    start, limit = _decode(args.get("cursor")), args["limit"]
    return _answer(items[start : start + limit], start, limit, start + limit < len(items), shape)


def window(
    fetch: Callable[[int, int], Sequence[Any]],
    args: dict[str, Any],
    shape: Callable[[Any], Any] | None = None,
) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Like `page`, for a query that fetches `limit` items from `offset` itself."""
    start, limit = _decode(args.get("cursor")), args["limit"]
    found = fetch(start, limit + 1)  # one more says whether there is a next page
    return _answer(found[:limit], start, limit, len(found) > limit, shape)


def _answer(
    items: Sequence[Any],
    start: int,
    limit: int,
    more: bool,
    shape: Callable[[Any], Any] | None,
) -> tuple[dict[str, Any], int, dict[str, str]]:
    chosen = [shape(i) if shape else i for i in items]
    next_cursor = _encode(start + limit) if more else None
    headers = {}
    if next_cursor:
        query = request.args.to_dict() | {"cursor": next_cursor, "limit": str(limit)}
        # LEDGER_BASE_URL, or a link relative to this host: never the request's Host header
        link = current_app.config["SECURITY"].base_url + request.path + "?" + urlencode(query)
        headers["Link"] = f'<{link}>; rel="next"'
    return {"items": chosen, "next": next_cursor}, 200, headers


def page_schema(item: type[Schema] | Schema, name: str) -> type[Schema]:
    """Return the schema of a page of items."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "next": fields.String(
                allow_none=True, required=True, metadata={"description": "Cursor of the next page"}
            ),
        },
        name=name,
    )
