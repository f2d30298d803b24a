"""The log's signed checkpoint, its verifier key, and witnesses' cosignatures (no token needed)."""

from __future__ import annotations

from typing import Any, cast

from flask import Response, current_app, request
from marshmallow import Schema, fields

from adapters.checkpoint_history import CheckpointHistory, size_of
from adapters.log_keys import LogIdentity
from adapters.signed_note import NoteError, Signature, check_text, parse_signature_line
from adapters.tlog_cosignature import CosignatureVerifier
from web.api.log import LEAVES, PUBLIC, bp
from web.api.operations import THROTTLED
from web.api.problems import ApiProblem

TEXT = "text/plain; charset=utf-8"
MAX_BODY = 64 * 1024


def _text(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"text/plain": {"schema": {"type": "string"}}}}


def history() -> CheckpointHistory:
    return cast(CheckpointHistory, current_app.extensions["log_checkpoints"])


@bp.route("/log/checkpoint", methods=["GET"])
@PUBLIC
@bp.doc(responses={"200": _text("The signed C2SP checkpoint, then witnesses' cosignatures")})
@bp.alt_response(THROTTLED, response="TOO_MANY_REQUESTS")
def checkpoint() -> Response:
    """Give the latest signed checkpoint of the tree (C2SP tlog-checkpoint), with cosignatures."""
    return Response(history().served(), content_type=TEXT)


@bp.route("/log/key", methods=["GET"])
@PUBLIC
@bp.doc(responses={"200": _text("The log's signed-note verifier key")})
@bp.alt_response(THROTTLED, response="TOO_MANY_REQUESTS")
def key() -> Response:
    """Give the verifier key that checks the checkpoints' signatures."""
    identity = cast(LogIdentity, current_app.extensions["log_identity"])
    return Response(identity.verifier_key() + "\n", content_type=TEXT)


class CosignatureArgs(Schema):
    size = fields.Integer(
        validate=LEAVES,
        metadata={"description": "The checkpoint's tree size (needed for a single line)"},
    )


class CosignedOut(Schema):
    size = fields.Integer(metadata={"description": "The tree size of the checkpoint cosigned"})
    witnesses = fields.List(fields.String(), metadata={"description": "The keys accepted"})


def _refuse(field: str, message: str) -> ApiProblem:
    errors = [{"field": field, "message": message}]
    return ApiProblem(400, "invalid-cosignature", message, errors=errors)


def _read_body() -> str:
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BODY:
        raise _refuse("body", f"a cosignature is at most {MAX_BODY} bytes")
    try:
        return check_text(raw)
    except NoteError as error:
        raise _refuse("body", str(error)) from None


def _split(text: str, size: int | None) -> tuple[int, str | None, list[str]]:
    """Return the size, the note text (if a whole note was sent) and the signature lines."""
    if "\n\n" in text:
        split = text.rfind("\n\n")
        body, lines = text[: split + 1], text[split + 2 :].rstrip("\n").split("\n")
        try:
            found = size_of(body)
        except NoteError as error:
            raise _refuse("body", f"not a checkpoint: {error}") from None
        if size is not None and size != found:
            raise _refuse("query.size", f"the note is of size {found}, not {size}")
        return found, body, lines
    if size is None:
        raise _refuse("query.size", "a single cosignature line needs the checkpoint's size")
    return size, None, [line for line in text.split("\n") if line]


def _verified(text: str, size: int | None) -> tuple[int, list[Signature]]:
    """Return the checkpoint size and the configured witnesses' cosignatures that verify."""
    size, body, lines = _split(text, size)
    kept = history().at(size)
    if kept is None:
        raise _refuse("query.size" if body is None else "body", f"no checkpoint of size {size}")
    if body is not None and body != kept.body:
        raise _refuse("body", f"the note is not the checkpoint of size {size} this log signed")
    identity = cast(LogIdentity, current_app.extensions["log_identity"])
    own = (identity.origin, identity.signer.key_hash)
    witnesses = cast(
        dict[tuple[str, int], CosignatureVerifier], current_app.extensions["log_witnesses"]
    )
    accepted: list[Signature] = []
    for line in lines:
        try:
            signature, raw = parse_signature_line(line)
        except NoteError as error:
            raise _refuse("body", str(error)) from None
        if (signature.name, signature.key_hash) == own:
            continue
        witness = witnesses.get((signature.name, signature.key_hash))
        if witness is None:
            continue
        if not witness.verify(kept.body.encode(), raw):
            raise _refuse("body", f"the cosignature of {signature.name} does not verify")
        accepted.append(signature)
    if not accepted:
        raise ApiProblem(403, "unknown-witness", "no cosignature by a witness key this log accepts")
    return size, accepted


@bp.route("/log/cosignatures", methods=["POST"])
@PUBLIC
@bp.arguments(CosignatureArgs, location="query", as_kwargs=False, error_status_code=400)
@bp.doc(
    requestBody={
        "required": True,
        "content": {"text/plain": {"schema": {"type": "string"}}},
        "description": "A cosignature line (with ?size=) or the cosigned checkpoint note",
    }
)
@bp.response(200, CosignedOut)
@bp.alt_response(400, response="BAD_REQUEST")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
@bp.alt_response(THROTTLED, response="TOO_MANY_REQUESTS")
def cosignatures(args: dict[str, int]) -> Any:
    """Take a witness's cosignature of a checkpoint this log signed (LEDGER_WITNESS_KEYS only).

    Kept ones are served after the log's signature by `/log/checkpoint`; sending one again is
    harmless (a witness's newer cosignature of the same checkpoint replaces its older).
    """
    size, accepted = _verified(_read_body(), args.get("size"))
    history().keep_cosignatures(size, accepted)
    return {"size": size, "witnesses": [s.name for s in accepted]}
