"""``bookdesk opds URL [--search TEXT] [--user NAME] [--json]``: one page of an OPDS catalog.

The password of a catalog that asks for one comes from ``$BOOKDESK_OPDS_PASSWORD`` when set, else
from the keyring under ``opds:<name>``, where the name is that of the catalog in the settings whose
address has the same scheme, host and port as URL, or else URL's ``host:port`` (``host`` alone on
the default port). A catalog in the settings also gives the user name when ``--user`` is left out.
"""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

import httpx

from bookdesk import correlation
from bookdesk.cli.output import add_json_option, emit_json, progress, say
from bookdesk.core.acquisition.address_login import take_login
from bookdesk.core.acquisition.opds import OpdsAuthError, OpdsEntry, OpdsFeed, run_sync
from bookdesk.core.acquisition.opds.auth import origin_of
from bookdesk.core.net.host_name import host_key
from bookdesk.errors import BookDeskError, UsageError
from bookdesk.redaction import redact_url, remember

log = logging.getLogger(__name__)

PASSWORD_VARIABLE = "BOOKDESK_OPDS_PASSWORD"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", metavar="URL")
    parser.add_argument("--search", metavar="TEXT", help="search the catalog (its OpenSearch description)")
    parser.add_argument("--user", metavar="NAME", help="user name for a catalog that asks for one "
                        "(the password comes from $BOOKDESK_OPDS_PASSWORD or the keyring)")
    add_json_option(parser)


def main(args: argparse.Namespace, library: Path) -> int:  # a catalog needs no library
    return run(args.url, args.search, args.user, args.json)


def run(url: str, search: str | None, user: str | None, as_json: bool) -> int:
    # A login written into the address (user:password@) answers the catalog's challenge and is shown
    # nowhere; a key in its query stays there (the catalog may need it on every page), masked when shown.
    url, login = take_login(url)
    try:
        _check(url, search)
    except UsageError as exc:
        progress(f"bookdesk opds: {exc.message}")
        return EXIT_USAGE
    name, configured_user = _catalog(url)
    if login is not None and login.username:
        user, password = login.username, login.password
    else:
        user = user or configured_user or None
        password = _password(name) if user else None
    with correlation.bound(correlation.new_id()) as ref:
        try:
            if search is not None:
                feed = run_sync(url, lambda client: client.search(url, search), username=user, password=password)
            else:
                feed = run_sync(url, lambda client: client.feed(url), username=user, password=password)
        except UsageError as exc:
            progress(f"bookdesk opds: {exc.message}")
            return EXIT_USAGE
        except BookDeskError as exc:
            log.warning("opds %s failed: %s", redact_url(url), exc.message)
            progress(f"bookdesk opds: {exc.message}{_hint(exc, name)} (Ref {ref})")
            return EXIT_FAILED
    if as_json:
        emit_json(feed_json(feed))
    else:
        _print(feed)
    return EXIT_OK


def feed_json(feed: OpdsFeed) -> dict:
    return {"url": feed.url, "title": feed.title, "next": feed.next_url, "up": feed.up_url,
            "start": feed.start_url, "search": feed.search_template or feed.search_description_url,
            "total_results": feed.total_results, "entries": [entry_json(e) for e in feed.entries]}


def entry_json(entry: OpdsEntry) -> dict:
    return {
        "id": entry.id, "title": entry.title, "authors": list(entry.authors), "summary": entry.summary or None,
        "language": entry.language, "series": entry.series, "series_index": entry.series_index,
        "published": entry.published.isoformat() if entry.published else None,
        "cover": entry.cover_url, "thumbnail": entry.thumbnail_url, "navigation": entry.navigation_url,
        "acquisitions": [{"href": a.href, "type": a.type, "format": a.format, "rel": a.rel, "size": a.size}
                         for a in entry.acquisitions],
    }


def _check(url: str, search: str | None) -> None:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise UsageError(f"URL must be an http:// or https:// address of an OPDS catalog, not {url!r}.")
    if search is not None and not search.strip():
        raise UsageError("--search needs some text to search for.")


def _catalog(url: str) -> tuple[str, str]:
    """The catalog's name for its keyring entry, and the user name the settings give for it."""
    from bookdesk.core.acquisition.config import opds_catalogs
    from bookdesk.core.settings import load_settings

    origin = origin_of(url)
    try:
        catalogs = opds_catalogs(load_settings().opds_catalogs)
    except BookDeskError:
        catalogs = []
    for catalog in catalogs:
        if origin_of(catalog.url) == origin:
            return catalog.name, catalog.username
    return host_key(url), ""


def _password(name: str) -> str | None:
    from_env = os.environ.get(PASSWORD_VARIABLE)
    if from_env is not None:
        remember(from_env)
        return from_env
    from bookdesk.core.secrets import source_secret
    from bookdesk.platform.keyring_store import system_secret_store

    try:
        return system_secret_store().get(source_secret("opds", name))
    except Exception as exc:  # noqa: BLE001 - a broken keyring means: no password stored
        log.warning("the keyring could not be read (%s); going on without a password", exc)
        return None


def _hint(error: BookDeskError, name: str) -> str:
    if not isinstance(error, OpdsAuthError):
        return ""
    if error.needs_credentials:
        return f" Give --user NAME, with the password in ${PASSWORD_VARIABLE} or the keyring (opds:{name})."
    return f" The password comes from ${PASSWORD_VARIABLE}, else the keyring (opds:{name})."


def _print(feed: OpdsFeed) -> None:
    say(f"{feed.title}  <{feed.url}>")
    for entry in feed.entries:
        if entry.is_navigation:
            say(f"  > {entry.title}  <{entry.navigation_url}>")
            continue
        authors = ", ".join(entry.authors) or "Unknown"
        series = f"  [{entry.series} #{entry.series_index:g}]" if entry.series and entry.series_index else (
            f"  [{entry.series}]" if entry.series else "")
        say(f"  {entry.title} — {authors}{series}")
        for acquisition in entry.acquisitions:
            what = acquisition.format or acquisition.type or "?"
            kind = "" if acquisition.kind in ("acquisition", "open-access") else f" ({acquisition.kind})"
            say(f"      {what:<6} {acquisition.href}{kind}")
    if feed.next_url:
        say(f"next page: {feed.next_url}")
    say(f"{len(feed.entries)} entr{'y' if len(feed.entries) == 1 else 'ies'}")
