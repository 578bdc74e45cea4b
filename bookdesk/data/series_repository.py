"""Series as the library knows them from its own books."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bookdesk.data.catalog_rows import SeriesSummary
from bookdesk.data.models import Author, Contribution, Series, SeriesEntry, Work
from bookdesk.data.search_index import FOLD_FUNCTION
from bookdesk.vocabulary.folding import fold


class SeriesRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def summaries(self, search: str | None = None) -> list[SeriesSummary]:
        """Every series with the books owned in it, sorted by name."""
        query = (
            select(Series.id, Series.name, Series.monitored, Series.total_count,
                   func.count(SeriesEntry.id),
                   func.group_concat(SeriesEntry.label, "\x1f"))
            .join(SeriesEntry, SeriesEntry.series_id == Series.id)
            .join(Work, Work.id == SeriesEntry.work_id)
            .where(Work.status == "owned")
            .group_by(Series.id)
            .order_by(Series.sort_name)
        )
        if search:  # "cordoba" finds "Córdoba", as the library search does
            query = query.where(getattr(func, FOLD_FUNCTION)(Series.name).contains(fold(search), autoescape=True))
        rows = self.session.execute(query).all()
        authors = self._main_authors([r[0] for r in rows])
        return [
            SeriesSummary(id=sid, name=name, owned=owned, labels=tuple(_sorted_labels(labels)),
                          authors=authors.get(sid, ""), monitored=monitored, total_count=total)
            for sid, name, monitored, total, owned, labels in rows
        ]

    def _main_authors(self, series_ids: list[int]) -> dict[int, str]:
        """The author credited on most of each series' books."""
        if not series_ids:
            return {}
        counts = self.session.execute(
            select(SeriesEntry.series_id, Author.name, func.count())
            .join(Contribution, Contribution.work_id == SeriesEntry.work_id)
            .join(Author, Author.id == Contribution.author_id)
            .where(Contribution.role == "author")
            .group_by(SeriesEntry.series_id, Author.name)
        ).all()
        best: dict[int, tuple[int, str]] = {}
        for series_id, name, count in counts:
            if series_id not in best or count > best[series_id][0]:
                best[series_id] = (count, name)
        return {sid: name for sid, (_, name) in best.items()}


def _sorted_labels(joined: str | None) -> list[str]:
    labels = [label for label in (joined or "").split("\x1f") if label]

    def key(label: str) -> tuple[int, float, str]:
        try:
            return (0, float(label.split("-")[0]), label)
        except ValueError:
            return (1, 0.0, label)

    return sorted(set(labels), key=key)
