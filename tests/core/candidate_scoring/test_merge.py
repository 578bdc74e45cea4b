"""One proposed record from several providers, every field with the provider it came from."""

from __future__ import annotations

from scoring_builders import candidate

from bookdesk.core.candidate_scoring.merge import FIELDS, merge

ORDER = ["openlibrary", "googlebooks", "hardcover", "audnexus"]
LE_GUIN = "Ursula K. Le Guin"

OPENLIBRARY = candidate(
    "A Wizard of Earthsea", LE_GUIN, provider="openlibrary", published="1968", publisher="Parnassus Press",
    identifiers={"isbn": "9780553383041", "openlibrary": "OL59761W"},
    cover_url="https://covers.example/ol.jpg", language="en")
GOOGLE = candidate(
    "A Wizard of Earthsea (Earthsea Cycle, #1)", "Ursula Le Guin", provider="googlebooks", subtitle="A Novel",
    published="2012-09-11", description="Ged was the greatest sorcerer in Earthsea...",
    series="Earthsea", identifiers={"isbn": "9780547773742", "google": "g-123"}, language="en")
HARDCOVER = candidate(
    "A Wizard of Earthsea", LE_GUIN, provider="hardcover", series="The Earthsea Cycle", position="1",
    identifiers={"isbn": "978-0-547-72202-3", "hardcover": "hc-9"})
AUDNEXUS = candidate(
    "A Wizard of Earthsea", LE_GUIN, provider="audnexus", narrators=("Kobna Holdbrook-Smith",),
    duration_seconds=25_560.0, series="Earthsea Cycle", position="1", identifiers={"asin": "b07fkn5kl9"},
    cover_url="https://covers.example/audible.jpg", description="")


def test_each_field_comes_from_the_first_provider_in_order_that_has_it() -> None:
    record = merge([GOOGLE, AUDNEXUS, HARDCOVER, OPENLIBRARY], ORDER)
    assert record.title == "A Wizard of Earthsea"
    assert record.authors == [LE_GUIN]
    assert record.cover_url == "https://covers.example/ol.jpg"
    assert record.publisher == "Parnassus Press"
    assert (record.sources["title"], record.sources["authors"], record.sources["cover_url"]) == (
        "openlibrary", "openlibrary", "openlibrary")


def test_authors_are_proposed_in_reading_order_whoever_sorted_them() -> None:
    record = merge([GOOGLE, candidate("A Wizard of Earthsea", "Le Guin, Ursula K.", provider="googlebooks")],
                   ["googlebooks"])
    assert record.authors == ["Ursula Le Guin"]
    assert merge([candidate("x", "Le Guin, Ursula K.")], ORDER).authors == [LE_GUIN]


def test_a_field_only_one_provider_has_comes_from_it() -> None:
    record = merge([OPENLIBRARY, GOOGLE, AUDNEXUS], ORDER)
    assert record.description == "Ged was the greatest sorcerer in Earthsea..."
    assert record.sources["description"] == "googlebooks"  # Audnexus's empty one does not count
    assert record.subtitle == "A Novel" and record.sources["subtitle"] == "googlebooks"


def test_series_comes_from_hardcover_or_audnexus_before_google_and_with_its_position() -> None:
    record = merge([OPENLIBRARY, GOOGLE, HARDCOVER, AUDNEXUS], ORDER)
    assert record.series == [{"name": "The Earthsea Cycle", "label": "1"}]
    assert record.sources["series"] == "hardcover"
    without_hardcover = merge([OPENLIBRARY, GOOGLE, AUDNEXUS], ORDER)
    assert without_hardcover.sources["series"] == "audnexus"
    assert merge([OPENLIBRARY, GOOGLE], ORDER).series == [{"name": "Earthsea", "label": ""}]


def test_narrators_and_duration_come_from_audnexus() -> None:
    record = merge([OPENLIBRARY, AUDNEXUS], ORDER)
    assert record.narrators == ["Kobna Holdbrook-Smith"]
    assert record.duration_seconds == 25_560.0
    assert record.sources["narrators"] == record.sources["duration_seconds"] == "audnexus"


def test_identifiers_are_united_and_a_conflict_goes_to_the_provider_first_in_order() -> None:
    record = merge([AUDNEXUS, HARDCOVER, GOOGLE, OPENLIBRARY], ORDER)
    assert record.identifiers == {"isbn": "9780553383041", "openlibrary": "OL59761W", "google": "g-123",
                                  "hardcover": "hc-9", "asin": "B07FKN5KL9"}
    assert record.identifier_sources["isbn"] == "openlibrary"
    assert record.identifier_sources["asin"] == "audnexus"
    assert record.sources["identifiers"] == "openlibrary+googlebooks+hardcover+audnexus"
    reordered = merge([AUDNEXUS, HARDCOVER, GOOGLE, OPENLIBRARY], ["hardcover", "openlibrary"])
    assert reordered.identifiers["isbn"] == "9780547722023"  # Hardcover's, hyphens gone
    assert reordered.identifier_sources["isbn"] == "hardcover"


