"""Reading an OPDS document safely: the one hardened parser (core/hardened_xml.py), a size limit, and a clear
error for the things servers send instead of Atom (an HTML login page, a JSON error, garbage)."""

from __future__ import annotations

import re

from lxml import etree

from bookdesk.core import hardened_xml
from bookdesk.core.acquisition.opds.errors import OpdsFeedError

ATOM = "http://www.w3.org/2005/Atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024  # Gutenberg's biggest pages are well under 1 MB

_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE)


def parse_document(data: bytes, url: str, *, roots: tuple[str, ...] = (f"{{{ATOM}}}feed",),
                   what: str = "an OPDS feed") -> etree._Element:
    """The root element of ``data``, which must be one of ``roots`` (Clark names); raises OpdsFeedError."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise OpdsFeedError(f"The catalog at {url} sent a document larger than "
                            f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MB; it was not read.", url=url)
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    if not head.strip():
        raise OpdsFeedError(f"The catalog at {url} sent an empty answer instead of {what}.", url=url)
    if _HTML_START.match(head):
        raise OpdsFeedError(f"The address {url} gave a web page (HTML), not {what}; check that it is the "
                            "catalog's OPDS address.", url=url)
    if head.lstrip()[:1] in (b"{", b"["):
        raise OpdsFeedError(f"The address {url} gave JSON (an OPDS 2 catalog or an error message), not "
                            f"{what}; BookDesk reads OPDS 1.2 (Atom) catalogs.", url=url)
    try:
        root = hardened_xml.parse(data, base_url=url)
    except hardened_xml.XmlRefused:
        raise OpdsFeedError(f"The document at {url} declares XML entities, which BookDesk refuses to read.",
                            url=url) from None
    except hardened_xml.XmlUnreadable as exc:
        raise OpdsFeedError(f"The catalog at {url} sent something that is not readable XML ({exc.msg}).",
                            url=url) from None
    if root.tag not in roots:
        name = etree.QName(root).localname if isinstance(root.tag, str) else "?"
        if name.lower() == "html":
            raise OpdsFeedError(f"The address {url} gave a web page (XHTML), not {what}.", url=url)
        raise OpdsFeedError(f"The document at {url} is XML but not {what} (its root is <{name}>).", url=url)
    return root
