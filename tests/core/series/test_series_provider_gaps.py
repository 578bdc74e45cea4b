"""Gaps from providers' listings: merged, explained, and never broken by odd data."""

from __future__ import annotations

import random
from datetime import date

from series_builders import entry, gaps_of, listed, listing, numbered

from bookdesk.core.series.listing import ListedBook, SeriesListing


def owned(*labels: str, kinds: str = "ebook"):
    return [entry(label, kinds) for label in labels]


def test_a_provider_listing_names_the_missing_books_and_says_why():
    hardcover = numbered("hardcover", 9)

    gaps = gaps_of(*owned("1", "2", "4", "6", "7", "9"), listings=[hardcover])

    assert gaps.overall.missing_labels == ["3", "5", "8"]
    assert gaps.total == 9 and gaps.sources == ("hardcover",)
    assert gaps.confidence == "Hardcover lists 9 primary books; you have 6; missing 3, 5 and 8"
    three = gaps.overall.missing[0]
    assert (three.title, three.sources) == ("Book 3", ("hardcover",))


def test_books_listed_after_the_last_owned_one_are_missing_too():
    gaps = gaps_of(*owned("1", "2"), listings=[numbered("hardcover", 4)])

    assert gaps.overall.missing_labels == ["3", "4"]
    assert gaps.overall.completion == 50.0


def test_the_total_is_the_providers_primary_count():
    assert gaps_of(*owned("1")).total is None
    assert gaps_of(*owned("1"), listings=[numbered("hardcover", 3, total=3)]).total == 3
    no_count = listing("openlibrary", listed("1"), listed("2"))
    assert gaps_of(*owned("1"), listings=[no_count]).total is None  # two books listed, not a count of the series


def test_a_partial_listing_never_proves_a_series_complete():
    # Audnexus lists only the audiobooks it was asked about: here the one the person owns.
    audible = listing("audnexus", listed("1", "Harry Potter and the Sorcerer's Stone"), name="Harry Potter")

    gaps = gaps_of(*owned("1", kinds="audiobook"), listings=[audible], name="Harry Potter")

    assert gaps.total is None and gaps.sources == ("audnexus",)
    assert "primary" not in gaps.confidence
    assert gaps.confidence == ("Audible lists 1 book of this series but not how many it has; you have 1 of it. "
                               "No provider says how many books the series has, so it is not known to be complete")


def test_a_partial_listing_still_names_books_that_are_missing():
    audible = listing("audnexus", listed("1"), listed("3", "Third"))

    gaps = gaps_of(*owned("1"), listings=[audible])

    assert gaps.overall.missing_labels == ["2", "3"] and gaps.total is None
    assert gaps.overall.missing[1].title == "Third"
    assert gaps.confidence.endswith("so more may be missing")


def test_a_partial_listing_beside_a_counted_one_leaves_the_count_and_the_verdict_to_it():
    hardcover = numbered("hardcover", 3, total=3)
    audible = listing("audnexus", listed("1"))

    gaps = gaps_of(*owned("1", "2", "3"), listings=[hardcover, audible])

    assert gaps.total == 3 and gaps.complete
    assert [f.code for f in gaps.flags] == []  # one book listed is no disagreement about the count
    assert gaps.confidence == ("Hardcover lists 3 primary books; you have 3; nothing missing. "
                               "Audible lists 1 book of this series but not how many it has; you have 1 of it")


def test_several_providers_are_merged_keeping_which_source_said_what():
    hardcover = listing("hardcover", listed("1", "One"), listed("2", "Two"), listed("3", "Three"), total=3)
    audible = listing("audnexus", listed("1", "One"), listed("3", "Three"), listed("4", "Four"), listed("2", "Two"),
                      total=4)

    gaps = gaps_of(*owned("1", "3"), listings=[hardcover, audible])

    assert gaps.overall.missing_labels == ["2", "4"]
    sources = {book.label: book.sources for book in gaps.overall.missing}
    assert sources == {"2": ("hardcover", "audnexus"), "4": ("audnexus",)}
    assert gaps.sources == ("hardcover", "audnexus")
    assert gaps.total == 4
    assert gaps.confidence == ("Hardcover lists 3 primary books; you have 2; missing 2. "
                               "Audible lists 4 primary books; you have 2; missing 2 and 4")
    assert [f.code for f in gaps.flags] == ["sources_disagree"]
    assert "Hardcover 3, Audible 4" in gaps.flags[0].message


