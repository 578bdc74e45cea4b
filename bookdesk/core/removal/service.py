"""What the window and the command line ask of removal: remove books (files to the trash), remove a
format, merge books, split a format out, and what a confirmation must say first.

Each action runs under the Ref in force (a job's, bound by the JobRunner) or a new one, which
``bookdesk undo REF`` and Activity's Undo revert."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from sqlalchemy import func, select

from bookdesk import correlation
from bookdesk.core.removal import merge, remove_books
from bookdesk.core.removal.report import RemovalReport
from bookdesk.core.removal.trash import FREEDESKTOP
from bookdesk.data.catalog import Catalog
from bookdesk.data.models import File, Work

TRASH_NAME = "the system trash" if FREEDESKTOP else "the Trash" if sys.platform == "darwin" else "the Recycle Bin"


@dataclass(frozen=True)
class RemovalPlan:
    """What removing some books would take: for the confirmation a person answers first."""

    books: int
    files: int
    titles: list[str]  # the first few, for the question

    def question(self, keep_files: bool = False) -> str:
        books = f"{self.books:,} book{'' if self.books == 1 else 's'}"
        named = f" (“{self.titles[0]}”)" if self.books == 1 and self.titles else ""
        return f"Remove {books}{named} from the library? {self._where_files_go(keep_files)}"

    def _where_files_go(self, keep_files: bool) -> str:
        owner = "Its" if self.books == 1 else "Their"
        if self.files == 0:  # wanted books: nothing on disk
            return f"{'It has' if self.books == 1 else 'They have'} no file in the library."
        if self.files == 1:
            return f"{owner} file {'stays on disk where it is' if keep_files else f'goes to {TRASH_NAME}'}."
        return f"{owner} {self.files:,} files {'stay on disk where they are' if keep_files else f'go to {TRASH_NAME}'}."


class RemovalService:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def plan(self, work_ids: list[int]) -> RemovalPlan:
        with self.catalog.read() as session:
            titles = list(session.execute(select(Work.title).where(Work.id.in_(work_ids)).order_by(Work.id)).scalars())
            files = session.execute(select(func.count(File.id)).where(File.work_id.in_(work_ids))).scalar() or 0
        return RemovalPlan(len(titles), files, titles[:5])

    def remove(self, work_ids: list[int], *, keep_files: bool = False) -> RemovalReport:
        self._writable()
        return remove_books.remove_books(self.catalog, list(dict.fromkeys(work_ids)), keep_files=keep_files,
                                         correlation_id=self._ref())

    def remove_format(self, work_id: int, file_id: int, *, keep_file: bool = False) -> RemovalReport:
        self._writable()
        return remove_books.remove_format(self.catalog, work_id, file_id, keep_file=keep_file,
                                          correlation_id=self._ref())

    def merge(self, keep_id: int, other_ids: list[int]) -> RemovalReport:
        self._writable()
        return merge.merge_books(self.catalog, keep_id, other_ids, correlation_id=self._ref())

    def split(self, work_id: int, file_id: int) -> RemovalReport:
        self._writable()
        return merge.split_format(self.catalog, work_id, file_id, correlation_id=self._ref())

    def _writable(self) -> None:
        """Refuse before a file moves when the catalog takes no change (it says why): else files would go
        to the trash and their books stay listed."""
        if (refusal := self.catalog.refusal) is not None:
            raise type(refusal)(refusal.message, detail=refusal.detail)

    @staticmethod
    def _ref() -> str:
        return correlation.current() or correlation.new_id()
