"""The FTS5 index ``work_fts``: one row per work, rowid = work id.

The repositories call ``refresh`` for every work they change, so the index never
needs a rebuild in normal use; ``rebuild`` is there for repair.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bookdesk.vocabulary.folding import fold

if TYPE_CHECKING:  # the statements go through the session's own connection: a reader that only
    # matches (data/catalog_reader.py) must not import SQLAlchemy for them
    from sqlalchemy.orm import Session

_TOKEN = re.compile(r"\w+", re.UNICODE)
# A hyphenated run of digits such as an ISBN typed as "978-0-306-40615-7"; a word with
# apostrophes ("O'Brien", "d’Artagnan"), kept together as a phrase; or a word.
_TERM = re.compile(r"(\d[\dxX]*(?:-[\dxX]+)+)|(\w+(?:['’]\w+)+)|\w+", re.UNICODE)
FOLD_FUNCTION = "bookdesk_fold"


def index_text(value: str | None) -> str | None:
    """What the index stores for a text: folded as the queries are, beyond what FTS5's
    tokenizer folds itself (it leaves "ø", "ł", "æ" alone)."""
    return fold(value) if value else value


def match_expression(query: str) -> str | None:
    """Turn what a person typed into an FTS5 expression: every word, as a prefix, must match.

    Quotes and FTS operators in the input are treated as plain text, so no input can
    make the query fail. A hyphenated number matches with or without its hyphens, as the
    index keeps ISBNs both ways.
    """
    terms = []
    for match in _TERM.finditer(fold(query)):
        words = _TOKEN.findall(match.group())
        if match.group(1):
            terms.append(f'("{"".join(words)}"* OR "{" ".join(words)}"*)')
        else:  # one word, or the words of an apostrophe run as one phrase
            terms.append(f'"{" ".join(words)}"*')
    return " ".join(terms) or None


def refresh(session: Session, work_ids: Iterable[int]) -> None:
    ids = list(work_ids)
    if not ids:
        return
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start:chunk_start + 500]
        marks = ",".join(str(int(i)) for i in chunk)
        session.connection().exec_driver_sql(f"DELETE FROM work_fts WHERE rowid IN ({marks})")
        session.connection().exec_driver_sql(_INSERT_SQL + f" WHERE w.id IN ({marks})")


def rebuild(session: Session) -> None:
    session.connection().exec_driver_sql("DELETE FROM work_fts")
    session.connection().exec_driver_sql(_INSERT_SQL)


# Title and subtitle; every person credited and their aliases; series names; tags; identifier
# values, with ISBNs also without hyphens so "978-0" and "9780" both find them.
_INSERT_SQL = """
INSERT INTO work_fts (rowid, title, authors, series, tags, identifiers)
SELECT w.id,
       bookdesk_fold(w.title || ' ' || coalesce(w.subtitle, '')),
       bookdesk_fold((SELECT group_concat(a.name || ' ' || coalesce(
                   (SELECT group_concat(al.alias, ' ') FROM author_aliases al WHERE al.author_id = a.id), ''), ' ')
          FROM contributions c JOIN authors a ON a.id = c.author_id WHERE c.work_id = w.id)),
       bookdesk_fold((SELECT group_concat(s.name, ' ') FROM series_entries e JOIN series s ON s.id = e.series_id
         WHERE e.work_id = w.id)),
       bookdesk_fold((SELECT group_concat(t.tag, ' ') FROM work_tags t WHERE t.work_id = w.id)),
       bookdesk_fold((SELECT group_concat(i.value || ' ' || replace(i.value, '-', ''), ' ') FROM identifiers i
         WHERE i.work_id = w.id))
  FROM works w"""
