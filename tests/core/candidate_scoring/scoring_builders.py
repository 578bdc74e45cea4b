"""Small builders for the matching tests: a candidate as a provider would answer, in one line."""

from __future__ import annotations

from bookdesk.core.providers.base import Candidate
from bookdesk.data.catalog_rows import Contributor, SeriesRef


def candidate(title: str, *authors: str, provider: str = "openlibrary", provider_id: str = "", series: str = "",
              position: str = "", narrators: tuple[str, ...] = (), **fields: object) -> Candidate:
    people = [Contributor(a) for a in authors] + [Contributor(n, role="narrator") for n in narrators]
    return Candidate(provider=provider, provider_id=provider_id or f"{provider}:{title}", title=title,
                     contributors=people, series=[SeriesRef(series, position)] if series else [],
                     **fields)  # type: ignore[arg-type]
