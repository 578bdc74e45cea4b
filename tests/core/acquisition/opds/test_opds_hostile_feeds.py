"""Broken and hostile documents: each gives a clear error, none is expanded, fetched or crashes."""

from __future__ import annotations

import pytest

from bookdesk.core.acquisition.opds import OpdsFeedError, parse_description, parse_feed
from bookdesk.core.acquisition.opds.document import MAX_DOCUMENT_BYTES
from bookdesk.errors import BookDeskError

URL = "http://catalog.example/opds"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE feed [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol3;</title></feed>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&secret;</title></feed>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE feed SYSTEM "http://127.0.0.1:9/feed.dtd">
<feed xmlns="http://www.w3.org/2005/Atom"><title>&undeclared;</title></feed>"""


def test_an_html_page_instead_of_a_feed_says_it_is_a_web_page():
    page = b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form></form></body></html>"
    with pytest.raises(OpdsFeedError, match="web page"):
        parse_feed(page, URL)


def test_an_xhtml_page_is_a_web_page_too():
    page = b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>Log in</body></html>'
    with pytest.raises(OpdsFeedError, match="web page"):
        parse_feed(page, URL)


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY],
                         ids=["billion-laughs", "external-entity", "parameter-entity"])
def test_entity_declarations_are_refused_before_parsing(document):
    with pytest.raises(OpdsFeedError, match="entities"):
        parse_feed(document, URL)


def test_an_external_dtd_is_not_loaded_and_its_entities_stay_unexpanded():
    feed = parse_feed(EXTERNAL_DTD, URL)
    assert feed.title == URL, "the title held only an entity nobody declared, so it is empty"


@pytest.mark.parametrize("document", [b"\x00\x01\x02garbage\xff\xfe", b"<feed", b"not xml at all",
                                      b'<feed xmlns="http://www.w3.org/2005/Atom"><entry></feed>'],
                         ids=["binary", "cut-off", "text", "mismatched"])
def test_garbage_is_not_readable_xml(document):
    with pytest.raises(OpdsFeedError, match="not readable XML|web page"):
        parse_feed(document, URL)


def test_an_empty_answer_says_so():
    with pytest.raises(OpdsFeedError, match="empty"):
        parse_feed(b"  \n", URL)


def test_json_is_named_as_json():
    with pytest.raises(OpdsFeedError, match="JSON"):
        parse_feed(b'{"metadata": {"title": "OPDS 2"}, "links": []}', URL)


def test_rss_or_any_other_root_is_not_an_atom_feed():
    with pytest.raises(OpdsFeedError, match=r"not an OPDS feed \(its root is <rss>\)"):
        parse_feed(b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', URL)


def test_an_atom_feed_is_not_an_opensearch_description():
    with pytest.raises(OpdsFeedError, match="OpenSearch description"):
        parse_description(b'<feed xmlns="http://www.w3.org/2005/Atom"/>', URL)


def test_a_document_past_the_size_limit_is_not_read():
    huge = b'<feed xmlns="http://www.w3.org/2005/Atom">' + b"<entry><title>x</title></entry>" * (
        MAX_DOCUMENT_BYTES // 30) + b"</feed>"
    with pytest.raises(OpdsFeedError, match="larger than"):
        parse_feed(huge, URL)


def test_a_deeply_nested_document_is_refused_not_a_crash():
    deep = b'<feed xmlns="http://www.w3.org/2005/Atom">' + b"<a>" * 300_000 + b"</a>" * 300_000 + b"</feed>"
    with pytest.raises(OpdsFeedError):
        parse_feed(deep, URL)


def test_a_feed_with_odd_but_legal_content_still_reads():
    odd = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="html">&lt;b&gt;Bold&lt;/b&gt; '
           b'&amp; more</title><link href="" rel="http://opds-spec.org/acquisition"/>'
           b'<link rel="http://opds-spec.org/acquisition" type="application/epub+zip"/>'
           b'<link href="file:///etc/passwd" rel="http://opds-spec.org/acquisition" type="application/epub+zip"/>'
           b'<author><name></name></author><link rel="next" href="data:text/plain,x"/></entry></feed>')
    feed = parse_feed(odd, URL)

    (entry,) = feed.entries
    assert entry.title == "Bold & more"
    assert entry.acquisitions == () and entry.authors == ()
    assert feed.title == URL, "a feed without a title is named by its address"


def test_every_error_is_a_bookdesk_error_with_a_message_for_a_person():
    with pytest.raises(BookDeskError) as caught:
        parse_feed(b"<html><body>Oops</body></html>", URL)
    assert URL in caught.value.message and not caught.value.retryable
