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


def test_the_keyring_is_looked_for_only_when_a_secret_is_first_asked_for():
    from bookdesk.platform.keyring_store import LazySecretStore

    looked: list[InMemorySecretStore] = []

    def find() -> InMemorySecretStore:
        looked.append(InMemorySecretStore({"a": "1"}))
        return looked[-1]

    store = LazySecretStore(find)
    assert looked == []
    assert store.get("a") == "1" and store.persistent is False
    store.set("b", "2")
    store.delete("a")
    assert len(looked) == 1 and store.get("b") == "2" and store.get("a") is None


def test_a_source_secret_has_a_variable_a_shell_can_set(monkeypatch):
    from bookdesk.core.secrets import source_secret

    assert EnvironmentOverrides.variable(HARDCOVER_TOKEN) == "BOOKDESK_HARDCOVER_TOKEN"
    assert EnvironmentOverrides.variable(source_secret("indexer", "My Prowlarr (books)")) == \
        "BOOKDESK_INDEXER_MY_PROWLARR_BOOKS"
    monkeypatch.setenv("BOOKDESK_CLIENT_SEEDBOX", "pw")
    assert EnvironmentOverrides(InMemorySecretStore()).get(source_secret("client", "Seedbox")) == "pw"
