"""Secrets come from the keyring or, for one run, the environment; never from or to a file."""

from __future__ import annotations

from bookdesk.core.secrets import HARDCOVER_TOKEN, InMemorySecretStore
from bookdesk.platform.keyring_store import EnvironmentOverrides, system_secret_store


def test_an_environment_variable_gives_a_token_for_this_run_only(monkeypatch):
    store = EnvironmentOverrides(InMemorySecretStore({HARDCOVER_TOKEN: "from-keyring"}))
    assert store.get(HARDCOVER_TOKEN) == "from-keyring"
    monkeypatch.setenv("BOOKDESK_HARDCOVER_TOKEN", "from-env")
    assert store.get(HARDCOVER_TOKEN) == "from-env"
    store.set(HARDCOVER_TOKEN, "typed-in")
    assert store.store.get(HARDCOVER_TOKEN) == "typed-in"  # the environment is never written to


def test_without_a_keyring_secrets_stay_in_memory_and_say_so(monkeypatch):
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    store = system_secret_store()
    assert store.persistent is False  # nothing may be persisted behind the user's back
    store.set(HARDCOVER_TOKEN, "abc")
    assert store.get(HARDCOVER_TOKEN) == "abc"
