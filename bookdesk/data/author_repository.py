"""Authors with their aliases: what each has in the library per media kind, merging and splitting.

Merging moves every credit of one author to another and keeps the other's name as an alias,
so a search for a pen name still finds the books; splitting makes an alias a person again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bookdesk.data import search_index
from bookdesk.data.models import Author, AuthorAlias, Contribution
from bookdesk.data.work_kinds import has_kind
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import NotFoundError, UsageError
from bookdesk.vocabulary.people import author_sort

# Per author (role "author"): works owned in any kind (a file, or status "owned"), with an ebook,
# with an audiobook (here or on an Audiobookshelf server), and wanted; counted in SQL so 100,000 credits
# never become Python rows.
# "+c.author_id" keeps SQLite from walking the author index (random reads of works: 0.67 s on
# 100,000 books); reading credits in table order and grouping in a temporary tree takes 0.3 s.
_OWNED_SQL = """
SELECT c.author_id,
       sum(w.status = 'owned' OR EXISTS (SELECT 1 FROM files f WHERE f.work_id = c.work_id)),
       sum(""" + has_kind("c.work_id", "ebook") + """),
       sum(""" + has_kind("c.work_id", "audiobook") + """),
       sum(w.status = 'wanted')
FROM contributions c JOIN works w ON w.id = c.work_id
WHERE c.role = 'author'
GROUP BY +c.author_id
"""
# How many books of each series credit each author.
_SERIES_CREDITS_SQL = """
SELECT e.series_id, c.author_id, count(*)
FROM series_entries e JOIN contributions c ON c.work_id = e.work_id AND c.role = 'author'
GROUP BY e.series_id, c.author_id
"""

_ALIASES_SQL = "SELECT author_id, alias FROM author_aliases ORDER BY alias"
_AUTHORS_SQL = "SELECT id, name, sort_name, monitored FROM authors ORDER BY sort_name, id"
_CREDITED_AUTHORS_SQL = """
SELECT id, name, sort_name, monitored FROM authors
WHERE id IN (SELECT author_id FROM contributions WHERE role = 'author')
ORDER BY sort_name, id
"""


@dataclass(frozen=True, slots=True)
class AuthorRecord:
    id: int
    name: str
    sort_name: str
    monitored: bool
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AuthorCounts:
    owned: int
    ebook: int
    audiobook: int
    wanted: int


@dataclass(frozen=True, slots=True)
class AuthorRows:
    """What the Authors view's figures read, as the catalog's plain rows (read in C, compared in C): whether
    anything of it changed since the last reading is told without making a Python object a row."""

    counts: list[tuple[int, int, int, int, int]]  # (author id, owned, ebook, audiobook, wanted), see _OWNED_SQL
    authors: list[tuple[int, str, str, int]]  # (id, name, sort name, monitored) by sort name
    aliases: list[tuple[int, str]]  # (author id, alias) by alias
    credits: list[tuple[int, int, int]]  # (series id, author id, books), see _SERIES_CREDITS_SQL

    def counted(self) -> dict[int, AuthorCounts]:
        return {row[0]: AuthorCounts(*row[1:]) for row in self.counts}

    def people(self) -> list[AuthorRecord]:
        return _records(self.authors, self.aliases)


class AuthorRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def authors(self, with_credits_only: bool = True) -> list[AuthorRecord]:
        """Every author (credited as an author on at least one book, unless asked otherwise), by sort name.

        Read as plain rows (in C): 20,000 ORM rows were a fifth of a second of Python on the worker each time
        the Authors view was read again, while the window waited for the GIL (bench/ui_stalls.py identify)."""
        cursor = self._cursor()
        aliases = cursor.execute(_ALIASES_SQL).fetchall()
        return _records(cursor.execute(_CREDITED_AUTHORS_SQL if with_credits_only else _AUTHORS_SQL).fetchall(), aliases)

    def rows(self) -> AuthorRows:
        """Every author, with counts, aliases and series credits, as plain rows."""
        cursor = self._cursor()
        return AuthorRows(cursor.execute(_OWNED_SQL).fetchall(), cursor.execute(_AUTHORS_SQL).fetchall(),
                          cursor.execute(_ALIASES_SQL).fetchall(), cursor.execute(_SERIES_CREDITS_SQL).fetchall())

    def _cursor(self):  # noqa: ANN202 - the sqlite3 connection under the session
        return self.session.connection().connection.driver_connection

    def author(self, author_id: int) -> AuthorRecord:
        author = self.session.get(Author, author_id)
        if author is None:
            raise NotFoundError(f"There is no author with id {author_id} in this library.")
        aliases = self.session.execute(
            select(AuthorAlias.alias).where(AuthorAlias.author_id == author_id).order_by(AuthorAlias.alias)).scalars()
        return AuthorRecord(author.id, author.name, author.sort_name, bool(author.monitored), tuple(aliases))

    def counts(self) -> dict[int, AuthorCounts]:
        cursor = self._cursor()
        return {row[0]: AuthorCounts(*row[1:]) for row in cursor.execute(_OWNED_SQL)}

    def series_credits(self) -> list[tuple[int, int, int]]:
        """(series id, author id, books of the series crediting that author)."""
        cursor = self._cursor()
        return cursor.execute(_SERIES_CREDITS_SQL).fetchall()

    def set_monitored(self, author_id: int, monitored: bool) -> None:
        done = self.session.execute(update(Author).where(Author.id == author_id).values(monitored=monitored))
        if not done.rowcount:
            raise NotFoundError(f"There is no author with id {author_id} in this library.")

    def merge(self, keep_id: int, other_id: int) -> list[int]:
        """Move every credit and alias of ``other_id`` to ``keep_id``, keep the other's name as an alias,
        and remove the other author. Returns the ids of the works whose credits changed."""
        if keep_id == other_id:
            raise UsageError("An author cannot be merged into itself.")
        keep, other = self._get(keep_id), self._get(other_id)
        works = list(self.session.execute(
            select(Contribution.work_id).where(Contribution.author_id == other_id).distinct()).scalars())
        # A book crediting both in one role keeps the credit it already has.
        for contribution in self.session.execute(
                select(Contribution).where(Contribution.author_id == other_id)).scalars().all():
            exists = self.session.execute(
                select(Contribution.id).where(Contribution.author_id == keep_id,
                                              Contribution.work_id == contribution.work_id,
                                              Contribution.role == contribution.role)).first()
            if exists:
                self.session.delete(contribution)
            else:
                contribution.author_id = keep_id
        self.session.execute(update(AuthorAlias).where(AuthorAlias.author_id == other_id).values(author_id=keep_id))
        self.session.flush()
        other_name, other_ids, other_monitored = other.name, other.provider_ids, other.monitored
        self.session.delete(other)
        self.session.flush()
        if other_name != keep.name:
            self.session.execute(delete(AuthorAlias).where(AuthorAlias.alias == other_name))
            self.session.add(AuthorAlias(author_id=keep_id, alias=other_name))
        keep.provider_ids = json.dumps({**_ids(other_ids), **_ids(keep.provider_ids)}, sort_keys=True)
        keep.monitored = bool(keep.monitored or other_monitored)
        self.session.flush()
        WorkRepository(self.session).refresh(works)
        self._refresh_search(keep_id)  # the search finds every book of ``keep`` by the new alias
        return works

    def work_ids(self, author_id: int) -> list[int]:
        """The books crediting ``author_id`` in any role, oldest first."""
        return list(dict.fromkeys(self.session.execute(
            select(Contribution.work_id).where(Contribution.author_id == author_id)
            .order_by(Contribution.work_id)).scalars()))

    def split(self, author_id: int, alias: str, work_ids: Sequence[int] = ()) -> tuple[int, list[int]]:
        """Make ``alias`` of ``author_id`` an author of its own and credit it on ``work_ids`` instead.

        Returns the new author's id and the ids of the works whose credits changed.
        """
        self._get(author_id)
        row = self.session.execute(
            select(AuthorAlias).where(AuthorAlias.author_id == author_id, AuthorAlias.alias == alias)).scalar()
        if row is None:
            raise NotFoundError(f"{alias!r} is not an alias of author {author_id}.")
        if self.session.execute(select(Author.id).where(Author.name == alias)).first():
            raise UsageError(f"There is already an author named {alias!r}.")
        self.session.delete(row)
        person = Author(name=alias, sort_name=author_sort(alias), provider_ids="{}", monitored=False)
        self.session.add(person)
        self.session.flush()
        moved: list[int] = []
        for work_id in dict.fromkeys(work_ids):
            credits_ = self.session.execute(select(Contribution).where(
                Contribution.author_id == author_id, Contribution.work_id == work_id)).scalars().all()
            if not credits_:
                raise UsageError(f"Book {work_id} does not credit author {author_id}.")
            for contribution in credits_:
                contribution.author_id = person.id
            moved.append(work_id)
        self.session.flush()
        WorkRepository(self.session).refresh(moved)
        self._refresh_search(author_id)  # the alias no longer finds the books left with ``author_id``
        return person.id, moved

    def _refresh_search(self, author_id: int) -> None:
        works = self.session.execute(
            select(Contribution.work_id).where(Contribution.author_id == author_id).distinct()).scalars()
        search_index.refresh(self.session, list(works))

    def _get(self, author_id: int) -> Author:
        author = self.session.get(Author, author_id)
        if author is None:
            raise NotFoundError(f"There is no author with id {author_id} in this library.")
        return author


def _ids(text: str | None) -> dict:
    try:
        found = json.loads(text or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _records(authors: list[tuple[int, str, str, int]], alias_rows: list[tuple[int, str]]) -> list[AuthorRecord]:
    aliases: dict[int, list[str]] = {}
    for author_id, alias in alias_rows:
        aliases.setdefault(author_id, []).append(alias)
    return [AuthorRecord(author_id, name, sort_name, bool(monitored), tuple(aliases.get(author_id, ())))
            for author_id, name, sort_name, monitored in authors]
