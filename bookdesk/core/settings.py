"""The user's settings: one JSON file in the user config folder. Secrets never go here (keyring)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path

from bookdesk.core import paths
from bookdesk.core.path_template import DEFAULT_TEMPLATE, validate
from bookdesk.errors import UsageError
from bookdesk.redaction import storable_url

log = logging.getLogger(__name__)

SETTINGS_NAME = "settings.json"
# Hardcover and Audnexus first: they know series positions and narrators best.
PROVIDERS = ("hardcover", "openlibrary", "googlebooks", "audnexus")


@dataclass
class Settings:
    # The library opened when none is named (--library, $BOOKDESK_LIBRARY); "" is the default folder.
    library_folder: str = ""
    # The libraries opened lately, newest first (File → Recent Libraries).
    recent_libraries: list[str] = field(default_factory=list)
    import_template: str = DEFAULT_TEMPLATE
    import_mode: str = "copy"  # copy, move, link
    watch_folder: str = ""  # empty: no watch folder
    watch_enabled: bool = False
    watch_mode: str = "move"  # books dropped in a watch folder usually should not stay there
    watch_interval_seconds: int = 30
    # Metadata providers, in the order their answers are preferred; a base URL here points one at a
    # mirror (the BOOKDESK_<NAME>_URL environment variables do the same). Tokens live in the keyring.
    provider_order: list[str] = field(default_factory=lambda: list(PROVIDERS))
    providers_enabled: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(PROVIDERS, True))
    provider_urls: dict[str, str] = field(default_factory=dict)
    # Also write corrected metadata into the book files (EPUB, audio tags); originals are kept in the
    # library's .backup folder. Off by default: the catalog alone is the record.
    write_back_to_files: bool = False
    # Series gaps: books listed in other languages than this one are not missing ("" = any language);
    # novellas (positions like 2.5) count as missing only when asked.
    series_language: str = ""
    series_novellas: bool = False
    # Acquisition (issue 6). Each source is a plain dict in the file, read through
    # core/acquisition/config.py; its password or API key lives in the keyring under the name that
    # secrets.source_secret() gives.
    #   opds_catalogs:    {"name", "url", "username"}
    #   indexers:         {"name", "url", "kind": "torznab"|"newznab", "enabled"}
    #   download_clients: {"name", "kind": "qbittorrent"|"transmission", "url", "username", "category",
    #                      "save_path", "path_mappings": [{"remote", "local"}], "remove_after_import", "enabled"}
    opds_catalogs: list[dict] = field(default_factory=list)
    indexers: list[dict] = field(default_factory=list)
    download_clients: list[dict] = field(default_factory=list)
    download_concurrency: int = 3  # downloads running at once, over every host
    download_per_host: int = 2  # and from any one host
    grab_threshold: float = 0.5  # a release must score at least this (0..1) to be grabbed by itself
    # Audiobookshelf servers (issue 17), read through core/audiobookshelf/config.py; each API key lives
    # in the keyring under secrets.source_secret("audiobookshelf", name).
    #   audiobookshelf_servers: {"name", "url", "libraries": [name or id], "path_mappings": [{"remote",
    #                            "local"}], "enabled"}
    audiobookshelf_servers: list[dict] = field(default_factory=list)
    # The app looking after itself (issue 7): closing the window keeps BookDesk in the tray; start at
    # login; scheduled jobs paused by the person; and the look (system, light or dark).
    close_to_tray: bool = True
    start_at_login: bool = False
    automation_paused: bool = False
    theme: str = "system"
    # Sharing (issue 19): the OPDS feeds and the local API from the window; off by default. Without
    # sharing_lan only this machine reaches it (127.0.0.1); with it the local network does, over TLS: the
    # person's own certificate and key, or "" for one made on first use. The OPDS password is in the
    # keyring (secrets.SHARING_OPDS_PASSWORD); without a user the feeds are open to this machine only.
    sharing_enabled: bool = False
    sharing_lan: bool = False
    sharing_port: int = 8585
    sharing_opds_user: str = ""
    sharing_cert_file: str = ""
    sharing_key_file: str = ""

    def gap_policy(self):  # noqa: ANN201 - a GapPolicy (imported here to keep settings light)
        from bookdesk.core.series.policy import GapPolicy

        return GapPolicy(language=self.series_language or None, novellas=self.series_novellas)

    def check(self) -> None:
        validate(self.import_template)
        for mode in (self.import_mode, self.watch_mode):
            if mode not in ("copy", "move", "link"):
                raise UsageError(f"Import mode must be copy, move or link, not {mode!r}.")
        if self.watch_interval_seconds < 5:
            raise UsageError("The watch folder is checked at most every 5 seconds.")
        known = set(PROVIDERS) | {"openlibrary_covers"}
        unknown = (set(self.provider_order) | set(self.providers_enabled) | set(self.provider_urls)) - known
        if unknown:
            raise UsageError(f"Unknown metadata provider {sorted(unknown)[0]!r}.")
        if not 1 <= self.download_concurrency <= 20 or not 1 <= self.download_per_host <= 20:
            raise UsageError("Downloads at once must be between 1 and 20.")
        if self.theme not in ("system", "light", "dark"):
            raise UsageError(f"The theme is system, light or dark, not {self.theme!r}.")
        if not 0.0 <= self.grab_threshold <= 1.0:
            raise UsageError("The grab threshold is a score between 0 and 1.")
        if not 1024 <= self.sharing_port <= 65535:
            raise UsageError(f"The sharing port is between 1024 and 65535, not {self.sharing_port}.")
        from bookdesk.core.acquisition import config  # raises UsageError on a bad source

        config.opds_catalogs(self.opds_catalogs)
        config.indexers(self.indexers)
        config.clients(self.download_clients)
        from bookdesk.core.audiobookshelf.config import check_servers

        check_servers(self.audiobookshelf_servers)

    def providers(self) -> list[str]:
        """The switched-on providers, in order of preference (any missing from the order go last)."""
        order = [p for p in self.provider_order if p in PROVIDERS]
        order += [p for p in PROVIDERS if p not in order]
        return [p for p in order if self.providers_enabled.get(p, True)]


def settings_path() -> Path:
    return paths.config_dir() / SETTINGS_NAME


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings; defaults for anything missing, unknown or broken (a broken file is kept aside)."""
    return read_settings(path) or Settings()