def test_the_preferred_source_gives_the_title_and_a_disagreement_is_flagged():
    hardcover = listing("hardcover", listed("2", "The Tombs of Atuan"))
    google = listing("googlebooks", listed("2", "Tombs of Atuan, The: Earthsea 2"))
    subtitle = listing("openlibrary", listed("2", "The Tombs of Atuan: A Novel"))

    gaps = gaps_of(*owned("1"), listings=[hardcover, google, subtitle])

    assert gaps.overall.missing[0].title == "The Tombs of Atuan"
    disagreements = [f.message for f in gaps.flags if f.code == "sources_disagree"]
    assert len(disagreements) == 1 and "Google Books" in disagreements[0]  # a subtitle is no disagreement


def test_a_compilation_in_a_listing_is_not_a_required_position():
    hardcover = listing("hardcover", listed("1"), listed("2"), listed("1-2", "Box"),
                        listed("3", "The Omnibus", is_compilation=True), total=2)

    gaps = gaps_of(*owned("1", "2"), listings=[hardcover])

    assert gaps.complete and gaps.overall.missing == ()
    assert gaps.confidence == "Hardcover lists 2 primary books; you have 2; nothing missing"


def test_listed_novellas_are_missing_only_when_the_user_asks_for_novellas():
    hardcover = listing("hardcover", listed("1"), listed("1.5", "The Novella"), listed("2"), total=2)

    assert gaps_of(*owned("1", "2"), listings=[hardcover]).complete
    with_novellas = gaps_of(*owned("1", "2"), listings=[hardcover], novellas=True)
    assert with_novellas.overall.missing_labels == ["1.5"]
    assert with_novellas.overall.missing[0].title == "The Novella"


def test_a_book_released_after_today_is_upcoming_not_missing():
    soon = listed("3", "Next Year's Book", release_date=date(2026, 2, 1), cover_url="https://c/3.jpg")
    hardcover = listing("hardcover", listed("1"), listed("2", release_date=date(2020, 1, 1)), soon, total=3)

    gaps = gaps_of(*owned("1", "2"), listings=[hardcover])

    assert gaps.complete
    [upcoming] = gaps.upcoming
    assert (upcoming.label, upcoming.title, upcoming.release_date, upcoming.cover_url) == \
        ("3", "Next Year's Book", date(2026, 2, 1), "https://c/3.jpg")
    assert gaps.confidence.endswith("nothing missing; 3 not out yet")
    released = gaps_of(*owned("1", "2"), listings=[hardcover], today=date(2026, 3, 1))
    assert released.overall.missing_labels == ["3"] and released.upcoming == ()


def test_books_in_other_languages_than_the_users_are_left_out():
    hardcover = listing("hardcover", listed("1", language="eng"), listed("2", "Zwei", language="German"),
                        listed("3", "Three"), total=3)

    english = gaps_of(*owned("1"), listings=[hardcover], language="en")
    assert english.overall.missing_labels == ["3"]  # book 2 is listed in German only
    assert gaps_of(*owned("1"), listings=[hardcover]).overall.missing_labels == ["2", "3"]
    german = gaps_of(*owned("1"), listings=[hardcover], language="de")
    assert german.overall.missing_labels == ["2", "3"]  # "Three" has no language: it counts


def test_a_position_listed_in_the_users_language_by_one_edition_counts_whatever_the_others_are():
    hardcover = listing("hardcover", listed("2", "Zwei", language="de"), listed("2", "Two", language="en"))

    gaps = gaps_of(*owned("1"), listings=[hardcover], language="en")

    assert gaps.overall.missing_labels == ["2"] and gaps.overall.missing[0].title == "Two"


def test_ignored_books_and_series_positions_are_not_missing_even_when_listed():
    gaps = gaps_of(entry("1"), entry("2", "", "ignored"), listings=[numbered("hardcover", 3)])

    assert gaps.overall.missing_labels == ["3"]
    assert gaps.confidence == "Hardcover lists 3 primary books; you have 1; missing 3"


def test_missing_is_per_media_kind_against_a_listing_too():
    gaps = gaps_of(entry("1", "ebook,audiobook"), entry("2", "ebook"), listings=[numbered("audnexus", 3)])

    assert gaps.ebook.missing_labels == ["3"]
    assert gaps.audiobook.missing_labels == ["2", "3"]
    assert gaps.audiobook.completion == round(100 / 3, 1)


# ----- contradictions: normalised where possible, flagged otherwise, never a crash ----------------


def test_two_books_at_one_position_keep_the_first_and_are_flagged():
    hardcover = listing("hardcover", listed("1"), listed("2", "The Real Two"), listed("2", "Something Else"))

    gaps = gaps_of(*owned("1"), listings=[hardcover])

    assert gaps.overall.missing_labels == ["2"] and gaps.overall.missing[0].title == "The Real Two"
    assert [f.code for f in gaps.flags] == ["duplicate_position"]


