"""Asking every enabled provider what a series holds, for the gap engine to merge.

``fetch_listings`` asks the providers the user switched on, in the user's order, and returns their
listings (one provider's word each, never merged here) with notes a person can read: which
provider was skipped and why, which failed and how, and which positions had to be normalised. A
provider that fails or is not set up is a note, never an exception.

``known_ids`` says what the library already knows of the series, so that providers are asked by
identifier rather than by name where they can be:

- ``"hardcover"``: the Hardcover series id (from a book's ``book_series``);
- ``"googlebooks"``: the Google Books series id (from a volume's ``seriesInfo``);
- ``"openlibrary"``: the Open Library series key ("OL326110L");
- ``"audible"``: the Audible series ASIN (from Audnexus's ``seriesPrimary``/``seriesSecondary``);
- ``"asins"``: ASINs of the series' audiobooks the library has (Audnexus lists only those);
- ``"isbns"``: ISBNs of the series' books the library has (Google finds a series through them);
- ``"openlibrary_works"``: Open Library work ids of the series' books the library has.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Protocol

from bookdesk.core.net.client import HttpClient
from bookdesk.core.net.errors import NetworkError
from bookdesk.core.providers.provider_secret import SecretsLike, provider_secret
from bookdesk.core.providers.sanitise import clean_field
from bookdesk.core.providers.series_audnexus import AudnexusSeries
from bookdesk.core.providers.series_common import same_series
from bookdesk.core.providers.series_google import GoogleBooksSeries
from bookdesk.core.providers.series_hardcover import HardcoverSeries
from bookdesk.core.providers.series_listing import SeriesListing
from bookdesk.core.providers.series_openlibrary import OpenLibrarySeries
from bookdesk.core.secrets import GOOGLEBOOKS_KEY, HARDCOVER_TOKEN

log = logging.getLogger(__name__)

PROVIDERS = ("hardcover", "openlibrary", "googlebooks", "audnexus")
LABELS = {"hardcover": "Hardcover", "openlibrary": "Open Library", "googlebooks": "Google Books",
          "audnexus": "Audnexus"}


class SettingsLike(Protocol):
    provider_order: list[str]
    providers_enabled: dict[str, bool]
    provider_urls: dict[str, str]


Notes = list[str]
_Ask = Callable[[Notes], Awaitable[list[SeriesListing]]]


async def fetch_listings(client: HttpClient, settings: SettingsLike, secrets: SecretsLike, series_name: str,
                         known_ids: Mapping[str, Any] | None = None, *, author: str | None = None,
                         user_waiting: bool = False,
                         reached: dict[str, str | None] | None = None) -> tuple[list[SeriesListing], list[str]]:
    """Each enabled provider's listing of the series ``series_name`` (see the module's description
    for ``known_ids``; ``author`` tells apart series of one name), in the user's order of providers,
    and the notes gathered on the way.

    Providers are asked side by side (each keeps to its own rate limit through ``client``). A
    provider with nothing to go on, or without the token it needs, is skipped with a note; one that
    fails adds a note saying how; one that knows nothing of the series says so in a note.

    ``reached``, when given, is filled with each provider asked (by label): None when it answered (even
    "no such series"), or why it could not be reached, so a caller tells "offline" from "not found".
    """
    reached = reached if reached is not None else {}
    known = dict(known_ids or {})
    name = clean_field(series_name, 300) or ""
    urls = dict(getattr(settings, "provider_urls", {}) or {})
    plans: list[tuple[str, _Ask | None, str | None]] = []
    for provider in enabled_providers(settings):
        ask, skipped = _plan(provider, client, urls, secrets, name, known, author, user_waiting)
        plans.append((provider, ask, skipped))

    async def run(provider: str, ask: _Ask | None, skipped: str | None) -> tuple[list[SeriesListing], Notes]:
        notes: Notes = []
        if ask is None:
            return [], [skipped] if skipped else []
        label = LABELS[provider]
        try:
            found = await ask(notes)
        except NetworkError as exc:
            reached[label] = exc.message
            return [], [*notes, f"{label} could not be asked about \u201c{name}\u201d: {exc.message}"]
        except Exception:  # bad data or a bug in one provider's client must not lose the others' answers
            log.exception("series lookup at %s failed", label)
            return [], [*notes, f"{label} sent an answer about \u201c{name}\u201d that BookDesk could not read."]
        reached[label] = None
        if not found:
            notes.append(f"{label} knows of no series \u201c{name}\u201d.")
        return found, notes

    answers = await asyncio.gather(*(run(*plan) for plan in plans))
    listings = [listing for found, _ in answers for listing in found]
    notes = [note for _, notes_of in answers for note in notes_of]
    return listings, notes


def enabled_providers(settings: SettingsLike) -> list[str]:
    """The switched-on providers in the user's order (any left out of the order go last)."""
    providers = getattr(settings, "providers", None)
    if callable(providers):
        return [p for p in providers() if p in PROVIDERS]
    order = [p for p in getattr(settings, "provider_order", []) if p in PROVIDERS]
    order += [p for p in PROVIDERS if p not in order]
    enabled = getattr(settings, "providers_enabled", {}) or {}
    return [p for p in order if enabled.get(p, True)]


