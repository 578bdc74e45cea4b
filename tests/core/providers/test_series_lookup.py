"""Every enabled provider asked about a series: their listings kept apart, every problem a note."""

from __future__ import annotations

import asyncio

from bookdesk.core.providers.series_lookup import enabled_providers, fetch_listings
from bookdesk.core.secrets import GOOGLEBOOKS_KEY, HARDCOVER_TOKEN, InMemorySecretStore
from bookdesk.core.settings import Settings
from tests.core.net.local_server import LocalServer, Reply, recorded

GRAPHQL = "/v1/graphql"
GOOGLE = "/books/v1"


def settings_for(server: LocalServer, **changes) -> Settings:
    settings = Settings(provider_urls={"hardcover": server.url + GRAPHQL, "googlebooks": server.url + GOOGLE,
                                       "audnexus": server.url, "openlibrary": server.url,
                                       "openlibrary_covers": server.url + "/covers"})
    for name, value in changes.items():
        setattr(settings, name, value)
    return settings


def fetch(net, server: LocalServer, settings: Settings, secrets, name: str, known: dict, **options):
    async def go():
        async with net() as client:
            return await fetch_listings(client, settings, secrets, name, known, **options)

    return asyncio.run(go())


def test_each_provider_answers_in_the_users_order_and_the_unconfigured_are_notes(server: LocalServer, net) -> None:
    server.route("GET", "/books/B003ZWFO7E", recorded("audnexus_book"))
    server.route("GET", "/books/B00DA6YEKS", recorded("series_audnexus_words"))
    server.route("GET", f"{GOOGLE}/series/get", recorded("googlebooks_series"))
    server.route("GET", f"{GOOGLE}/series/membership/get", recorded("series_google_membership_2"))
    settings = settings_for(server, provider_order=["audnexus", "googlebooks", "hardcover", "openlibrary"])

    listings, notes = fetch(net, server, settings, InMemorySecretStore(), "The Stormlight Archive",
                            {"googlebooks": "B6m9GAAAABAJ", "asins": ["B003ZWFO7E", "B00DA6YEKS"],
                             "audible": "B0B6VBB0L4"})

    assert [(s.source, s.series_name) for s in listings] == [("audnexus", "The Stormlight Archive"),
                                                             ("googlebooks", "The Stormlight Archive")]
    assert [e.label for e in listings[0].entries] == ["1", "2"]  # Cosmere, the books' other series, left out
    assert notes == [
        "Audnexus: one series is called \u201cThe Stormlight Archive\u201d by some books and \u201cStormlight "
        "Archive\u201d by others; \u201cThe Stormlight Archive\u201d is used.",
        "Hardcover skipped: it needs an API token (Settings → Metadata Providers).",
        "Open Library skipped: its series can be found only from one of its works, and no Open Library work or "
        "series is known for this one.",
    ]
    assert not any(r.path == GRAPHQL for r in server.requests)


def test_a_failing_provider_is_a_note_and_the_others_still_answer(server: LocalServer, net) -> None:
    server.route("POST", GRAPHQL, recorded("series_hardcover_listing"))
    server.route("GET", f"{GOOGLE}/volumes", Reply(503, "<html><body>Service Unavailable</body></html>",
                                                   content_type="text/html"))
    server.route("GET", "/series/OL327001L.json", Reply(body="{\"name\": \"Mistborn\""))  # cut short
    secrets = InMemorySecretStore({HARDCOVER_TOKEN: "tok-123", GOOGLEBOOKS_KEY: "key"})
    settings = settings_for(server, providers_enabled={"audnexus": False})

    listings, notes = fetch(net, server, settings, secrets, "Mistborn",
                            {"hardcover": 997, "isbns": ["9780765311788"], "openlibrary": "OL327001L"})

    assert [s.source for s in listings] == ["hardcover"]
    assert listings[0].total_primary == 7 and len(listings[0].entries) == 12
    assert notes[0].startswith("Hardcover, Mistborn: \u201cMistborn: The Final Empire (Dramatized Adaptation)\u201d")
    assert notes[1].startswith("Open Library could not be asked about \u201cMistborn\u201d: Open Library (")
    assert "malformed JSON" in notes[1]
    assert notes[2].startswith("Google Books could not be asked about \u201cMistborn\u201d: Google Books (")
    assert len(notes) == 3
    assert not any(r.path.startswith("/books/B") for r in server.requests)  # Audnexus is switched off


