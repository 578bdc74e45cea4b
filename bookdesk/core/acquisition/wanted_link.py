"""Linking what arrived to the wanted work it was fetched for.

The import decides on its own which work a file belongs to (by hash, identifiers, or title and
author). A wanted book is a placeholder work, often with too little known to match: so after the
import, the file and the placeholder are brought together here, in one transaction:

- the import made a new work for the file: the file (and what the placeholder lacks of the new
  work's identifiers and cover) moves onto the placeholder, and the new work goes. The placeholder
  keeps its series position, which is why it was wanted;
- the import matched a work the library had already: the placeholder is merged into that work
  (its series entries move over) and goes.

Either way the work that remains stops wanting the media kinds that arrived and becomes owned.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bookdesk.data.models import File, Identifier, ImportSource, SeriesEntry, Work
from bookdesk.data.wanted_repository import WantedRepository
from bookdesk.data.work_repository import WorkRepository

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def link_to_wanted(session: Session, wanted_id: int, arrived: int, *, created: bool,
                   kinds: Collection[str]) -> int:
    """Bring the work ``arrived`` (``created`` by this import, or already in the library) together
    with the wanted work ``wanted_id``; returns the id of the work that remains."""
    wanted = session.get(Work, wanted_id)
    if wanted is None:  # unwanted or deleted while downloading: the book simply stays where it went
        log.info("wanted work %s is gone; the download stays with work %s", wanted_id, arrived)
        return arrived
    works = WorkRepository(session)
    if arrived != wanted_id:
        if created:
            _move_onto(session, source=arrived, target=wanted)
            works.delete([arrived])
            keep = wanted_id
        else:
            _merge_placeholder(session, placeholder=wanted, into=arrived)
            keep = arrived
        works.refresh([keep])
    else:
        keep = wanted_id
    settle(session, keep, kinds)
    return keep


def settle(session: Session, work_id: int, kinds: Collection[str]) -> None:
    """The media kinds in ``kinds`` arrived for ``work_id``: it wants them no more, and it is owned."""
    work = session.get(Work, work_id)
    if work is None:
        return
    wanted = {k for k in (work.wanted_kinds or "").split(",") if k} - set(kinds)
    repo = WantedRepository(session)
    if work.status == "wanted":
        repo.set_status(work_id, "owned", _now())
    repo.set_wanted_kinds(work_id, sorted(wanted))


def _move_onto(session: Session, *, source: int, target: Work) -> None:
    """Give the placeholder ``target`` the files of the work ``source`` the import just made."""
    session.execute(update(File).where(File.work_id == source).values(work_id=target.id))
    # Undoing the import then takes the file off the placeholder, rather than deleting a work
    # that no longer exists.
    session.execute(update(ImportSource).where(ImportSource.work_id == source)
                    .values(work_id=target.id, created_work=False))
    have = set(session.execute(select(Identifier.scheme).where(Identifier.work_id == target.id)).scalars())
    for ident in session.execute(select(Identifier).where(Identifier.work_id == source)).scalars():
        if ident.scheme not in have:
            ident.work_id = target.id
    made = session.get(Work, source)
    if made is not None and made.cover_path and not target.cover_path:
        target.cover_path, made.cover_path = made.cover_path, None
    session.flush()


def _merge_placeholder(session: Session, *, placeholder: Work, into: int) -> None:
    """The library had the book already: the placeholder's series positions move to it, and the
    placeholder goes, unless it holds files of its own (an owned book wanting another kind)."""
    has_files = session.execute(select(File.id).where(File.work_id == placeholder.id).limit(1)).first()
    if has_files is not None:
        return
    in_series = set(session.execute(select(SeriesEntry.series_id).where(SeriesEntry.work_id == into)).scalars())
    for entry in session.execute(select(SeriesEntry).where(SeriesEntry.work_id == placeholder.id)).scalars():
        if entry.series_id not in in_series:
            entry.work_id = into
    session.flush()
    WorkRepository(session).delete([placeholder.id])
