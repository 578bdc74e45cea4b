"""What the server allows: the rate-limit tiers, the lock-out after failed log-ins, and who may read the
OPDS feeds. Plain values, made from the settings (or a test's choice) when the server starts."""

from __future__ import annotations

from dataclasses import dataclass

from bookdesk.core.secrets import SHARING_OPDS_PASSWORD, environment_variable


def no_password_for(user: str, in_settings: bool = True) -> str:
    """A user name is kept (settings or --opds-user) but this run has no password for it: no keyring after
    a restart, none in the environment. Said as that, not as if no log-in were set."""
    where = f"give it in {environment_variable(SHARING_OPDS_PASSWORD)}"
    return (f"This run has no password for the e-readers' user “{user}”: {where}"
            + (", or type it again in Settings → Sharing." if in_settings else "."))


@dataclass(frozen=True, slots=True)
class Tier:
    """``requests`` in a burst, refilled at that many per ``seconds``."""

    requests: int
    seconds: float


@dataclass(frozen=True, slots=True)
class ServePolicy:
    reads: Tier = Tier(600, 60.0)  # per key and per address: a reader paging quickly stays well within
    writes: Tier = Tier(30, 60.0)  # jobs started
    failed_logins: int = 5  # from one address within ``failed_window``: then it is locked out
    failed_window: float = 15 * 60.0
    lockout: float = 15 * 60.0
    # The OPDS feeds' user; None: open to this machine only (127.0.0.1, ::1), refused to any other.
    # Its password is the secret ``core.secrets.SHARING_OPDS_PASSWORD``.
    opds_user: str | None = None
    # Where the person gave that user and password, for the refusals to point to: Settings → Sharing, or
    # the command line of ``bookdesk serve`` (--opds-user, the password in the environment).
    login_given_to_serve: bool = False
    realm: str = "BookDesk"
    # Names a request's Host may give besides localhost, loopback and the address it came in on
    # (serve/hosts.py): the machine's names and the certificate's, when the local network is allowed.
    host_names: tuple[str, ...] = ()