def test_a_provider_that_knows_nothing_says_so(server: LocalServer, net) -> None:
    server.route("POST", GRAPHQL, Reply(body={"data": {"search": {"results": {"found": 0, "hits": []}}}}))
    secrets = InMemorySecretStore({HARDCOVER_TOKEN: "tok-123"})
    settings = settings_for(server, providers_enabled={"googlebooks": False, "audnexus": False,
                                                       "openlibrary": False})

    listings, notes = fetch(net, server, settings, secrets, "A Series Nobody Wrote", {})

    assert listings == [] and notes == ["Hardcover knows of no series \u201cA Series Nobody Wrote\u201d."]


def test_audnexus_books_in_another_series_are_a_note(server: LocalServer, net) -> None:
    server.route("GET", "/books/B003ZWFO7E", recorded("audnexus_book"))
    settings = settings_for(server, providers_enabled={"hardcover": False, "googlebooks": False,
                                                       "openlibrary": False})

    listings, notes = fetch(net, server, settings, InMemorySecretStore(), "Mistborn", {"asins": ["B003ZWFO7E"]})

    assert listings == []
    assert notes[0] == ("Audnexus puts the books asked about in \u201cThe Stormlight Archive\u201d, \u201cCosmere\u201d, "
                        "not in \u201cMistborn\u201d.")


def test_bad_data_from_one_provider_never_escapes(server: LocalServer, net, monkeypatch) -> None:
    from bookdesk.core.providers import series_hardcover

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(series_hardcover.HardcoverSeries, "_entry", broken)
    server.route("POST", GRAPHQL, recorded("series_hardcover_listing"))
    settings = settings_for(server, providers_enabled={"googlebooks": False, "audnexus": False,
                                                       "openlibrary": False})

    listings, notes = fetch(net, server, settings, InMemorySecretStore({HARDCOVER_TOKEN: "t"}), "Mistborn",
                            {"hardcover": "997"})

    assert listings == [] and notes == ["Hardcover sent an answer about \u201cMistborn\u201d that BookDesk could not read."]


def test_the_enabled_providers_follow_the_settings() -> None:
    settings = Settings(provider_order=["googlebooks", "audnexus"], providers_enabled={"audnexus": False})
    assert enabled_providers(settings) == ["googlebooks", "hardcover", "openlibrary"]

    class Plain:  # settings-like: the three fields, no method
        provider_order = ["openlibrary"]
        providers_enabled = {"hardcover": False}
        provider_urls: dict[str, str] = {}

    assert enabled_providers(Plain()) == ["openlibrary", "googlebooks", "audnexus"]


def test_the_listings_are_the_gap_engines_own_classes() -> None:
    from bookdesk.core.providers import series_listing
    from bookdesk.core.series import listing

    assert series_listing.SeriesListing is listing.SeriesListing and series_listing.ListedBook is listing.ListedBook


def test_a_keyring_refusing_hardcovers_token_is_a_note_and_the_others_still_answer(server: LocalServer, net) -> None:
    from tests.fakes.refusing_secrets import RefusingFor

    server.route("GET", "/books/B003ZWFO7E", recorded("audnexus_book"))
    server.route("GET", "/books/B00DA6YEKS", recorded("series_audnexus_words"))
    settings = settings_for(server, provider_order=["hardcover", "audnexus"],
                            providers_enabled={"googlebooks": False, "openlibrary": False})

    listings, notes = fetch(net, server, settings, RefusingFor(HARDCOVER_TOKEN), "The Stormlight Archive",
                            {"hardcover": 997, "asins": ["B003ZWFO7E", "B00DA6YEKS"]})

    assert [s.source for s in listings] == ["audnexus"]
    assert "Hardcover skipped: your keyring did not give its token" in notes
    assert not any(r.path == GRAPHQL for r in server.requests)
