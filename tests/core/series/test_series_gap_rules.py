"""The gap rules on the library alone: what a collector owns, what is missing, per media kind."""

from __future__ import annotations

from datetime import date

from series_builders import entry, gaps_of

from bookdesk.core.series.gaps import COMPLETE, INCOMPLETE, PARTIAL, LibraryEntry


def test_every_whole_position_up_to_the_highest_owned_one_that_nothing_covers_is_missing():
    gaps = gaps_of(entry("1"), entry("2"), entry("4"), entry("7"))

    assert gaps.overall.missing_labels == ["3", "5", "6"]
    assert gaps.overall.owned == ("1", "2", "4", "7")
    assert gaps.total is None and gaps.sources == ()
    assert gaps.overall.status == PARTIAL and gaps.overall.completion == round(100 * 4 / 7, 1)
    assert gaps.confidence == ("No provider lists this series; from your library, books 1 to 7: you have 4; "
                               "missing 3, 5 and 6")


def test_a_series_with_every_book_up_to_the_last_is_complete():
    gaps = gaps_of(entry("1"), entry("2"), entry("3"))

    assert gaps.complete and gaps.overall.status == COMPLETE and gaps.overall.completion == 100.0
    assert gaps.overall.missing == ()
    assert gaps.confidence.endswith("you have 3; nothing missing")


def test_an_owned_omnibus_covers_each_book_it_collects():
    gaps = gaps_of(entry("1-3"), entry("5"))

    assert gaps.overall.missing_labels == ["4"]
    assert gaps.overall.owned == ("1-3", "5")
    assert gaps.overall.owned_count == 4  # books 1, 2, 3 and 5


def test_an_omnibus_label_with_only_its_start_stored_still_covers_its_range():
    start_only = LibraryEntry(1, "1-3", 1.0, None, "owned", 1)

    assert gaps_of(start_only, entry("4")).complete


def test_fractional_positions_are_owned_but_never_gaps_from_the_library_alone():
    gaps = gaps_of(entry("1"), entry("1.5"), entry("3"))

    assert gaps.overall.missing_labels == ["2"]
    assert "1.5" in gaps.overall.owned
    assert gaps_of(entry("1"), entry("2"), entry("2.5")).complete  # no novella 1.5 is asked for


def test_a_series_of_which_only_a_novella_is_owned_still_lacks_the_books_before_it():
    only_novella = gaps_of(entry("2.5"))

    assert only_novella.overall.missing_labels == ["1", "2"]
    assert only_novella.overall.owned == ("2.5",) and only_novella.overall.status == PARTIAL
    assert only_novella.confidence == ("No provider lists this series; from your library, books 1 to 2: "
                                       "you have 0; missing 1 and 2")
    assert gaps_of(entry("1"), entry("3.5")).overall.missing_labels == ["2", "3"]


def test_a_book_numbered_only_before_book_1_is_not_said_to_carry_no_number():
    gaps = gaps_of(entry("0.5"))

    assert gaps.complete and gaps.overall.owned == ("0.5",)
    assert gaps.confidence == "No provider lists this series, and your books in it are numbered only before book 1."


def test_two_copies_of_one_position_count_once():
    gaps = gaps_of(entry("1"), entry("2"), entry("2"), entry("2.0"))

    assert gaps.overall.owned == ("1", "2")
    assert gaps.overall.owned_count == 2 and gaps.complete


def test_a_prequel_and_other_unnumbered_labels_are_owned_but_not_positions():
    gaps = gaps_of(entry("Prequel"), entry("2"), entry("Side Story"))

    assert gaps.overall.owned == ("Prequel", "2", "Side Story")
    assert gaps.overall.missing_labels == ["1"]
    assert gaps.overall.owned_count == 3
    only_unnumbered = gaps_of(entry("Prequel"))
    assert only_unnumbered.complete and only_unnumbered.overall.completion == 100.0
    assert "none of your books in it carries a number" in only_unnumbered.confidence


def test_books_in_a_series_with_no_place_in_it_are_each_owned_without_a_label():
    gaps = gaps_of(entry("", "ebook"), entry("", "ebook,audiobook"), entry("2"))

    assert gaps.overall.owned == ("2",)
    assert (gaps.overall.owned_count, gaps.ebook.owned_count, gaps.audiobook.owned_count) == (3, 3, 1)
    assert gaps.overall.missing_labels == ["1"]


def test_completion_is_counted_per_media_kind():
    # Every ebook, half of the audiobooks.
    gaps = gaps_of(entry("1", "ebook,audiobook"), entry("2", "ebook"), entry("3", "ebook,audiobook"),
                   entry("4", "ebook"))

    assert gaps.overall.status == COMPLETE
    assert gaps.ebook.status == COMPLETE and gaps.ebook.owned == ("1", "2", "3", "4")
    assert gaps.audiobook.missing_labels == ["2", "4"]
    assert gaps.audiobook.status == PARTIAL and gaps.audiobook.completion == 50.0