def read_settings(path: Path | None = None, *, aside: bool = True) -> Settings | None:
    """The saved settings, or None when there is no file or none that can be used (a broken file is kept
    aside unless ``aside`` is False): a save that merges with the file (core/settings_merge.py) then has
    nothing to merge with."""
    path = path or settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        if aside and path.exists():  # kept out of the way under a name a person finds, never lost
            kept = _aside_name(path)
            path.replace(kept)
            log.warning("settings file %s is unreadable (%s); using defaults, and it is kept as %s", path, exc, kept)
        else:
            log.warning("settings file %s is unreadable (%s); using defaults", path, exc)
        return None
    known = {f.name: f for f in fields(Settings)}
    values = {k: v for k, v in raw.items() if k in known and isinstance(v, type(getattr(Settings(), k)))}
    settings = Settings(**values)
    try:
        settings.check()
    except UsageError as exc:
        log.warning("settings file %s has a bad value (%s); using defaults", path, exc.message)
        return None
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> Path | None:
    """Written to a temporary file and renamed, so a crash never leaves half a settings file. A file there
    that cannot be read or holds a bad value is never written over unseen: it is copied aside first (the
    copy is returned, and logged) so what the person wrote in it is not lost."""
    settings.check()
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = _keep_aside_if_unusable(path)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    temp.write_text(json.dumps(_storable(asdict(settings)), indent=2), encoding="utf-8")
    os.replace(temp, path)
    return kept


def _keep_aside_if_unusable(path: Path) -> Path | None:
    """A copy of the file at ``path`` when it exists but cannot be used as settings, named for when."""
    if not path.exists() or read_settings(path, aside=False) is not None:
        return None
    kept = _aside_name(path)
    shutil.copy2(path, kept)
    log.warning("settings file %s could not be used, so it was kept as %s before saving", path, kept)
    return kept


def _storable(values: dict) -> dict:
    """The settings as they may be written: every address without a login written into it (the
    password or key belongs in its own field, kept in the keyring)."""
    def clean(url: object, where: str) -> object:
        if not isinstance(url, str):
            return url
        stored = storable_url(url)
        if stored != url.strip():
            log.warning("the login written into the address of %s was not saved; give it in its own "
                        "field (it is kept in the keyring)", where)
        return stored

    values["provider_urls"] = {k: clean(v, k) for k, v in values["provider_urls"].items()}
    for kind in ("opds_catalogs", "indexers", "download_clients", "audiobookshelf_servers"):
        values[kind] = [{**source, "url": clean(source.get("url"), str(source.get("name")))}
                        if "url" in source else source for source in values[kind]]
    return values


def _aside_name(path: Path) -> Path:
    """Where a settings file that cannot be used is kept: beside it, named for when (UTC)."""
    return path.with_name(f"{path.name}.unreadable-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}")
