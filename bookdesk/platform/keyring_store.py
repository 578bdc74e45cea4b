"""The OS keyring as BookDesk's SecretStore (macOS Keychain, Windows Credential Locker, Secret Service).

Where no keyring exists (a bare Linux session), secrets are kept for this run only and the
settings page says so; BookDesk never writes them to a file on its own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator

from bookdesk.core.secrets import (
    SERVICE,
    InMemorySecretStore,
    SecretStore,
    SecretsUnavailableError,
    environment_variable,
)
from bookdesk.redaction import remember

log = logging.getLogger(__name__)


class KeyringSecretStore:
    persistent = True

    def __init__(self) -> None:
        import keyring

        self._keyring = keyring
        # Calls into some keyring backends are not thread-safe (Vorta needed a mutex): one at a time.
        self._lock = threading.Lock()

    def get(self, name: str) -> str | None:
        with self._lock, _refusals("read"):
            value = self._keyring.get_password(SERVICE, name)
        remember(value)  # masked in every log line and message from now on, should a server echo it
        return value

    def set(self, name: str, value: str) -> None:
        remember(value)
        with self._lock, _refusals("keep"):
            self._keyring.set_password(SERVICE, name, value)

    def delete(self, name: str) -> None:
        from keyring.errors import PasswordDeleteError

        with self._lock, _refusals("forget"), contextlib.suppress(PasswordDeleteError):  # none stored: fine
            self._keyring.delete_password(SERVICE, name)


@contextlib.contextmanager
def _refusals(doing: str) -> Iterator[None]:
    """A keyring that refuses (locked, its unlock prompt cancelled, no default keyring, D-Bus gone) raises
    its own errors, or D-Bus's: one error a person can read, raised where the secret was wanted."""
    try:
        yield
    except SecretsUnavailableError:
        raise
    except Exception as exc:  # noqa: BLE001 - every backend has its own; none may end BookDesk
        log.warning("the system keyring did not %s a secret: %s", doing, exc)
        raise SecretsUnavailableError(
            f"Your system keyring did not {doing} the secret ({exc or type(exc).__name__}). It may be locked, "
            "or its prompt was cancelled: unlock it and try again.") from exc


class EnvironmentOverrides:
    """Secrets given for one run in the environment (``BOOKDESK_HARDCOVER_TOKEN``), for scripts and
    servers with no keyring; read only, never written anywhere. Everything else goes to ``store``."""

    def __init__(self, store: SecretStore) -> None:
        self.store = store

    @property
    def persistent(self) -> bool:
        return self.store.persistent

    @staticmethod
    def variable(name: str) -> str:
        return environment_variable(name)

    def get(self, name: str) -> str | None:
        from_env = os.environ.get(self.variable(name))
        remember(from_env)
        return from_env or self.store.get(name)

    def set(self, name: str, value: str) -> None:
        self.store.set(name, value)

    def delete(self, name: str) -> None:
        self.store.delete(name)


class LazySecretStore:
    """A store found on first use: asking the OS for its keyring loads every backend keyring knows (a
    tenth of a second), which a start that needs no secret should not pay."""

    def __init__(self, find) -> None:  # noqa: ANN001 - a callable returning a SecretStore
        self._find = find
        self._store: SecretStore | None = None
        self._lock = threading.Lock()

    @property
    def store(self) -> SecretStore:
        with self._lock:
            if self._store is None:
                self._store = self._find()
            return self._store

    @property
    def persistent(self) -> bool:
        return self.store.persistent

    def get(self, name: str) -> str | None:
        return self.store.get(name)

    def set(self, name: str, value: str) -> None:
        self.store.set(name, value)

    def delete(self, name: str) -> None:
        self.store.delete(name)


def system_secret_store() -> SecretStore:
    """The OS keyring (or, with none, memory for this run), found when first asked, under environment
    overrides."""
    return EnvironmentOverrides(LazySecretStore(_keyring_or_memory))


def _keyring_or_memory() -> SecretStore:
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
            raise RuntimeError(f"no usable keyring ({type(backend).__name__})")
        return KeyringSecretStore()
    except Exception as exc:  # noqa: BLE001 - any keyring trouble means: none here
        log.warning("secrets will last only while BookDesk runs: %s", exc)
        return InMemorySecretStore()
