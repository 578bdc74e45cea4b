"""The one way BookDesk parses XML it did not write: book files, sidecars, OPDS catalogs, indexer answers.

No entity expansion, no DTD loading, no network, no huge trees (libxml2's own size limits stay on), and a
document that declares entities is refused outright: entities are how billion-laughs and external-file
attacks arrive, and nothing BookDesk reads needs them. Callers turn the two exceptions below into their
own errors, with their own words; size limits on the bytes are the caller's (it knows what it reads).
"""

from __future__ import annotations

from functools import cache

from lxml import etree


class XmlRefused(ValueError):
    """The document declares XML entities."""


class XmlUnreadable(ValueError):
    """The document is not well-formed XML (or, recovering, nothing could be made of it)."""

    def __init__(self, detail: str = "", msg: str = "") -> None:
        super().__init__(detail)
        self.detail = detail  # lxml's full message, with line and column ("" when there is none)
        self.msg = msg or detail  # the same without the "(<string>, line 1)" tail


def parse(data: bytes, *, recover: bool = False, keep_formatting: bool = False,
          base_url: str | None = None) -> etree._Element:
    """The root element of ``data``.

    ``recover``: a document that is not well-formed is read as best libxml2 can (for metadata, where a
    stray ``&`` should not lose a book) after a strict attempt fails. ``keep_formatting``: comments,
    processing instructions and CDATA sections are kept, for a document that is written back.
    """
    if b"<!ENTITY" in data:
        raise XmlRefused("the document declares XML entities")
    try:
        root = etree.fromstring(data, _parser(False, keep_formatting), base_url=base_url)
    except etree.XMLSyntaxError as exc:
        if not recover:
            raise XmlUnreadable(str(exc), exc.msg) from exc
        try:
            root = etree.fromstring(data, _parser(True, keep_formatting), base_url=base_url)
        except etree.XMLSyntaxError as again:
            raise XmlUnreadable(str(again), again.msg) from again
    if root is None:
        raise XmlUnreadable()
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):  # UTF-16 hides "<!ENTITY" from the byte check
        raise XmlRefused("the document declares XML entities")
    return root


@cache
def _parser(recover: bool, keep_formatting: bool) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=not keep_formatting, remove_pis=not keep_formatting,
                           strip_cdata=not keep_formatting, recover=recover)
