"""Identifying books from the window: Identify Selected, progress, the review queue."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from bookdesk.core.identify.service import OFFLINE, IdentifyReport
from bookdesk.core.jobs import JobResult
from bookdesk.core.library_services import LibraryServices
from bookdesk.core.providers.base import Query
from bookdesk.ui import bridge
from bookdesk.ui.dialogs.error_dialog import ErrorPresenter


class IdentifyFlow(QObject):
    books_changed = Signal(list)  # work ids
    status = Signal(str)
    review_count = Signal(int)

    def __init__(self, parent: QWidget, services: LibraryServices, presenter: ErrorPresenter | None = None) -> None:
        super().__init__(parent)
        self.service, self.worker, self.presenter = services.library, services.worker, presenter
        self.make_service = services.identify_service  # per job, with the settings in force then

    def identify(self, work_ids: list[int], queries: dict[int, Query] | None = None) -> str:
        if not work_ids:
            return ""
        title = f"Identify {len(work_ids):,} book{'s' if len(work_ids) != 1 else ''}"

        async def job(ctx):  # noqa: ANN001 - JobContext
            return await self.make_service().identify(ctx, work_ids, user_waiting=True, queries=queries)

        return self._submit("identify", title, job, self._identified)

    def apply_review(self, item_id: int, choice: int, fields: set[str]) -> str:
        async def job(ctx):  # noqa: ANN001
            return await self.make_service().apply_review(ctx, item_id, choice, fields)

        return self._submit("identify", "Apply a reviewed identification", job, self._applied)

    def skip_review(self, item_id: int) -> None:
        self.service.skip_review(item_id)
        self.review_count.emit(self.pending_count())

    def pending_count(self) -> int:
        return self.service.pending_review_count()

    def _submit(self, kind: str, title: str, fn, then) -> str:  # noqa: ANN001
        return bridge.after_job(self.worker.submit(kind, title, fn), then, owner=self)

    def _identified(self, correlation_id: str, result: JobResult) -> None:
        report: IdentifyReport | None = result.value
        if report is None:
            return
        self.books_changed.emit([r.work_id for r in report.results if r.changes])
        notes = f" — {'; '.join(report.notes)}" if report.notes else ""
        self.status.emit(f"Identify: {report.summary()} (Ref {correlation_id}){notes}")
        self.review_count.emit(self.pending_count())
        self._say_offline(correlation_id, report)

    def _say_offline(self, correlation_id: str, report: IdentifyReport) -> None:
        """Not one book could be looked up: said once, in words, for the whole job (never a dialog a book)."""
        offline = report.count(OFFLINE)
        if self.presenter is None or not offline or offline != len(report.results):
            return
        providers = sorted({label for r in report.results for label in r.provider_errors})
        books = f"{offline:,} book{'s' if offline != 1 else ''}"
        self.presenter.report(f"No metadata provider could be reached ({', '.join(providers)}), so {books} "
                              "could not be looked up and nothing was changed. Try again when the network or the "
                              "providers are back.", correlation_id)

    def _applied(self, correlation_id: str, result: JobResult) -> None:
        if result.value is not None:
            self.books_changed.emit([result.value.work_id])
        self.review_count.emit(self.pending_count())