def test_a_media_kind_with_nothing_owned_is_incomplete():
    gaps = gaps_of(entry("1", "ebook"), entry("2", "ebook"))

    assert gaps.audiobook.status == INCOMPLETE
    assert gaps.audiobook.missing_labels == ["1", "2"] and gaps.audiobook.completion == 0.0
    assert gaps.audiobook.owned == ()


def test_an_audiobook_omnibus_covers_its_books_for_audiobooks_only():
    gaps = gaps_of(entry("1-3", "audiobook"), entry("1", "ebook"))

    assert gaps.audiobook.missing_positions == ()
    assert gaps.ebook.missing_labels == ["2", "3"]
    assert gaps.complete


def test_a_book_owned_in_print_counts_for_any_kind_but_for_no_file_kind():
    gaps = gaps_of(entry("1", ""), entry("2", "ebook"))

    assert gaps.complete
    assert gaps.ebook.missing_labels == ["1"]
    assert gaps.audiobook.missing_labels == ["1", "2"]


def test_a_wanted_book_is_still_missing_and_names_the_work_that_stands_for_it():
    gaps = gaps_of(entry("1"), entry("3", "", "wanted", work_id=42))

    assert gaps.overall.missing_labels == ["2", "3"]
    [two, three] = gaps.overall.missing
    assert three.wanted_work_id == 42 and two.wanted_work_id is None
    assert gaps.overall.owned == ("1",)


def test_a_wanted_novella_is_missing_though_novellas_are_not_gaps():
    gaps = gaps_of(entry("1"), entry("1.5", "", "wanted"), entry("2"))

    assert gaps.overall.missing_labels == ["1.5"]


def test_a_wanted_book_not_out_yet_is_upcoming_not_missing():
    gaps = gaps_of(entry("1"), entry("2"), entry("3", "", "wanted", published="2099-03-01"))

    assert gaps.complete
    [upcoming] = gaps.upcoming
    assert upcoming.label == "3"


def test_an_ignored_book_is_neither_owned_nor_missing():
    gaps = gaps_of(entry("1"), entry("2", "", "ignored"), entry("4"))

    assert gaps.overall.missing_labels == ["3"]
    assert gaps.ignored_positions == ("2",)
    assert gaps.overall.completion == round(100 * 2 / 3, 1)


def test_an_ignored_omnibus_does_not_ignore_the_books_in_it():
    gaps = gaps_of(entry("1"), entry("1-3", "", "ignored"), entry("3"))

    assert gaps.overall.missing_labels == ["2"]
    assert gaps.ignored_positions == ()


def test_labels_without_a_stored_number_are_read_and_flagged():
    gaps = gaps_of(entry("1"), LibraryEntry(7, "Book 3", None, None, "owned", 1))

    assert gaps.overall.owned == ("1", "3")
    assert gaps.overall.missing_labels == ["2"]
    assert [f.code for f in gaps.flags] == ["normalised_label"]


def test_positions_that_look_like_years_are_not_filled_in():
    gaps = gaps_of(entry("2019"), entry("2021"), entry("2022"))

    assert gaps.overall.missing == ()
    assert [f.code for f in gaps.flags] == ["year_like_positions"]


def test_a_range_too_long_for_an_omnibus_counts_its_ends_only():
    gaps = gaps_of(entry("1-500"))

    assert [f.code for f in gaps.flags] == ["long_range", "year_like_positions"]
    assert gaps.overall.owned == ("1-500",) and gaps.overall.missing == ()


def test_odd_entries_never_break_the_rules():
    odd = [LibraryEntry(1, "", None, None, "owned", 0), LibraryEntry(2, "-", None, None, "owned", 1),
           LibraryEntry(3, "3", float("nan"), None, "owned", 1), LibraryEntry(4, "x", -2.0, None, "wanted", 0),
           LibraryEntry(5, "5-2", 5.0, 2.0, "owned", 2), LibraryEntry(6, "inf", float("inf"), None, "owned", 1),
           LibraryEntry(7, "Book Two, Dramatized", None, None, "owned", 2),
           LibraryEntry(8, "1", 1.0, None, "wanted", 0, "", "not a date"),
           LibraryEntry(9, None, None, None, "owned", 1)]  # type: ignore[arg-type]
    gaps = gaps_of(*odd)

    assert gaps.overall.owned == ("2-5", "2", "3", "-", "inf")  # the reversed range put right, NaN read from "3"
    assert gaps.overall.missing_labels == ["1"]  # wanted, with a release date nobody can read
    assert [f.code for f in gaps.flags] == ["normalised_label"]


def test_the_policy_day_decides_what_is_out_already():
    wanted_soon = entry("2", "", "wanted", published="2025-07-01")

    assert gaps_of(entry("1"), wanted_soon).upcoming  # TODAY is 2025-06-01
    from bookdesk.core.series.gaps import GapPolicy, series_gaps

    later = series_gaps(1, "S", [entry("1"), wanted_soon], (), GapPolicy(today=date(2025, 8, 1)))
    assert later.upcoming == () and later.overall.missing_labels == ["2"]
