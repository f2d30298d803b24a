"""What a write's JSON body may be before any schema reads it, and the digest that names it.

The size of a body is limited app-wide (MAX_CONTENT_LENGTH: 413). Here a body is refused
with 400 if it nests deeper than MAX_DEPTH, and with 422 naming the field if it holds a lone
surrogate (`"\\ud800"`, which JSON's escapes allow but no text can store): checked once,
before the digest, so that neither the digest, the schema nor the event store meets them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import request

from web.api.problems import ApiProblem

MAX_DEPTH = 32


def _refuse(detail: str) -> ApiProblem:
    return ApiProblem(400, "invalid-body", detail)


def _check_text(text: str, where: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        message = f"{where or 'The body'} holds a lone surrogate, which is not text"
        raise ApiProblem(
            422, "text-limits", message, errors=[{"field": where, "message": message}]
        ) from None


def check_body(value: Any) -> None:
    """Refuse a parsed body nested deeper than MAX_DEPTH (400) or holding a lone surrogate (422)."""
    stack: list[tuple[Any, int, str]] = [(value, 1, "")]
    while stack:
        item, depth, where = stack.pop()
        if isinstance(item, str):
            _check_text(item, where)
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise _refuse(f"The body nests deeper than {MAX_DEPTH} levels")
        children = item.items() if isinstance(item, dict) else enumerate(item)
        for name, child in children:
            path = f"{where}.{name}" if isinstance(name, str) else f"{where}[{name}]"
            if isinstance(name, str):
                _check_text(name, where or "The body")
            stack.append((child, depth + 1, path.lstrip(".")))


def parsed_body() -> Any:
    """Return the request's JSON body, checked (None if it is not JSON: the schema says why)."""
    raw = request.get_data(cache=True)
    try:
        value = json.loads(raw)
    except RecursionError:
        raise _refuse(f"The body nests deeper than {MAX_DEPTH} levels") from None
    except ValueError:
        return None
    check_body(value)
    return value


def request_digest() -> str:
    """Return a hash of what the request asks for: method, path, query and (canonical) body."""
    value = parsed_body()
    if value is None:
        body = request.get_data(cache=True)
    else:  # ASCII escapes: any text encodes, and key order or spacing does not change it
        body = json.dumps(value, sort_keys=True, separators=(",", ":")).encode()
    head = f"{request.method} {request.path}?{request.query_string.decode()}\n".encode()
    return hashlib.sha256(head + body).hexdigest()