def test_a_dramatized_adaptation_is_an_edition_of_its_book_not_a_book_of_its_own():
    audible = listing("audnexus", listed("1"), listed("2"), listed("Book 2, Dramatized Adaptation", "Two (Full Cast)"))

    gaps = gaps_of(*owned("1", "2"), listings=[audible])

    assert gaps.complete
    assert [f.code for f in gaps.flags] == ["edition"]
    assert "edition of book 2" in gaps.flags[0].message


def test_a_position_a_listing_skips_is_counted_missing_with_its_title_unknown():
    hardcover = listing("hardcover", listed("1"), listed("2"), listed("4"), total=4)

    gaps = gaps_of(*owned("1", "2", "4"), listings=[hardcover])

    assert gaps.overall.missing_labels == ["3"]
    assert gaps.overall.missing[0].title is None
    assert [f.code for f in gaps.flags] == ["skipped_position"]


def test_a_renamed_series_is_flagged_and_still_matched():
    hardcover = numbered("hardcover", 2)
    hardcover.series_name = "The Earthsea Cycle"

    gaps = gaps_of(*owned("1"), listings=[hardcover], name="Earthsea")

    assert gaps.overall.missing_labels == ["2"]
    assert [f.code for f in gaps.flags] == ["renamed"]
    assert "'The Earthsea Cycle'" in gaps.flags[0].message


def test_a_library_that_goes_past_the_listing_is_flagged():
    gaps = gaps_of(*owned("1", "2", "5"), listings=[numbered("hardcover", 3)])

    assert gaps.overall.missing_labels == ["3", "4"]
    assert "beyond_listing" in [f.code for f in gaps.flags]


def test_a_count_that_does_not_match_the_books_listed_is_flagged():
    gaps = gaps_of(*owned("1"), listings=[numbered("hardcover", 3, total=5)])

    assert gaps.total == 5
    assert [f.code for f in gaps.flags] == ["count_mismatch"]


def test_random_garbage_listings_never_crash_the_rules():
    rng = random.Random(5)
    labels = ["1", "2", "2.5", "", "Prequel", "Book 3", "1-3", "x", "-", "3-", "999999", "0", "-1", "1e9", "nan",
              "Book 2, Dramatized Adaptation", "Books 1 & 2", None]
    for _ in range(200):
        books = [ListedBook(title=rng.choice(["A", "", "B: sub", "Ä"]), authors=rng.choice([[], ["X"]]),
                            label=rng.choice(labels),  # type: ignore[arg-type]
                            sort_key=rng.choice([None, 1.0, 2.5, -3.0, float("nan"), float("inf"), 1e12]),
                            is_compilation=rng.random() < 0.1,
                            release_date=rng.choice([None, date(1990, 1, 1), date(2099, 1, 1)]),
                            language=rng.choice([None, "en", "xx", "", "German"]))
                 for _ in range(rng.randrange(0, 8))]
        listings = [SeriesListing(rng.choice(["hardcover", "audnexus", "weird"]), rng.choice(["The Series", "", "Other"]),
                                  None, rng.choice([None, -1, 0, 3, 10 ** 9]), books)]
        gaps = gaps_of(*owned("1", "3"), listings=listings, language=rng.choice([None, "en"]),
                       novellas=rng.random() < 0.5)
        assert gaps.confidence and gaps.overall.status in ("complete", "partial", "incomplete")
        assert all(book.label for book in gaps.overall.missing)


def test_listings_with_fields_of_the_wrong_shape_never_crash_the_rules_or_the_storage():
    from datetime import datetime

    odd = [ListedBook(title=None, authors=None, label=3, sort_key="2"),  # type: ignore[arg-type]
           ListedBook(title=7, authors="Ann Author", label="4", release_date="2031-01-01",  # type: ignore[arg-type]
                      language=["en"], identifiers=None, cover_url=5),  # type: ignore[arg-type]
           ListedBook(title="Five", label="5", release_date=datetime(2099, 1, 1, 12, 0)),  # type: ignore[arg-type]
           ListedBook(title="One", label="1", sort_key=float("nan"))]
    listing_ = SeriesListing("hardcover", None, None, "nine", odd)  # type: ignore[arg-type]

    gaps = gaps_of(*owned("1"), listings=[listing_], language="en")

    assert gaps.overall.missing_labels == ["2", "3", "4"]
    assert [b.label for b in gaps.upcoming] == ["5"] and gaps.upcoming[0].release_date == date(2099, 1, 1)
    four = gaps.overall.missing[2]
    assert (four.title, four.authors, four.language, dict(four.identifiers)) == (None, (), None, {})
    stored = SeriesListing.from_stored("hardcover", "S", None, None, listing_.books_json())
    assert [b.label for b in stored.entries] == ["3", "4", "5", "1"]
    assert stored.entries[1].authors == ["Ann Author"] and stored.entries[1].release_date == date(2031, 1, 1)
    assert stored.entries[2].release_date == date(2099, 1, 1) and stored.entries[3].sort_key is None
