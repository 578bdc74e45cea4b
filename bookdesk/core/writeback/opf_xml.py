"""The bytes of an EPUB package document: parsed safely, written back as close to the original as
lxml allows (the byte-order mark, the XML declaration as written, comments, the DOCTYPE)."""

from __future__ import annotations

import re

from lxml import etree

from bookdesk.core import hardened_xml
from bookdesk.core.importer.readers.epub import NS
from bookdesk.core.writeback.errors import WritebackError

OPF = NS["opf"]
# lxml gives a new element the nearest prefix bound to its namespace, so a <meta> added where
# <metadata> declares xmlns:opf comes out as <opf:meta>: the same element to any XML parser, but
# not what the file's own metas look like. New metas carry this marker until serialisation.
NEW_MARK = "data-bookdesk-new"
_PREFIXED_NEW = re.compile(r'<(?P<prefix>[A-Za-z_][\w.-]*):meta data-bookdesk-new="1"(?P<attributes>[^>]*?)'
                           r'(?:/>|>(?P<text>[^<]*)</(?P=prefix):meta>)')


def parse(data: bytes) -> etree._ElementTree:
    """The package document, refusing entities (billion laughs, external files) outright. Strict: a document
    that is not well-formed is not rewritten from a guess; comments, processing instructions and CDATA kept."""
    try:
        root = hardened_xml.parse(data, keep_formatting=True)
    except hardened_xml.XmlRefused:
        raise WritebackError("its package document declares XML entities, which BookDesk refuses to read or "
                             "write") from None
    except hardened_xml.XmlUnreadable as exc:
        raise WritebackError(f"its package document is not well-formed XML ({exc.detail}); BookDesk does not "
                             "rewrite a document it could only guess at") from exc
    return root.getroottree()


def serialize(tree: etree._ElementTree, original: bytes) -> bytes:
    """The edited document, keeping the original's byte-order mark and XML declaration as written."""
    encoding = (tree.docinfo.encoding or "UTF-8").upper()
    if encoding not in ("UTF-8", "UTF8"):
        encoded = etree.tostring(tree, encoding=tree.docinfo.encoding, xml_declaration=True)
        return _unmarked(encoded.decode(tree.docinfo.encoding), tree).encode(tree.docinfo.encoding)
    body = _unmarked(etree.tostring(tree, encoding="UTF-8", xml_declaration=False).decode("utf-8"),
                     tree).encode("utf-8")
    bom = b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b""
    head = original[len(bom):]
    if head.startswith(b"<?xml"):
        end = head.find(b"?>") + 2
        rest = head[end:]
        spacing = rest[:len(rest) - len(rest.lstrip())]
        return bom + head[:end] + spacing + body
    return bom + body


def _unmarked(text: str, tree: etree._ElementTree) -> str:
    """New metas written as ``<meta>`` where the default namespace there is the OPF one."""
    metadata = tree.getroot().find(".//{*}metadata")
    if metadata is not None and metadata.nsmap.get(None) == OPF:
        def plain(match: re.Match[str]) -> str:
            attributes = match["attributes"]
            return f"<meta{attributes}/>" if match["text"] is None else f"<meta{attributes}>{match['text']}</meta>"

        text = _PREFIXED_NEW.sub(plain, text)
    return text.replace(f' {NEW_MARK}="1"', "")
