"""A secret store standing for a keyring that will not read some secrets (locked, its prompt cancelled):
reading one of them raises ``SecretsUnavailableError`` as the real keyring store does."""

from __future__ import annotations

from bookdesk.core.secrets import InMemorySecretStore, SecretsUnavailableError


class RefusingFor(InMemorySecretStore):
    """Refuses to read the secrets named; keeps and gives the others."""

    def __init__(self, *refused: str, initial: dict[str, str] | None = None) -> None:
        super().__init__(initial)
        self.refused = refused

    def get(self, name: str) -> str | None:
        if name in self.refused:
            raise SecretsUnavailableError("Your system keyring did not read the secret (Cancelled by the user).")
        return super().get(name)