def test_first_published_is_the_earliest_date_given() -> None:
    record = merge([GOOGLE, OPENLIBRARY], ["googlebooks", "openlibrary"])
    assert record.first_published == "1968"
    assert record.sources["first_published"] == "openlibrary"


def test_a_series_marker_is_not_proposed_as_part_of_the_title() -> None:
    record = merge([GOOGLE], ORDER)
    assert record.title == "A Wizard of Earthsea"


def test_a_provider_missing_from_the_order_comes_last() -> None:
    other = candidate("A Wizard of Earthsea", LE_GUIN, provider="somewhere", publisher="Elsewhere Books")
    record = merge([other, OPENLIBRARY], ["openlibrary"])
    assert record.publisher == "Parnassus Press"
    assert merge([other, GOOGLE], ["googlebooks"]).publisher == "Elsewhere Books"


def test_every_proposed_field_is_there_and_nothing_is_sourced_that_was_not_found() -> None:
    record = merge([OPENLIBRARY], ORDER)
    assert set(record.as_dict()) == set(FIELDS)
    assert record.narrators == [] and "narrators" not in record.sources
    assert record.description is None and "description" not in record.sources
    assert set(record.sources) <= set(FIELDS)


def test_no_candidates_propose_nothing() -> None:
    record = merge([], ORDER)
    assert record.title == "" and record.sources == {} and record.identifiers == {}


# The Sorcerer's Stone as the providers really answer for it (see providers/responses/real).
STONE = "Harry Potter and the Sorcerer's Stone"
STONE_AUDIO = candidate(STONE, "J.K. Rowling", provider="audnexus", narrators=("Jim Dale",), published="1997",
                        released="2015-11-20", identifiers={"asin": "B017V4IM1G", "isbn": "9781781102633"})
STONE_EBOOK = candidate(STONE, "J.K. Rowling", provider="googlebooks", released="2015-12-08",
                        identifiers={"isbn": "9781781100486", "google": "wrOQLV6xB-wC"})
STONE_WORK = candidate(STONE, "J. K. Rowling", provider="openlibrary", published="1997",
                       identifiers={"openlibrary": "OL82563W"})


def test_an_editions_release_date_is_never_taken_for_the_first_publication() -> None:
    record = merge([STONE_EBOOK, STONE_AUDIO], ["googlebooks", "audnexus"])
    assert record.first_published == "1997" and record.sources["first_published"] == "audnexus"
    assert merge([STONE_EBOOK], ["googlebooks"]).first_published is None  # Google knows only its edition's date


def test_the_release_date_of_the_edition_in_hand_is_kept_apart() -> None:
    audio = merge([STONE_EBOOK, STONE_AUDIO, STONE_WORK], ["googlebooks", "audnexus", "openlibrary"], audiobook=True)
    assert audio.released == "2015-11-20" and audio.sources["released"] == "audnexus"
    ebook = merge([STONE_EBOOK, STONE_AUDIO, STONE_WORK], ["googlebooks", "audnexus", "openlibrary"])
    assert ebook.released == "2015-12-08" and ebook.sources["released"] == "googlebooks"


def test_an_audiobook_takes_the_isbn_of_its_recording_and_an_ebook_that_of_its_edition() -> None:
    order = ["googlebooks", "audnexus", "openlibrary"]
    audio = merge([STONE_EBOOK, STONE_AUDIO, STONE_WORK], order, audiobook=True)
    assert audio.identifiers["isbn"] == "9781781102633" and audio.identifier_sources["isbn"] == "audnexus"
    ebook = merge([STONE_EBOOK, STONE_AUDIO, STONE_WORK], order)
    assert ebook.identifiers["isbn"] == "9781781100486" and ebook.identifier_sources["isbn"] == "googlebooks"
    assert audio.identifiers["asin"] == ebook.identifiers["asin"] == "B017V4IM1G"  # no rival: kept either way


def test_two_dates_of_one_year_are_compared_by_the_day_not_the_year_alone() -> None:
    uk = candidate(STONE, "J.K. Rowling", provider="hardcover", published="1997-06-26")
    us = candidate(STONE, "J.K. Rowling", provider="googlebooks", published="1997-09-01")
    record = merge([us, uk], ["googlebooks", "hardcover"])
    assert record.first_published == "1997-06-26" and record.sources["first_published"] == "hardcover"
