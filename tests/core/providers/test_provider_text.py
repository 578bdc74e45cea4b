"""Provider text is hostile: markup stripped, size capped, kinds of book told apart, codes normalised."""

from __future__ import annotations

import asyncio
import json

import pytest

from bookdesk.core.providers.audnexus import AudnexusProvider
from bookdesk.core.providers.base import Query
from bookdesk.core.providers.book_kinds import looks_like_companion, looks_like_compilation
from bookdesk.core.providers.endpoints import base_url, rate_key
from bookdesk.core.providers.fields import first_author
from bookdesk.core.providers.languages import iso639_1
from bookdesk.core.providers.sanitise import MAX_DESCRIPTION, clean_field, plain_text
from bookdesk.vocabulary.positions import position_label
from tests.core.net.local_server import RESPONSES, LocalServer, Reply


def test_markup_scripts_and_entities_become_plain_text() -> None:
    hostile = ('<div onclick="steal()"><h2>Praise</h2><p>A <b>bold</b>&nbsp;tale &amp; more.</p>'
               '<script>document.cookie</script><style>p{}</style><!-- hidden --><br/>Line&lt;i&gt;two&lt;/i&gt;'
               '\u202eevil\x07</div>')
    assert plain_text(hostile) == "Praise\n\nA bold tale & more.\n\nLinetwoevil"
    assert plain_text("   ") is None and plain_text(None) is None and plain_text(42) is None


def test_a_megabyte_description_is_cut_to_a_readable_length() -> None:
    text = plain_text("word " * 250_000)
    assert len(text) <= MAX_DESCRIPTION and text.endswith("\u2026") and text.startswith("word word")


def test_short_fields_are_one_line_without_markup() -> None:
    assert clean_field("<b>The\nHobbit</b>\t ") == "The Hobbit"
    assert clean_field("x" * 5000) .__len__() <= 500
    assert clean_field(1937) == "1937" and clean_field(True) is None


def test_a_megabyte_description_from_a_provider_arrives_capped_and_clean(server: LocalServer, net) -> None:
    record = json.loads((RESPONSES / "audnexus_book.json").read_text())
    record["summary"] = "<p>" + "Storms <i>everywhere</i>. " * 40_000 + "</p>"  # about a megabyte
    record["title"] = "<script>alert(1)</script>The Way of <b>Kings</b>"
    server.route("GET", "/books/B003ZWFO7E", Reply(body=record))

    async def go():
        async with net() as client:
            return await AudnexusProvider(client, server.url).lookup(Query(asin="B003ZWFO7E"))

    (kings,) = asyncio.run(go())
    assert kings.title == "The Way of Kings"
    assert len(kings.description) <= MAX_DESCRIPTION and "<" not in kings.description


@pytest.mark.parametrize("title, subtitle", [
    ("The Earthsea Cycle Box Set", None), ("Mistborn", "Books 1-3"), ("The Stormlight Archive Omnibus", None),
    ("The Complete Series", None), ("Wheel of Time 3-Book Bundle", None), ("Dune", "Boxed set"),
])
def test_compilations_are_recognised(title: str, subtitle: str | None) -> None:
    assert looks_like_compilation(title, subtitle)


@pytest.mark.parametrize("title, subtitle", [
    ("Summary of Atomic Habits", None), ("Dune", "A Study Guide"), ("SparkNotes: The Hobbit", None),
    ("Workbook for Atomic Habits", None), ("Analysis of Beloved", None), ("Harry Potter Trivia", None),
    ("Summary: The Subtle Art", None), ("Educated", "Conversation Starters"),
])
def test_companions_are_recognised(title: str, subtitle: str | None) -> None:
    assert looks_like_companion(title, subtitle)


@pytest.mark.parametrize("title", ["The Hobbit", "Notes on a Scandal", "Summary Justice", "The Collected Stories",
                                   "Book of the New Sun", "The Two Towers", "Catch-22"])
def test_ordinary_books_are_neither(title: str) -> None:
    assert not looks_like_compilation(title) and not looks_like_companion(title)


@pytest.mark.parametrize("value, code", [("eng", "en"), ("English", "en"), ("/languages/fre", "fr"), ("en-GB", "en"),
                                         ("ger", "de"), ("german", "de"), ("pt_BR", "pt"), ("klingon", None),
                                         (None, None)])
def test_languages_become_two_letter_codes(value: object, code: str | None) -> None:
    assert iso639_1(value) == code


@pytest.mark.parametrize("value, label", [(1, "1"), (1.0, "1"), (1.5, "1.5"), ("2", "2"), ("Book 8.5", "8.5"),
                                          ("1-3", "1-3"), ("Prequel", "Prequel"), (None, ""), ("2.0", "2")])
def test_positions_are_kept_as_printed(value: object, label: str) -> None:
    assert position_label(value) == label


def test_surname_first_names_are_turned_around_for_searching() -> None:
    assert first_author(["Le Guin, Ursula K."]) == "Ursula K. Le Guin"
    assert first_author(["Martin Luther King, Jr."]) == "Martin Luther King Jr."
    assert first_author(["", "Terry Pratchett"]) == "Terry Pratchett"
    assert first_author([]) is None


def test_an_unusable_address_in_the_environment_is_ignored(monkeypatch) -> None:
    monkeypatch.setenv("BOOKDESK_TEST_URL", "ftp://mirror.example/books")
    assert base_url(None, "BOOKDESK_TEST_URL", "https://default.example") == "https://default.example"
    monkeypatch.setenv("BOOKDESK_TEST_URL", "http://127.0.0.1:8080/ol/")
    assert base_url(None, "BOOKDESK_TEST_URL", "https://default.example") == "http://127.0.0.1:8080/ol"
    assert base_url("https://settings.example", "BOOKDESK_TEST_URL", "https://default.example") == \
        "https://settings.example"


def test_providers_sharing_a_mirror_keep_separate_rate_keys() -> None:
    assert rate_key("https://openlibrary.org") == "openlibrary.org"
    assert rate_key("https://api.hardcover.app/v1/graphql") == "api.hardcover.app/v1/graphql"
    assert rate_key("http://127.0.0.1:8080/ol") != rate_key("http://127.0.0.1:8080/gb")


@pytest.mark.parametrize("written, plain", [
    # A processing instruction (Word's "<?xml:namespace ...>", "<?span ...?>") once left "?span" behind.
    ('Storms.<?span style="font-size:12px"?> Winds.', "Storms. Winds."),
    ('<p>Storms.</p><?xml:namespace prefix = o ns = "urn:schemas-microsoft-com:office:office" /><o:p></o:p>',
     "Storms."),
    ("Storms &lt;?span class=&quot;x&quot;?&gt;gather.", "Storms gather."),
    # A tag with a space after its bracket, a quoted ">" inside an attribute, a tag cut off at the end.
    ("Storms < span>gather</ span> here.", "Storms gather here."),
    ('Storms <span title="a > b">gather</span>.', "Storms gather."),
    ("Storms gather <span", "Storms gather"),
    # Text that only looks like markup stays.
    ("2 < 3 and 5 > 4", "2 < 3 and 5 > 4"),
])
def test_stray_markup_leaves_no_fragment_behind(written: str, plain: str) -> None:
    assert plain_text(written) == plain
