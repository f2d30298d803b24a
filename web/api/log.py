"""The verifiable log (RFC 9162): the tree head and proofs for anyone; entries for auditors."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Response
from marshmallow import Schema, fields, validate

from adapters import verifiable_log
from adapters.hash_chain import ChainedApplicationRecorder
from adapters.merkle_store import ProofRefused
from domain import permissions as can
from domain.errors import PermissionDenied
from web.api.auth import actor
from web.api.operations import THROTTLED, blueprint, ledger
from web.api.problems import ApiProblem

bp = blueprint(
    "log",
    "The log as a Merkle tree anyone can check (RFC 9162)",
    public=("tree", "inclusion", "consistency", "checkpoint", "key", "cosignatures"),
)
PUBLIC = bp.doc(security=[])
Int = fields.Integer
MOST_LEAVES = 2**63 - 1  # what a BIGINT can count
LEAVES = validate.Range(min=0, max=MOST_LEAVES)
Hashes = fields.List(fields.String(), metadata={"description": "Base64 SHA-256 node hashes"})
T = TypeVar("T")


class TreeOut(Schema):
    size = Int(metadata={"description": "How many entries the tree holds"})
    root = fields.String(metadata={"description": "The root hash, base64"})


class InclusionArgs(Schema):
    index = Int(required=True, validate=LEAVES, metadata={"description": "The entry, from 0"})
    size = Int(required=True, validate=LEAVES, metadata={"description": "The tree's size"})


class InclusionOut(Schema):
    index, size, hashes = Int(), Int(), Hashes


class ConsistencyArgs(Schema):
    old = Int(
        required=True, data_key="from", validate=LEAVES, metadata={"description": "Older size"}
    )
    new = Int(required=True, data_key="to", validate=LEAVES, metadata={"description": "Newer size"})


class ConsistencyOut(Schema):
    old, new = Int(data_key="from"), Int(data_key="to")
    hashes = Hashes


def _recorder() -> ChainedApplicationRecorder:
    return cast(ChainedApplicationRecorder, ledger().recorder)


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def _proved(make: Callable[[], list[bytes]]) -> list[str]:
    """Return a proof's hashes in base64, or refuse (400) naming the field that cannot be."""
    try:
        return [_b64(h) for h in make()]
    except ProofRefused as refused:
        message = str(refused)
        field = [{"field": f"query.{refused.field}", "message": message}]
        raise ApiProblem(400, "invalid-proof-request", message, errors=field) from None


def _public_read(
    path: str, schema: type[Schema], query: type[Schema] | None = None
) -> Callable[[T], T]:
    """Route and document a GET that needs no token; bad query arguments answer 400."""
    decorators = [bp.route(path, methods=["GET"]), PUBLIC]
    decorators.append(bp.alt_response(THROTTLED, response="TOO_MANY_REQUESTS"))
    if query:
        decorators.append(
            bp.arguments(query, location="query", as_kwargs=False, error_status_code=400)
        )
    decorators.append(bp.response(200, schema))

    def wrap(view: T) -> T:
        for decorate in reversed(decorators):
            view = decorate(view)
        return view

    return wrap


@_public_read("/log/tree", TreeOut)
def tree() -> Any:
    """Give the tree head: its size and root hash (the checkpoint signs these)."""
    size, root = verifiable_log.tree_head(_recorder())
    return {"size": size, "root": _b64(root)}


@_public_read("/log/proofs/inclusion", InclusionOut, InclusionArgs)
def inclusion(args: dict[str, int]) -> Any:
    """Prove that entry `index` is in the tree of `size` entries (RFC 9162 §2.1.3)."""
    index, size = args["index"], args["size"]
    hashes = _proved(lambda: verifiable_log.inclusion(_recorder(), index, size))
    return {"index": index, "size": size, "hashes": hashes}


@_public_read("/log/proofs/consistency", ConsistencyOut, ConsistencyArgs)
def consistency(args: dict[str, int]) -> Any:
    """Prove that the tree of `from` entries is the start of the tree of `to` (§2.1.4)."""
    old, new = args["old"], args["new"]
    hashes = _proved(lambda: verifiable_log.consistency(_recorder(), old, new))
    return {"old": old, "new": new, "hashes": hashes}


ENTRY = {
    "description": "The entry's exact bytes: SHA-256(0x00 || bytes) is its leaf hash",
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
}


@bp.route("/log/entries/<int:index>", methods=["GET"])
@bp.doc(responses={"200": ENTRY})
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(THROTTLED, response="TOO_MANY_REQUESTS")
def entry(index: int) -> Response:
    """Give entry `index` as the tree hashed it (auditors only: it holds unpublished data)."""
    if not can.may_read_log_entries(actor()):
        raise PermissionDenied("Only an auditor may read the log's entries")
    try:
        if index > MOST_LEAVES:
            raise ProofRefused("index", f"There is no entry {index}")
        found = verifiable_log.entry(_recorder(), index)
    except ProofRefused as refused:
        raise ApiProblem(404, "no-such-entry", str(refused)) from None
    return Response(found, mimetype="application/octet-stream")