def _plan(provider: str, client: HttpClient, urls: dict[str, str], secrets: SecretsLike, name: str,
          known: dict[str, Any], author: str | None, user_waiting: bool) -> tuple[_Ask | None, str | None]:
    """How to ask ``provider`` about the series, or why it cannot be asked."""
    label = LABELS[provider]
    if provider == "hardcover":
        token, refused = provider_secret(secrets, HARDCOVER_TOKEN, label)
        if refused:
            return None, refused
        source = HardcoverSeries(client, urls.get("hardcover") or None, token=token)
        if not source.configured():
            return None, f"{label} skipped: it needs an API token (Settings → Metadata Providers)."
        series_id = _text(known.get("hardcover"))
        if not series_id and not name:
            return None, f"{label} skipped: no series name or Hardcover id to ask about."

        async def ask_hardcover(notes: Notes) -> list[SeriesListing]:
            found = await source.series_listing(name or None, series_id=series_id, author=author, notes=notes,
                                                user_waiting=user_waiting)
            return [found] if found else []
        return ask_hardcover, None

    if provider == "googlebooks":
        api_key, refused = provider_secret(secrets, GOOGLEBOOKS_KEY, label)
        if refused:
            return None, refused
        source_g = GoogleBooksSeries(client, urls.get("googlebooks") or None, api_key=api_key)
        series_id = _text(known.get("googlebooks"))
        isbns = _texts(known.get("isbns"))
        if not series_id and not isbns:
            return None, (f"{label} skipped: it finds a series only through one of its books, and no ISBN or "
                          "Google series id is known for this one.")

        async def ask_google(notes: Notes) -> list[SeriesListing]:
            found = await source_g.series_listing(series_id, isbns=isbns, name=name or None, notes=notes,
                                                  user_waiting=user_waiting)
            return [found] if found else []
        return ask_google, None

    if provider == "audnexus":
        source_a = AudnexusSeries(client, urls.get("audnexus") or None)
        asins = _texts(known.get("asins"))
        series_asin = _text(known.get("audible"))
        if not asins and not name:
            return None, f"{label} skipped: no audiobook ASIN or series name to ask about."

        async def ask_audnexus(notes: Notes) -> list[SeriesListing]:
            if not asins:
                found = await source_a.search_series(name, author=author, notes=notes, user_waiting=user_waiting)
                return [found] if found else []
            listings = await source_a.series_of_books(asins, notes=notes, user_waiting=user_waiting)
            chosen = [s for s in listings if series_asin and s.provider_series_id == series_asin]
            chosen = chosen or [s for s in listings if same_series(s.series_name, name)]
            if not chosen and len(listings) == 1 and not name:
                chosen = listings
            if not chosen and listings:
                named = ", ".join(f"\u201c{s.series_name}\u201d" for s in listings)
                notes.append(f"{LABELS['audnexus']} puts the books asked about in {named}, not in \u201c{name}\u201d.")
            return chosen
        return ask_audnexus, None

    source_o = OpenLibrarySeries(client, urls.get("openlibrary") or None,
                                 covers_url=urls.get("openlibrary_covers") or None)
    series_key = _text(known.get("openlibrary"))
    works = _texts(known.get("openlibrary_works"))
    if not series_key and not works:
        return None, (f"{label} skipped: its series can be found only from one of its works, and no Open Library "
                      "work or series is known for this one.")

    async def ask_openlibrary(notes: Notes) -> list[SeriesListing]:
        found = await source_o.series_listing(series_key, works=works, name=name or None, notes=notes,
                                              user_waiting=user_waiting)
        return [found] if found else []
    return ask_openlibrary, None


def _text(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable):
        return []
    return [t for t in (_text(v) for v in value) if t]
