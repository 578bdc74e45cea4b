"""The one way a person's edits reach the catalog: the Edit Metadata and bulk edit dialogs, the
context menu's quick actions (read state, rating) and ``bookdesk edit`` all call ``EditService.apply``.

One edit is one write transaction under one correlation id (the Ref of the job it runs in, else a
new one): ``LibraryService.undo_job(id)``, which ``bookdesk undo REF``, Activity's Undo and Edit → Undo
use, reverts all of it, and a book's History lists and undoes its changes one by one. Every change is a
FieldChange with source "user" (shown to people as "you"). ``apply`` is for what is done at once (the
CLI, a quick action on a few books); ``run`` makes it a job, with a row in Activity, for the dialogs. What is wrong is refused before anything is written:
a field that does not exist, a read state or rating out of range, a book that is not in the library
(UsageError, NotFoundError).

Locks: a field this edit changed is locked against later identification (``WorkRepository.set_locked``),
except ``read_state``, ``rating`` and ``status``, which no provider sets (and a wanted book's status
follows its files). ``unlock`` frees a field, and wins over the lock an edit would add; ``lock`` locks
a field without changing it. Undo puts the values back and leaves the locks as they are: the person
has now chosen that field's value by hand twice, and frees it with ``unlock`` when identification may
change it again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bookdesk import correlation
from bookdesk.core.editing.book_edits import BookEdits, EditOutcome
from bookdesk.data.catalog import Catalog
from bookdesk.data.catalog_rows import FieldChangeRecord, WorkDetail
from bookdesk.data.series_identity import SeriesResolver
from bookdesk.data.work_fields import field_value
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import NotFoundError, UsageError
from bookdesk.vocabulary.folding import fold
from bookdesk.vocabulary.positions import format_number

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bookdesk.core.jobs import JobContext

__all__ = ["BookEdits", "EditOutcome", "EditService"]

# Fields only a person sets, or that follow the files: changing them locks nothing.
NEVER_LOCKED = frozenset({"read_state", "rating", "status"})
# The people first: a series is found by its name and the book's authors (data/series_identity.py).
_ORDER = ("authors", "people")


class EditService:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def apply(self, work_ids: Sequence[int], edits: BookEdits, *,
              check_cancelled: Callable[[], None] | None = None) -> EditOutcome:
        """Make ``edits`` to every book of ``work_ids``, in one transaction, or refuse them all.
        ``check_cancelled`` is called before each book; what it raises ends the edit with nothing written."""
        ids = list(dict.fromkeys(work_ids))
        if not ids:
            raise UsageError("Choose at least one book to edit.")
        edits.check()
        cid = correlation.current() or correlation.new_id()
        changes: list[FieldChangeRecord] = []
        with correlation.bound(cid), self.catalog.write() as session:
            repo = WorkRepository(session)
            details = _existing(repo, ids)
            targets = [_targets(details[work_id], edits, index) for index, work_id in enumerate(ids)]
            if edits.series and len(ids) > 1:
                _one_series(session, edits.series, [details[work_id] for work_id in ids], targets)
            for work_id, values in zip(ids, targets, strict=True):
                if check_cancelled is not None:
                    check_cancelled()
                changed = _write(repo, work_id, values, cid)
                changes += changed
                for name in {c.field for c in changed} - NEVER_LOCKED - set(edits.unlock) | set(edits.lock):
                    repo.set_locked(work_id, name, True)
                for name in edits.unlock:
                    repo.set_locked(work_id, name, False)
        return EditOutcome(cid, changes)

    def check(self, work_ids: Sequence[int], edits: BookEdits) -> None:
        """What ``apply`` would refuse, said before a job is started for it (``bookdesk edit``)."""
        edits.check()
        with self.catalog.read() as session:
            _existing(WorkRepository(session), list(dict.fromkeys(work_ids)))

    async def run(self, ctx: JobContext, work_ids: Sequence[int], edits: BookEdits) -> EditOutcome:
        """``apply`` as a job (``Worker.submit``): in Activity with its Ref, which is the edit's, and
        its summary. The catalog is written on a thread, off the worker's loop."""
        # On a thread, with the context and so its Ref; Cancel (a job's, in the status bar) undoes it all.
        outcome = await asyncio.to_thread(self.apply, work_ids, edits, check_cancelled=ctx.check_cancelled)
        ctx.summary = outcome.summary()
        return outcome


def _existing(repo: WorkRepository, ids: list[int]) -> dict[int, WorkDetail]:
    details = {detail.id: detail for detail in repo.details(ids)}
    if missing := [str(work_id) for work_id in ids if work_id not in details]:
        raise NotFoundError(f"There is no book with id {', '.join(missing)} in this library; nothing was changed.")
    return details


def _one_series(session: Session, name: str, details: list[WorkDetail], targets: list[dict[str, object]]) -> None:
    """Books put in a series together by hand are one series, whoever wrote them (the person said so):
    the one series_identity finds for all their authors at once, each book given it by its id."""
    authors = [author for detail, values in zip(details, targets, strict=True)
               for author in values.get("authors", detail.authors)]  # type: ignore[union-attr]
    series_id = SeriesResolver(session).series_id(name, authors)[0]
    for values in targets:
        values["series"] = [{**values["series"][0], "series_id": series_id}]  # type: ignore[index]


def _write(repo: WorkRepository, work_id: int, values: dict[str, object], cid: str) -> list[FieldChangeRecord]:
    ordered = sorted(values, key=lambda name: (name not in _ORDER, name))
    made = (repo.set_field(work_id, name, values[name], source="user", correlation_id=cid) for name in ordered)
    return [change for change in made if change is not None]


def _targets(detail: WorkDetail, edits: BookEdits, index: int) -> dict[str, object]:
    """The whole new value of every field ``edits`` touches on this book (the ``index``-th edited)."""
    values: dict[str, object] = dict(edits.fields)
    if edits.authors is not None:
        values["authors"] = list(edits.authors)
    if edits.language is not None:
        values["language"] = edits.language
    if edits.read_state is not None:
        values["read_state"] = edits.read_state
    if edits.rating is not None:
        values["rating"] = edits.rating
    if (series := _series(detail, edits, index)) is not None:
        values["series"] = series
    if edits.tags is not None or edits.add_tags or edits.remove_tags:
        tags = set(edits.tags if edits.tags is not None else values.get("tags", detail.tags))  # type: ignore[arg-type]
        values["tags"] = sorted((tags | edits.add_tags) - edits.remove_tags)
    return values


def _series(detail: WorkDetail, edits: BookEdits, index: int) -> list[dict[str, str]] | None:
    if edits.series == "":
        return []
    label = edits.position
    if edits.number_from is not None:
        label = format_number(edits.number_from + index)
    if edits.series is not None:
        if label is None:  # the same series again keeps the book's place in it
            label = next((s.label for s in detail.series if fold(s.name) == fold(edits.series)), "")
        return [{"name": edits.series, "label": label}]
    if label is None:
        return None
    current = field_value(detail, "series")
    if not current:
        raise UsageError(f"{detail.title!r} is in no series: name the series as well as the position.")
    first, *rest = current  # type: ignore[misc]
    return [{**first, "label": label}, *rest]
