"""Wire the real adapters: the one place that builds the ledger and its read models."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from adapters.account_admin import AccountAdmin
from adapters.checkpoint_history import CheckpointHistory
from adapters.config import SecuritySettings, load_policy
from adapters.identity import IdentityStore
from adapters.log_keys import LogIdentity, load_log_identity
from adapters.mail import NotifySettings, load_notify_settings
from adapters.persistence import database_url, is_postgres, ledger_env, release_engine
from adapters.personal_data import KeyVault, master_key
from adapters.sessions import SessionStore
from adapters.signed_note import NoteError
from adapters.tlog_cosignature import CosignatureVerifier, parse_cosigner_verifier_key
from adapters.two_factor import TwoFactorStore
from domain.services import Ledger
from projections.inline import InlineReadModels
from projections.messages import WORDINGS
from projections.notifying import Notifier
from projections.runner import ReadModels


def build_ledger(url: str | None = None, today: Callable[[], date] | None = None) -> Ledger:
    """Return a Ledger on the configured database (DATABASE_URL, else the SQLite file), its
    personal data sealed under keys kept beside it (adapters/personal_data.py)."""
    url = url or database_url()
    ledger = Ledger(env=ledger_env(url), policy=load_policy(), today=today or date.today)
    engine = ledger.recorder.datastore.engine  # type: ignore[attr-defined]
    ledger.personal_data = KeyVault(url, master_key(), engine)
    return ledger


def build_identity(url: str | None = None) -> IdentityStore:
    """Return the account store on the configured database."""
    return IdentityStore(url or database_url())


def build_sessions(
    url: str, now: Callable[[], datetime], settings: SecuritySettings
) -> SessionStore:
    """Return the server-side sessions, with the configured idle timeout and lifetime."""
    return SessionStore(url, now, settings.session_idle, settings.session_lifetime)


def build_two_factor(
    url: str,
    secret_key: str,
    now: Callable[[], datetime],
    identity: IdentityStore | None = None,
) -> TwoFactorStore:
    """Return the two-factor secrets (encrypted with a key derived from `secret_key`), on the
    identity store's connections when given (one pool fewer per worker)."""
    return TwoFactorStore(url, secret_key, now, identity.engine if identity else None)


def build_account_admin(
    ledger: Ledger,
    identity: IdentityStore,
    sessions: SessionStore,
    two_factor: TwoFactorStore | None = None,
) -> AccountAdmin:
    """Return account administration over the log and the identity store."""
    return AccountAdmin(ledger, identity, sessions, two_factor)


def build_notifier(
    url: str | None = None,
    now: Callable[[], datetime] | None = None,
    settings: NotifySettings | None = None,
) -> Notifier:
    """Return the notifier of the configured database, delivering by LEDGER_SMTP_URL or
    GOV.UK Notify (LEDGER_NOTIFY_API_KEY)."""
    url = url or database_url()
    settings = settings or load_notify_settings(kinds=WORDINGS)
    identity = build_identity(url)
    return Notifier(url, identity, settings.mailer(), settings, now or _utc_now)


def _utc_now() -> datetime:
    """Return the time now in UTC without a zone, as the outbox keeps times."""
    return datetime.now(UTC).replace(tzinfo=None)


def inline_projections(url: str) -> bool:
    """Say whether read models are kept inline, in the transaction of each append.

    Always on SQLite; on PostgreSQL only if LEDGER_INLINE_PROJECTIONS=1, since there a
    separate `ledger projections follow` process normally keeps them current.
    """
    flag = os.environ.get("LEDGER_INLINE_PROJECTIONS", "").strip().lower()
    if flag:
        return flag in ("1", "true", "yes", "on")
    return not is_postgres(url)


@dataclass
class Services:
    ledger: Ledger
    read_models: ReadModels

    def catch_up(self) -> int:
        """Bring every read model up to the head of the log."""
        return self.read_models.catch_up(self.ledger)

    @contextmanager
    def projections_paused(self) -> Iterator[None]:
        """Skip per-command catch-up during a bulk job; catch up once at the end (any backend)."""
        recorder: Any = self.ledger.recorder
        listeners, self.ledger.after_save = self.ledger.after_save, []
        within, recorder.within_append = recorder.within_append, []
        try:
            yield
        finally:
            self.ledger.after_save, recorder.within_append = listeners, within
            self.catch_up()

    def close(self) -> None:
        self.read_models.close()
        self.ledger.close()
        engine = self.ledger.recorder.datastore.engine  # type: ignore[attr-defined]
        if engine is not None:
            release_engine(engine)  # closes SQLite connections: the write-ahead log is checkpointed


def build_services(url: str | None = None, today: Callable[[], date] | None = None) -> Services:
    """Return the ledger and its read models, kept inline where configured (changed in each
    append's transaction: projections/inline.py)."""
    url = url or database_url()
    services = Services(build_ledger(url, today), ReadModels(url))
    if inline_projections(url):
        InlineReadModels(services.read_models, services.ledger).attach()
    return services


def build_checkpoints(
    ledger: Ledger, now: Callable[[], datetime], identity: LogIdentity | None = None
) -> CheckpointHistory:
    """Return the log's signed checkpoints, signed with LEDGER_LOG_KEY (else a key in instance/)."""
    recorder = ledger.recorder
    return CheckpointHistory(recorder, identity or load_log_identity(), now)  # type: ignore[arg-type]


def witness_keys(setting: str) -> dict[tuple[str, int], CosignatureVerifier]:
    """Return the witnesses whose cosignatures the log takes: LEDGER_WITNESS_KEYS, comma-separated
    cosigner verifier keys (from `ledger witness keygen`)."""
    found = {}
    for text in (part.strip() for part in setting.split(",")):
        if not text:
            continue
        try:
            verifier = parse_cosigner_verifier_key(text)
        except NoteError as error:
            raise ValueError(f"LEDGER_WITNESS_KEYS holds a key that is not one: {error}") from None
        found[(verifier.name, verifier.key_hash)] = verifier
    return found
