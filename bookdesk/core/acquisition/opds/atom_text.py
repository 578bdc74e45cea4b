"""Plain text from Atom text constructs (text, html, xhtml), and the metadata calibre writes into them.

calibre's content server has no element for series or tags: it writes "SERIES: Name [2]" and
"TAGS: a, b" lines at the top of each book's content, before the book's description.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from lxml import etree

_BREAKS = frozenset({"br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"})
_TAG = re.compile(r"<[^>]*>")
_HTML_BREAK = re.compile(r"<\s*(br|/p|/div|/li|/h\d|/tr)\b[^>]*>", re.IGNORECASE)
_BLANKS = re.compile(r"[ \t\r\f\v]+")
_CALIBRE_SERIES = re.compile(r"^SERIES:\s*(?P<name>.+?)\s*\[(?P<index>\d+(?:\.\d+)?)\]\s*$")
_CALIBRE_FIELD = re.compile(r"^(RATING|TAGS|SERIES):\s*(?P<value>.*)$")


def text_of(element: etree._Element | None) -> str:
    """The readable text of an Atom text construct, with line breaks where the markup had them."""
    if element is None:
        return ""
    kind = (element.get("type") or "text").lower()
    if kind == "xhtml" or any(isinstance(c.tag, str) for c in element):
        parts: list[str] = []
        _walk(element, parts)
        raw = "".join(parts)
    elif kind in ("html", "text/html"):
        # Escaped HTML inside the element: its markup is text to lxml, so strip it here.
        raw = html.unescape(_TAG.sub("", _HTML_BREAK.sub("\n", element.text or "")))
    else:
        raw = element.text or ""
    return _tidy(raw)


def _walk(element: etree._Element, parts: list[str]) -> None:
    parts.append(element.text or "")
    for child in element:
        if isinstance(child.tag, str):
            _walk(child, parts)
            if etree.QName(child).localname.lower() in _BREAKS:
                parts.append("\n")
        parts.append(child.tail or "")


def _tidy(raw: str) -> str:
    """One line per paragraph or line break, blank lines and runs of spaces dropped."""
    lines = (_BLANKS.sub(" ", line).strip() for line in raw.splitlines())
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True, slots=True)
class CalibreFields:
    summary: str
    series: str | None = None
    series_index: float | None = None
    tags: tuple[str, ...] = ()


def calibre_fields(summary: str) -> CalibreFields:
    """calibre's rating, tags and series lines taken from the top of ``summary``; the description that
    remains. Lines like them further down are the book's own words and stay."""
    series = index = None
    tags: tuple[str, ...] = ()
    lines = summary.splitlines()
    while lines:
        field = _CALIBRE_FIELD.match(lines[0])
        if field is None:
            break
        line = lines.pop(0)
        matched = _CALIBRE_SERIES.match(line)
        if matched is not None:
            series = matched["name"]
            index = float(matched["index"])
        elif line.startswith("TAGS:"):
            tags = tuple(t.strip() for t in field["value"].split(",") if t.strip())
    return CalibreFields("\n".join(lines), series, index, tags)
