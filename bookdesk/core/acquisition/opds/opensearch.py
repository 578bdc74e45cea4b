"""OpenSearch: the description document a catalog points to with rel="search", and filling a URL
template such as ``/search?q={searchTerms}&page={startPage?}`` with what a person typed."""

from __future__ import annotations

import re
from urllib.parse import quote

from bookdesk.core.acquisition.opds.document import OPENSEARCH, parse_document
from bookdesk.core.acquisition.opds.errors import OpdsFeedError
from bookdesk.core.acquisition.opds.formats import media_type
from bookdesk.core.acquisition.opds.links import absolute

_PARAMETER = re.compile(r"\{(?P<name>[^{}?]+)(?P<optional>\?)?\}")


def parse_description(data: bytes, url: str) -> str:
    """The absolute Atom search template of the OpenSearch description in ``data`` (from ``url``)."""
    root = parse_document(data, url, roots=(f"{{{OPENSEARCH}}}OpenSearchDescription",),
                         what="an OpenSearch description")
    candidates: list[tuple[int, str]] = []
    for element in root.iterfind(f"{{{OPENSEARCH}}}Url"):
        template = absolute(element.get("template"), element, url)
        if template is None or "{searchTerms}" not in template:
            continue
        kind = media_type(element.get("type"))
        # An OPDS (Atom) result first; an untyped one may be; HTML or OPDS 2 JSON results are no use here.
        rank = 0 if kind.startswith("application/atom+xml") else 1 if not kind else None
        if rank is not None:
            candidates.append((rank, _with_offsets(template, element.get("indexOffset"),
                                                   element.get("pageOffset"))))
    if not candidates:
        raise OpdsFeedError(f"The search description at {url} has no search address for OPDS results.", url=url)
    return min(candidates, key=lambda c: c[0])[1]


def _with_offsets(template: str, index_offset: str | None, page_offset: str | None) -> str:
    """Where the server counts pages and items from 1 (OpenSearch's default) or another number, the
    first page is written into the template now, so that filling it needs only the search terms."""
    starts = {"startIndex": (index_offset or "1").strip(), "startPage": (page_offset or "1").strip()}

    def first(match: re.Match[str]) -> str:
        name = match["name"]
        if name in starts and not match["optional"]:
            return starts[name] if starts[name].lstrip("-").isdigit() else "1"
        return match.group(0)

    return _PARAMETER.sub(first, template)


def fill_template(template: str, text: str) -> str:
    """``template`` with the search terms in place and every other parameter given its default."""
    def value(match: re.Match[str]) -> str:
        name = match["name"]
        if name == "searchTerms":
            return quote(text.strip(), safe="")
        if match["optional"]:
            return ""  # OpenSearch: an optional parameter left out is an empty string
        return {"startIndex": "1", "startPage": "1", "language": "*", "inputEncoding": "UTF-8",
                "outputEncoding": "UTF-8"}.get(name, "")

    return _PARAMETER.sub(value, template)
