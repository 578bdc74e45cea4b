"""XML from book files, read with the one hardened parser; its refusals become ImportFailedError."""

from __future__ import annotations

from lxml import etree

from bookdesk.core import hardened_xml
from bookdesk.errors import ImportFailedError


def parse(data: bytes, what: str) -> etree._Element:
    # Recovering: a stray "&" in a sidecar or a ComicInfo.xml should not lose the book's metadata.
    try:
        return hardened_xml.parse(data, recover=True)
    except hardened_xml.XmlRefused:
        raise ImportFailedError(f"The {what} declares XML entities, which BookDesk refuses to read.") from None
    except hardened_xml.XmlUnreadable as exc:
        if not exc.detail:
            raise ImportFailedError(f"The {what} is not readable XML.") from None
        raise ImportFailedError(f"The {what} is not readable XML ({exc.detail}).") from exc
