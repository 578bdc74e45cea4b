"""The Audiobookshelf servers in the settings file, as typed records. The file keeps plain dicts
(``Settings.audiobookshelf_servers``); each server's API key (or, for one with a user name, its log-in's
tokens: login.py) is in the keyring under
``secrets.source_secret("audiobookshelf", name)``, or for one run in ``BOOKDESK_AUDIOBOOKSHELF_<NAME>``."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bookdesk.core.acquisition.config import PathMapping, _name, _url, first_mapped, path_mappings
from bookdesk.core.audiobookshelf.push_fields import SYNC_FIELDS, sync_fields
from bookdesk.core.net.tls_pin import normalized
from bookdesk.core.secrets import environment_variable, source_secret
from bookdesk.errors import UsageError

LABEL = "Audiobookshelf server"

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AbsServerConfig:
    """``libraries``: the names or ids of the server's libraries BookDesk reads (empty: every one);
    ``path_mappings``: a folder as the server sees it and as this machine does, when both see one disk."""

    name: str
    url: str
    libraries: tuple[str, ...] = ()
    path_mappings: tuple[PathMapping, ...] = ()
    enabled: bool = True
    sync_fields: tuple[str, ...] = SYNC_FIELDS  # the item's fields a push sends (push_fields.py)
    username: str = ""  # set: BookDesk logs in as this user (login.py), its secret a password or tokens
    fingerprint: str = ""  # the SHA-256 of a certificate the person accepted; only it is trusted (tls_pin.py)
    send_downloads_to: str = ""  # a library (name or id) downloaded audiobooks are sent to (arrivals.py)

    @property
    def secret(self) -> str:
        return source_secret("audiobookshelf", self.name)

    @property
    def variable(self) -> str:
        """The environment variable that gives the key for one run."""
        return environment_variable(self.secret)

    @property
    def base(self) -> str:
        return self.url.rstrip("/")

    def local_path(self, server_path: str) -> str | None:
        """A path the server reported, as this machine sees it (the first mapping that applies)."""
        return first_mapped(self.path_mappings, server_path)

    def to_dict(self) -> dict:
        return {"name": self.name, "url": self.url, "libraries": list(self.libraries),
                "path_mappings": [{"remote": m.remote, "local": m.local} for m in self.path_mappings],
                "enabled": self.enabled, "sync_fields": list(self.sync_fields),
                **({"username": self.username} if self.username else {}),
                **({"tls_fingerprint": self.fingerprint} if self.fingerprint else {}),
                **({"send_downloads_to": self.send_downloads_to} if self.send_downloads_to else {})}


def servers(raw: Sequence[Mapping], *, skip_unusable: bool = False) -> list[AbsServerConfig]:
    """The servers of the settings file; UsageError naming the first that is wrong. With
    ``skip_unusable``, a server whose ``sync_fields`` is wrong is left out (logged, naming it) so one typo
    makes that one server unusable, not every server."""
    seen: set[str] = set()
    found = []
    for item in raw:
        name = _name(item, LABEL, seen)
        mappings = path_mappings(item.get("path_mappings"), name, "the server's")
        libraries = tuple(str(v) for v in item.get("libraries") or () if str(v).strip())
        try:
            chosen = sync_fields(item.get("sync_fields"), name)
        except UsageError as exc:
            if not skip_unusable:
                raise
            log.warning("%s The server is left out until its sync_fields is mended in the settings file.",
                        exc.message)
            continue
        found.append(AbsServerConfig(name, _url(item.get("url"), name), libraries, mappings,
                                     bool(item.get("enabled", True)), chosen, str(item.get("username") or "").strip(),
                                     _fingerprint(item.get("tls_fingerprint"), name),
                                     str(item.get("send_downloads_to") or "").strip()))
    return found


def _fingerprint(value: object, name: str) -> str:
    if not value:
        return ""
    try:
        return normalized(str(value))
    except UsageError as exc:
        raise UsageError(f"{LABEL} {name}: {exc.message}") from None


def check_servers(raw: Sequence[Mapping]) -> None:
    """The check the settings file passes: every server as ``servers`` checks it, but a wrong
    ``sync_fields`` spoils only its own server (said when that server is used), not the whole file."""
    servers([{k: v for k, v in item.items() if k != "sync_fields"} if isinstance(item, Mapping) else item
             for item in raw])


def unusable(raw: Sequence[Mapping]) -> list[str]:
    """What is wrong with each server that ``servers(..., skip_unusable=True)`` leaves out."""
    problems = []
    for item in raw:
        try:
            sync_fields(item.get("sync_fields"), str(item.get("name") or "").strip())
        except UsageError as exc:
            problems.append(exc.message)
    return problems


def find(raw: Sequence[Mapping], name: str | None) -> list[AbsServerConfig]:
    """The server called ``name``, or every enabled usable one when ``name`` is None."""
    every = servers(raw, skip_unusable=True)
    if name is None:
        return [s for s in every if s.enabled]
    chosen = [s for s in every if s.name == name]
    if not chosen:
        servers([item for item in raw if str(item.get("name") or "").strip() == name])  # its own fault, named
        known = ", ".join(s.name for s in every) or "none yet (bookdesk abs add NAME URL)"
        raise UsageError(f"No Audiobookshelf server is called {name!r}; the servers are: {known}.")
    return chosen


def with_server(raw: Sequence[Mapping], server: Mapping) -> list[dict]:
    """The settings' servers with ``server`` added, or in place of the one of its name; checked."""
    name = str(server.get("name") or "").strip()
    kept = [dict(item) for item in raw if str(item.get("name") or "").strip() != name]
    found = [*kept, dict(server)]
    servers([dict(server)])  # a wrong address, mapping or field of this one is said now
    servers(found, skip_unusable=True)  # and a name twice; another's bad sync_fields is its own matter
    return found
