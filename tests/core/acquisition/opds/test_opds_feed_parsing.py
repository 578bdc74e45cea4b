"""Reading the feeds of the catalogs people use: what a person browsing them would see."""

from __future__ import annotations

from datetime import datetime

from bookdesk.core.acquisition.opds import parse_feed


def test_a_standard_ebooks_root_is_a_navigation_feed_with_an_opensearch_description(feed_bytes):
    feed = parse_feed(feed_bytes("standard_ebooks_root"), "https://standardebooks.example/feeds/opds")

    assert feed.title == "Standard Ebooks"
    assert not feed.is_acquisition_feed
    assert [e.title for e in feed.entries] == ["Newest Ebooks", "All Ebooks", "Ebooks by Subject"]
    assert all(e.is_navigation for e in feed.entries)
    assert feed.entries[0].navigation_url == "https://standardebooks.example/feeds/opds/new-releases"
    assert feed.entries[0].summary == "The most recently released ebooks."
    assert feed.search_description_url == "https://standardebooks.example/ebooks/opensearch"
    assert feed.search_template is None and feed.searchable


def test_standard_ebooks_books_have_every_author_every_flavour_and_their_series(feed_bytes):
    feed = parse_feed(feed_bytes("standard_ebooks_new_releases"),
                      "https://standardebooks.example/feeds/opds/new-releases")
    letters, fables = feed.entries

    assert feed.is_acquisition_feed and feed.total_results == 2
    assert feed.up_url == feed.start_url == "https://standardebooks.example/feeds/opds"
    assert feed.icon_url == "https://standardebooks.example/images/logo.png"
    assert letters.authors == ("Mary Wollstonecraft", "William Godwin")
    assert letters.language == "en-GB" and letters.publisher == "Standard Ebooks"
    assert letters.summary == "A correspondence kept over two years."
    assert letters.series == "Collected Letters" and letters.series_index == 2.0
    assert letters.published is not None and letters.published.year == 1798
    assert letters.categories == ("Letters",)
    assert letters.cover_url == "https://standardebooks.example/images/covers/letters-cover.jpg"
    assert letters.thumbnail_url == "https://standardebooks.example/images/covers/letters-cover@2x.jpg"
    assert [(a.format, a.kind) for a in letters.acquisitions] == [
        ("epub", "open-access"), ("epub", "open-access"), ("kepub", "open-access"), ("azw3", "open-access")]
    assert letters.acquisitions[0].title == "Recommended compatible epub"
    assert letters.best_acquisition().href.endswith("/letters.epub")
    assert letters.best_acquisition(["azw3"]).href.endswith("/letters.azw3")
    assert letters.navigation_url is None, "its web page is an alternate, not somewhere to browse"
    assert fables.published == datetime(1600, 1, 1)
    assert fables.thumbnail_url is None


def test_gutenberg_search_results_lead_to_each_books_own_feed(feed_bytes):
    url = "http://gutenberg.example/ebooks/search.opds/?query=pride"
    feed = parse_feed(feed_bytes("gutenberg_search"), url)

    sort, heart, days = feed.entries
    assert sort.is_navigation
    assert heart.title == "A Proud Heart" and heart.is_navigation
    assert heart.navigation_url == "http://gutenberg.example/ebooks/90001.opds"
    assert heart.thumbnail_url == "http://gutenberg.example/cache/epub/90001/pg90001.cover.small.jpg"
    assert days.navigation_url == "http://gutenberg.example/ebooks/90002.opds"
    assert feed.next_url == "http://gutenberg.example/ebooks/search.opds/?query=pride&start_index=26"
    assert feed.search_description_url == "http://gutenberg.example/catalog/osd-books.xml"


def test_a_gutenberg_book_offers_its_files_and_reading_online_is_not_a_download(feed_bytes):
    feed = parse_feed(feed_bytes("gutenberg_book"), "http://gutenberg.example/ebooks/90001.opds")
    book, also = feed.entries

    assert book.authors == ("Benton, Eliza",)
    assert book.language == "en"
    assert book.summary.splitlines() == ["This edition had all images removed.", "Title: A Proud Heart",
                                         "Author: Benton, Eliza, 1801-1870"]
    assert [(a.format, a.size) for a in book.acquisitions] == [
        ("epub", 812345), ("epub", 301234), ("mobi", 990000), (None, None)]
    assert [a.downloadable for a in book.acquisitions] == [True, True, True, False]
    assert book.acquisitions[0].href == "http://gutenberg.example/ebooks/90001.epub3.images"
    assert book.navigation_url is None, "'related' lists are not the book itself"
    assert not book.is_navigation
    assert also.navigation_url == "http://gutenberg.example/ebooks/90001/also/.opds"


