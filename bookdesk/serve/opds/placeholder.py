"""The cover of a book that has none: an SVG with its title and authors.

OPDS 2.0 requires every publication to have an image (readers lay out their grids by it); a book
without a cover gets this one at its cover address. The text is the catalog's, so lxml writes it (and
escapes it); characters XML cannot hold are dropped as in the Atom feeds.
"""

from __future__ import annotations

import textwrap

from lxml import etree

from bookdesk.serve.opds.atom import clean

SVG = "http://www.w3.org/2000/svg"
SVG_TYPE = "image/svg+xml"
_WIDTH, _HEIGHT = 300, 450


def placeholder_cover(title: str, authors: str) -> bytes:
    root = etree.Element(f"{{{SVG}}}svg", nsmap={None: SVG}, width=str(_WIDTH), height=str(_HEIGHT),
                         viewBox=f"0 0 {_WIDTH} {_HEIGHT}")
    etree.SubElement(root, f"{{{SVG}}}rect", width="100%", height="100%", fill="#3b4a5a")
    lines = textwrap.wrap(clean(title), 18)[:6] or ["?"]
    _lines(root, lines, 120, 26, "#ffffff", "bold")
    _lines(root, textwrap.wrap(clean(authors), 24)[:3], 140 + 34 * len(lines), 18, "#d8dee6", "normal")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _lines(root: etree._Element, lines: list[str], top: int, size: int, colour: str, weight: str) -> None:
    for number, line in enumerate(lines):
        text = etree.SubElement(root, f"{{{SVG}}}text", x=str(_WIDTH // 2), y=str(top + number * (size + 8)),
                                fill=colour, attrib={"text-anchor": "middle", "font-family": "sans-serif",
                                                     "font-size": str(size), "font-weight": weight})
        text.text = line
