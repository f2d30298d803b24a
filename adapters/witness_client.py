"""Ask a ledger over HTTP for its checkpoint and consistency proofs, refusing anything odd."""

from __future__ import annotations

import base64
import json
import urllib.request
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode

from adapters.signed_note import strict_b64decode

MAX_RESPONSE_BYTES = 1024 * 1024
TIMEOUT_SECONDS = 10.0


def _get(url: str) -> bytes:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"the log URL must start http:// or https://, not {url!r}")
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            body: bytes = response.read(MAX_RESPONSE_BYTES + 1)
    except HTTPError as error:
        raise ValueError(f"{url} answered {error.code} {error.reason}") from None
    except (URLError, TimeoutError) as error:
        raise ValueError(f"{url} could not be reached: {getattr(error, 'reason', error)}") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise ValueError(f"{url} answered with more than {MAX_RESPONSE_BYTES} bytes")
    return body


def fetch_checkpoint(log_url: str) -> str:
    """Return the signed checkpoint the log serves at /api/v1/log/checkpoint."""
    url = log_url.rstrip("/") + "/api/v1/log/checkpoint"
    try:
        return _get(url).decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{url} did not answer with UTF-8 text") from None


def fetch_consistency(log_url: str, old_size: int, new_size: int) -> list[bytes]:
    """Return the hashes of the log's proof that the tree of new_size extends that of old_size."""
    query = urlencode({"from": old_size, "to": new_size})
    url = f"{log_url.rstrip('/')}/api/v1/log/proofs/consistency?{query}"
    try:
        answer = json.loads(_get(url))
        hashes = [strict_b64decode(h) for h in answer["hashes"]]
        sizes = (answer["from"], answer["to"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ValueError(f"{url} did not answer with a consistency proof") from None
    if sizes != (old_size, new_size) or any(h is None or len(h) != 32 for h in hashes):
        raise ValueError(f"{url} answered with a proof for other sizes or malformed hashes")
    return [h for h in hashes if h is not None]


def encode_hashes(hashes: list[bytes]) -> list[str]:
    """Return the base64 form of proof hashes, as the API carries them."""
    return [base64.b64encode(h).decode() for h in hashes]
