"""A system keyring that refuses, as a Secret Service with no default keyring does when the person
cancels its prompt: every read, write and delete raises ``KeyringLocked``, and is noted (one line per
call) in the file ``$BOOKDESK_TEST_KEYRING_LOG`` names, so a test can tell whether a start asked at all."""

from __future__ import annotations

import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked


class RefusingKeyring(KeyringBackend):
    priority = 10  # type: ignore[assignment] - preferred over every real backend

    def _asked(self, what: str, name: str) -> None:
        log = os.environ.get("BOOKDESK_TEST_KEYRING_LOG")
        if log:
            with Path(log).open("a", encoding="utf-8") as out:
                out.write(f"{what} {name}\n")
        raise KeyringLocked("Cancelled by the user")

    def get_password(self, service: str, username: str) -> str | None:
        self._asked("get", username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self._asked("set", username)

    def delete_password(self, service: str, username: str) -> None:
        self._asked("delete", username)
