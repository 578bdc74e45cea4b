"""XML from book files parsed with no entity expansion, no DTD loading and no network."""

from __future__ import annotations

from lxml import etree

from bookdesk.errors import ImportFailedError

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True, recover=False)
_RECOVERING = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                              remove_comments=True, remove_pis=True, recover=True)


def parse(data: bytes, what: str) -> etree._Element:
    if b"<!ENTITY" in data:
        # Entities are the vehicle of billion-laughs and external-file attacks; book metadata never needs them.
        raise ImportFailedError(f"The {what} declares XML entities, which BookDesk refuses to read.")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        try:
            root = etree.fromstring(data, _RECOVERING)
        except etree.XMLSyntaxError as exc:
            raise ImportFailedError(f"The {what} is not readable XML ({exc}).") from exc
        if root is None:
            raise ImportFailedError(f"The {what} is not readable XML.") from None
        return root
