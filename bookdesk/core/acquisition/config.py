"""The acquisition sources in the settings file, as typed records: OPDS catalogs, indexers and
download clients. The file keeps plain dicts (see ``Settings``); their secrets are in the keyring
under ``secrets.source_secret(kind, name)``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from bookdesk.errors import UsageError

INDEXER_KINDS = ("torznab", "newznab")
CLIENT_KINDS = ("qbittorrent", "transmission")


@dataclass(frozen=True, slots=True)
class OpdsCatalogConfig:
    name: str
    url: str
    username: str = ""

    def to_dict(self) -> dict:
        return {"name": self.name, "url": self.url, "username": self.username}


@dataclass(frozen=True, slots=True)
class IndexerConfig:
    name: str
    url: str  # the Torznab/Newznab endpoint, e.g. http://localhost:9696/1/api
    kind: str = "torznab"
    enabled: bool = True

    def to_dict(self) -> dict:
        return {"name": self.name, "url": self.url, "kind": self.kind, "enabled": self.enabled}


@dataclass(frozen=True, slots=True)
class PathMapping:
    """A folder as the download client sees it (``remote``) and as this machine does (``local``)."""

    remote: str
    local: str

    def apply(self, path: str) -> str | None:
        """``path`` on this machine, or None when it is not under ``remote``."""
        remote = self.remote.rstrip("/\\")
        if path == remote:
            return self.local
        for sep in ("/", "\\"):
            if path.startswith(remote + sep):
                rest = path[len(remote) + 1:].replace("\\", "/")
                return self.local.rstrip("/\\") + "/" + rest
        return None


@dataclass(frozen=True, slots=True)
class ClientConfig:
    name: str
    kind: str  # qbittorrent | transmission
    url: str  # the Web UI (qBittorrent) or RPC (Transmission) address
    username: str = ""
    category: str = "bookdesk"  # qBittorrent's category, Transmission's label
    save_path: str = ""  # empty: the client's default folder
    path_mappings: tuple[PathMapping, ...] = ()
    remove_after_import: bool = False  # False: keep seeding after the import
    enabled: bool = True

    def local_path(self, client_path: str) -> str:
        """A path the client reported, as this machine sees it (the first mapping that applies)."""
        return first_mapped(self.path_mappings, client_path) or client_path

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "url": self.url, "username": self.username,
                "category": self.category, "save_path": self.save_path,
                "path_mappings": [{"remote": m.remote, "local": m.local} for m in self.path_mappings],
                "remove_after_import": self.remove_after_import, "enabled": self.enabled}


def first_mapped(mappings: Sequence[PathMapping], path: str) -> str | None:
    """``path`` (as a client or server sees it) on this machine, by the first mapping that applies."""
    for mapping in mappings:
        mapped = mapping.apply(path)
        if mapped is not None:
            return mapped
    return None


def path_mappings(raw: Sequence[Mapping] | None, name: str, whose: str) -> tuple[PathMapping, ...]:
    """The mappings of the settings' source ``name``; ``whose`` names the other side's folder in the error."""
    mappings = []
    for mapping in raw or ():
        remote, local = str(mapping.get("remote") or ""), str(mapping.get("local") or "")
        if not remote or not local:
            raise UsageError(f"A path mapping of {name} needs both {whose} folder and this machine's.")
        mappings.append(PathMapping(remote, local))
    return tuple(mappings)


def _url(value: object, what: str) -> str:
    url = str(value or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"The address of {what} must be an http:// or https:// URL, not {url!r}.")
    return url


def _name(raw: Mapping, what: str, seen: set[str]) -> str:
    name = str(raw.get("name") or "").strip()
    if not name:
        raise UsageError(f"Every {what} needs a name.")
    if name in seen:
        raise UsageError(f"Two {what}s are called {name!r}; give each its own name.")
    seen.add(name)
    return name


def opds_catalogs(raw: Sequence[Mapping]) -> list[OpdsCatalogConfig]:
    seen: set[str] = set()
    found = []
    for item in raw:
        name = _name(item, "OPDS catalog", seen)
        found.append(OpdsCatalogConfig(name, _url(item.get("url"), name), str(item.get("username") or "")))
    return found


def indexers(raw: Sequence[Mapping]) -> list[IndexerConfig]:
    seen: set[str] = set()
    found = []
    for item in raw:
        name = _name(item, "indexer", seen)
        kind = str(item.get("kind") or "torznab")
        if kind not in INDEXER_KINDS:
            raise UsageError(f"An indexer is one of {', '.join(INDEXER_KINDS)}, not {kind!r}.")
        found.append(IndexerConfig(name, _url(item.get("url"), name), kind, bool(item.get("enabled", True))))
    return found


def clients(raw: Sequence[Mapping]) -> list[ClientConfig]:
    seen: set[str] = set()
    found = []
    for item in raw:
        name = _name(item, "download client", seen)
        kind = str(item.get("kind") or "")
        if kind not in CLIENT_KINDS:
            raise UsageError(f"A download client is one of {', '.join(CLIENT_KINDS)}, not {kind!r}.")
        mappings = path_mappings(item.get("path_mappings"), name, "the client's")
        found.append(ClientConfig(
            name, kind, _url(item.get("url"), name), str(item.get("username") or ""),
            str(item.get("category") or "bookdesk"), str(item.get("save_path") or ""), mappings,
            bool(item.get("remove_after_import", False)), bool(item.get("enabled", True))))
    return found
