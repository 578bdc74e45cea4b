"""Addresses in a feed made absolute: against the feed's own URL and any ``xml:base`` on the way down."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from lxml import etree

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def base_of(element: etree._Element, document_url: str) -> str:
    """The base URL that applies inside ``element``: the document's URL refined by each ``xml:base``
    from the root down (a relative xml:base is relative to the one above it)."""
    bases = []
    node: etree._Element | None = element
    while node is not None:
        value = node.get(XML_BASE)
        if value:
            bases.append(value.strip())
        node = node.getparent()
    base = document_url
    for value in reversed(bases):
        base = urljoin(base, value)
    return base


def absolute(href: str | None, element: etree._Element, document_url: str) -> str | None:
    """``href`` (found on ``element``) as an absolute http(s) URL, or None when it is empty or another
    scheme (javascript:, file:, data:) that BookDesk must not follow."""
    if not href or not href.strip():
        return None
    url = urljoin(base_of(element, document_url), href.strip())
    return url if urlsplit(url).scheme in ("http", "https") else None
