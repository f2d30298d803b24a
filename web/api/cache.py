"""Finished API answers kept in each worker, reused until a table they were read from changes.

Projections raise a read-model table's stamp in the transaction that writes it
(projections/changes.py). An answer is stored with the stamps of the tables it depends on, read
before it was computed, and served again only while those stamps are unchanged: so a cached
answer is always what the view would compute now. Stamps are read with one query per request.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from threading import Lock
from typing import Any, Generic, Protocol, TypeVar

from flask import Response, current_app, g, request
from sqlalchemy import Table
from werkzeug.datastructures import MultiDict

from projections.changes import stamps
from web.api.auth import actor
from web.api.operations import Decorator, read_models
from web.api.preconditions import content_tag, none_match, not_modified

DEFAULT_SIZE = 512
Key = tuple[str, ...]
Dependencies = Callable[[MultiDict[str, str]], Collection[Table]]  # query arguments -> tables


@dataclass(frozen=True)
class Answer:
    """A 200 response as the view finished it (before the app's after-request hooks)."""

    stamps: tuple[int, ...]
    body: bytes
    headers: tuple[tuple[str, str], ...]  # Content-Type, Content-Length, Link, ETag

    def response(self) -> Response:
        return Response(self.body, 200, list(self.headers))


class Stamped(Protocol):
    @property
    def stamps(self) -> tuple[Any, ...]: ...


Kept = TypeVar("Kept", bound=Stamped)


@dataclass(frozen=True)
class Validator:
    """The ETag a page was last answered with, and what it could have read then."""

    stamps: tuple[Any, ...]
    tag: str


class ResponseCache(Generic[Kept]):
    """The `size` most recently used answers (0: none), by request and caller; thread safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: OrderedDict[Key, Kept] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Key, seen: tuple[Any, ...]) -> Kept | None:
        """Return the answer stored under the key if it was computed at these stamps."""
        with self._lock:
            answer = self._answers.get(key)
            if answer is None or answer.stamps != seen:
                return None
            self._answers.move_to_end(key)
            return answer

    def put(self, key: Key, answer: Kept) -> None:
        """Keep the answer, forgetting the least recently used beyond the size."""
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)


def _stamps(names: list[str]) -> tuple[int, ...]:
    """The stamps of these tables: as read with the caller's token (web/api/auth.py), else now."""
    known: dict[str, int] | None = g.get("api_stamps")
    if known is None:
        with read_models() as conn:
            return stamps(conn, names)
    return tuple(known.get(name, 0) for name in names)


def cached(depends_on: Dependencies) -> Decorator:
    """Serve a GET's 200 answer again while the tables it depends on are unchanged.

    Put it right under the route, above `reads(...)`: it keeps the response flask-smorest made.
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def serve(*args: Any, **kwargs: Any) -> Any:
            cache: ResponseCache[Answer] = current_app.extensions["api_cache"]
            if not cache.size:
                return view(*args, **kwargs)
            who = actor()  # the blueprint has authenticated the caller already
            key = (request.url, who.user, who.role, who.organisation)  # url: Link names the host
            seen = _stamps([table.name for table in depends_on(request.args)])
            answer = cache.get(key, seen)
            if answer is not None:
                tag = dict(answer.headers)["ETag"]
                if request.if_none_match and none_match(tag):
                    return not_modified(tag)  # neither computed nor sent again
                hit = answer.response()
                hit.headers["X-Cache"] = "hit"
                return hit
            response = view(*args, **kwargs)
            if isinstance(response, Response) and response.status_code == 200:
                response.headers.setdefault("ETag", content_tag(response.get_data()))
                headers = tuple(response.headers.items())
                cache.put(key, Answer(seen, response.get_data(), headers))
                response.headers["X-Cache"] = "miss"
            return response

        return serve

    return decorate
