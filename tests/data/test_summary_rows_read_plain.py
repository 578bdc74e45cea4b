"""The authors and the wanted list read as plain SQL rows give what the ORM queries gave: same rows, same order."""

from __future__ import annotations

import random

from sqlalchemy import or_, select

from bookdesk.data.author_repository import AuthorRecord, AuthorRepository
from bookdesk.data.catalog_rows import Contributor, NewWork, SeriesRef
from bookdesk.data.models import Author, AuthorAlias, Contribution, Series, SeriesEntry, Work
from bookdesk.data.wanted_repository import WantedRepository
from bookdesk.data.work_repository import WorkRepository

PEOPLE = ["Ursula K. Le Guin", "Stanisław Lem", "Ann Author", "ann author", "Émile Zola", "Zadie Smith",
          "Octavia E. Butler", "Ben Lerner", "Bo"]


def _filled(catalog) -> None:  # noqa: ANN001
    rng = random.Random(15)
    works = []
    for n in range(80):
        people = [Contributor(name) for name in rng.sample(PEOPLE, rng.randint(1, 3))]
        if n % 9 == 0:
            people.append(Contributor(rng.choice(PEOPLE), role="narrator"))
        series = [SeriesRef(rng.choice(["Earthsea", "Solaris", "Dune"]), str(k)) for k in range(rng.randint(0, 2))]
        works.append(NewWork(title=rng.choice(["The Word", "a word", "Ænigma", "Zed"]) + f" {n}", contributors=people,
                             series=series, status=rng.choice(["owned", "owned", "wanted"]),
                             first_published=rng.choice([None, "2020", "2021-03", "1999-12-31", "soon"])))
    with catalog.write() as session:
        WorkRepository(session).add_many(works)
        session.add(Author(name="Nobody Credited", sort_name="Credited, Nobody", provider_ids="{}", monitored=True))
        first = session.execute(select(Author.id).order_by(Author.id)).scalars().first()
        session.add_all([AuthorAlias(author_id=first, alias="Pen Name"), AuthorAlias(author_id=first, alias="A. N.")])
        session.execute(Work.__table__.update().where(Work.id % 5 == 0).values(wanted_kinds="audiobook"))


def _authors_by_orm(session, with_credits_only: bool) -> list[AuthorRecord]:  # noqa: ANN001
    aliases: dict[int, list[str]] = {}
    for author_id, alias in session.execute(select(AuthorAlias.author_id, AuthorAlias.alias).order_by(AuthorAlias.alias)):
        aliases.setdefault(author_id, []).append(alias)
    query = select(Author.id, Author.name, Author.sort_name, Author.monitored).order_by(Author.sort_name, Author.id)
    if with_credits_only:
        query = query.where(Author.id.in_(select(Contribution.author_id).where(Contribution.role == "author")))
    return [AuthorRecord(i, name, sort, bool(monitored), tuple(aliases.get(i, ())))
            for i, name, sort, monitored in session.execute(query)]


def _wanted_by_orm(session) -> list[tuple]:  # noqa: ANN001
    rows = session.execute(
        select(Work.id, Work.title, Work.authors_display, Work.wanted_kinds, Work.status, Work.first_published,
               Work.cover_url, Work.language)
        .where(or_(Work.status == "wanted", Work.wanted_kinds != "")).order_by(Work.title_key, Work.id)).all()
    series: dict[int, list[tuple[str, str]]] = {}
    for work_id, name, label in session.execute(
            select(SeriesEntry.work_id, Series.name, SeriesEntry.label).join(Series, Series.id == SeriesEntry.series_id)
            .where(SeriesEntry.work_id.in_([r[0] for r in rows])).order_by(SeriesEntry.id)):
        series.setdefault(work_id, []).append((name, label))
    return [(i, title, authors, tuple(series.get(i, ())), tuple(k for k in (kinds or "").split(",") if k), status,
             published, cover, language) for i, title, authors, kinds, status, published, cover, language in rows]


def test_the_authors_are_the_rows_and_order_the_orm_gave(catalog) -> None:  # noqa: ANN001
    _filled(catalog)
    with catalog.read() as session:
        repo = AuthorRepository(session)
        for credited_only in (True, False):
            assert repo.authors(with_credits_only=credited_only) == _authors_by_orm(session, credited_only)
        assert any(a.aliases for a in repo.authors()) and any(a.monitored for a in repo.authors(False))


def test_the_wanted_list_is_the_rows_and_order_the_orm_gave(catalog) -> None:  # noqa: ANN001
    _filled(catalog)
    with catalog.read() as session:
        got = [(r.id, r.title, r.authors, r.series, r.wanted_kinds, r.status, r.first_published, r.cover_url,
                r.language) for r in WantedRepository(session).wanted()]
        assert got == _wanted_by_orm(session)
        assert any(r[3] for r in got) and any(r[5] == "owned" for r in got)