def test_kavita_downloads_keep_the_api_key_path_and_streaming_links_are_left_out(feed_bytes):
    feed = parse_feed(feed_bytes("kavita_series"), "http://kavita.local:5000/api/opds/k3y-1234/series/5")
    first, second = feed.entries

    assert [a.format for a in first.acquisitions] == ["epub"]
    assert first.acquisitions[0].href == ("http://kavita.local:5000/api/opds/k3y-1234/series/5/volume/7/"
                                          "chapter/41/download/The%20Long%20Voyage%20v1.epub")
    assert first.acquisitions[0].size == 1048576
    assert first.cover_url == "http://kavita.local:5000/api/image/chapter-cover?chapterId=41&apiKey=k3y-1234"
    assert [a.format for a in second.acquisitions] == ["cbz", "pdf"]
    assert feed.search_description_url == "http://kavita.local:5000/api/opds/k3y-1234/search"


def test_komga_zip_files_are_comics_by_their_name_and_relative_links_resolve(feed_bytes):
    feed = parse_feed(feed_bytes("komga_books"), "http://komga.local:25600/opds/v1.2/series/0A1B2C3D")
    first, second = feed.entries

    assert first.acquisitions[0].format == "cbz"
    assert first.acquisitions[0].type == "application/zip"
    assert second.acquisitions[0].format is None, "a bare zip with no name could be anything"
    assert first.summary == "Issue one."
    assert feed.next_url == "http://komga.local:25600/opds/v1.2/series/0A1B2C3D?page=1"
    assert feed.start_url == "http://komga.local:25600/opds/v1.2/catalog"
    assert feed.search_description_url == "http://komga.local:25600/opds/v1.2/search"
    assert feed.total_results == 3


def test_calibre_authors_series_and_tags_come_out_of_its_content(feed_bytes):
    feed = parse_feed(feed_bytes("calibre_book"), "http://calibre.local:8080/opds/navcatalog/4f?library_id=Books")
    (book,) = feed.entries

    assert book.authors == ("Ann Keel", "Bo Rydell")
    assert book.series == "Harbour Tales" and book.series_index == 1.5
    assert book.categories == ("Fiction", "Sea")
    assert book.summary == "A story of two sailors.\nSecond paragraph."
    assert book.published == datetime.fromisoformat("1999-03-04T00:00:00+00:00")
    assert [a.format for a in book.acquisitions] == ["epub", "azw3", "azw3", "cbz"]
    assert book.acquisitions[0].size == 20481
    assert book.cover_url == "http://calibre.local:8080/get/cover/7/Books"
    assert book.thumbnail_url == "http://calibre.local:8080/get/thumb/7/Books"
    assert feed.search_template == "http://calibre.local:8080/opds/search/{searchTerms}?library_id=Books"


def test_xml_base_is_honoured_from_the_feed_down_to_each_link(feed_bytes):
    feed = parse_feed(feed_bytes("xml_base"), "https://books.example/start/feed.xml")
    nested, elsewhere = feed.entries

    assert feed.next_url == "https://books.example/catalog/v2/page2.xml"
    assert [a.href for a in nested.acquisitions] == ["https://books.example/catalog/v2/books/one.epub",
                                                     "https://books.example/catalog/v2/samples/one.epub"]
    assert [a.kind for a in nested.acquisitions] == ["acquisition", "sample"]
    assert nested.best_acquisition().kind == "acquisition", "a sample is not the book"
    assert nested.cover_url == "https://books.example/covers/one.png"
    assert nested.thumbnail_url == "http://cdn.example/thumbs/one.png"
    assert [(a.href, a.kind, a.format) for a in elsewhere.acquisitions] == [
        ("http://mirror.example/other/buy?id=2", "buy", None),
        ("http://mirror.example/other/borrow/2", "borrow", "epub")]
    assert elsewhere.best_acquisition() is None, "javascript: links are dropped; buying and borrowing are not downloads"


def test_only_calibres_own_lines_at_the_top_are_taken_as_its_fields():
    feed = parse_feed(b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title><content type="text">'
                      b'An essay.\nSERIES: not a field here [1]</content></entry></feed>', "http://c.example/")

    (entry,) = feed.entries
    assert entry.series is None
    assert entry.summary == "An essay.\nSERIES: not a field here [1]"
