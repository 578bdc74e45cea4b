"""What a server says of an item, read as from a stranger: an item with no title is named by its folder,
thousands of authors are cut to a book's worth, markup and control characters never reach the catalog,
and a podcast or an item without an id is no book."""

from __future__ import annotations

from bookdesk.core.audiobookshelf.items import MAX_PEOPLE, finished, parse_item


def _item(**metadata) -> dict:  # noqa: ANN003
    return {"id": "li_1", "libraryId": "lib", "mediaType": "book", "path": "/books/Ann Archer/Ash",
            "updatedAt": 1700000000000, "libraryFiles": [{"metadata": {"path": "/books/Ann Archer/Ash/a.m4b"}}],
            "media": {"metadata": metadata, "audioFiles": [{"index": 1}], "duration": 2.5, "ebookFile": None}}


def test_an_item_without_a_title_is_named_by_its_folder():
    item = parse_item(_item(title=None, authors=[{"name": "Ann Archer"}]))
    assert (item.title, item.authors, item.has_audio, item.has_ebook) == ("Ash", ("Ann Archer",), True, False)


def test_thousands_of_authors_are_cut_and_hostile_text_made_plain():
    raw = _item(title="<script>alert(1)</script>Ash\x07 <b>Rising</b>",
                authors=[{"name": f"Author {n}"} for n in range(5000)],
                description="<p>One</p><iframe src=x></iframe><p>Two</p>",
                series=[{"name": "Saga\u202e", "sequence": "1"}], asin="not-an-asin", isbn="978-0-00-000001-9")
    item = parse_item(raw)
    assert item.title == "Ash Rising"
    assert len(item.authors) == MAX_PEOPLE and item.authors[0] == "Author 0"
    assert item.description == "One\n\nTwo"
    assert item.series == (("Saga", "1"),)
    assert (item.asin, item.isbn) == (None, "9780000000019")


def test_a_podcast_or_an_item_without_an_id_is_no_book():
    assert parse_item({**_item(title="Show"), "mediaType": "podcast"}) is None
    assert parse_item({**_item(title="Ash"), "id": None}) is None
    assert parse_item({"id": "x", "media": "not a dict"}) is None


def test_progress_says_finished_only_for_the_item_it_names():
    progress = {"li_1": {"libraryItemId": "li_1", "isFinished": True, "progress": 1}}
    assert finished(progress, "li_1") == (True, 1.0)
    assert finished(progress, "li_2") == (False, None)
