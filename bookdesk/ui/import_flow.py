"""Importing as a person does it: a preview of what goes where, Import, progress in the status
bar, a summary with every failure and its reference, Undo; and the watch folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from bookdesk.core.importer.watch import WatchFolder
from bookdesk.core.jobs import JobResult
from bookdesk.core.library_services import LibraryServices
from bookdesk.core.settings import Settings
from bookdesk.ui import bridge
from bookdesk.ui.dialogs.error_dialog import ErrorPresenter
from bookdesk.ui.settings_hub import SettingsHub

if TYPE_CHECKING:  # the import pipeline and its dialogs load with the first import, not at start
    from bookdesk.core.importer.plan import ImportPlan
    from bookdesk.ui.dialogs.import_preview_dialog import ImportPreviewDialog
    from bookdesk.ui.dialogs.import_summary_dialog import ImportSummaryDialog


class ImportFlow(QObject):
    library_changed = Signal()
    status = Signal(str)
    books_changed = Signal(list)  # the books an undo set fields of back: shown anew, and written back

    def __init__(self, parent: QWidget, services: LibraryServices, settings_hub: SettingsHub,
                 presenter: ErrorPresenter) -> None:
        super().__init__(parent)
        self._parent, self.service, self.worker, self.presenter = parent, services.library, services.worker, presenter
        self.settings, self.secrets = settings_hub.settings, services.secrets  # a push's undo asks its server
        self.preview_dialog: ImportPreviewDialog | None = None
        self.summary_dialog: ImportSummaryDialog | None = None
        self.undo_message: QMessageBox | None = None  # why an undo kept files, while it is shown
        self.watch: WatchFolder | None = None
        self.watch_timer = QTimer(self)
        self.watch_timer.timeout.connect(self._look_in_watch_folder)
        self.apply_settings(self.settings)
        settings_hub.changed.connect(self.apply_settings)

    # ----- starting --------------------------------------------------------------------------

    def start(self, sources: list[Path]) -> str:
        """Preview first: read the books and show what would happen."""
        from bookdesk.core.importer.service import ImportService

        importer = ImportService(self.service.catalog, self.settings.import_template)
        return self._submit("import-preview", f"Preview of {ImportService.job_title(sources)}",
                            lambda ctx: importer.preview(ctx, sources), self._preview_ready)

    def import_now(self, sources: list[Path], mode: str, title: str | None = None) -> str:
        """Import without a preview (the watch folder)."""
        from bookdesk.core.importer.service import ImportService

        importer = ImportService(self.service.catalog, self.settings.import_template)
        return self._submit("import", title or ImportService.job_title(sources),
                            lambda ctx: importer.run(ctx, sources, mode), self._import_done)

    def carry_out(self, plan: ImportPlan, mode: str) -> str:
        from bookdesk.core.importer.service import ImportService

        importer = ImportService(self.service.catalog, self.settings.import_template)
        books = plan.books_to_add()
        return self._submit("import", f"Import of {books:,} book{'s' if books != 1 else ''}",
                            lambda ctx: importer.run(ctx, [], mode, plan=plan), self._import_done)

    def undo(self, correlation_id: str) -> str:
        from bookdesk.core.audiobookshelf.config import servers
        from bookdesk.core.audiobookshelf.push_undo import undo_ref

        configured = servers(self.settings.audiobookshelf_servers, skip_unusable=True)  # a Ref that pushed is undone there too
        return self._submit("undo", f"Undo of {correlation_id}", lambda ctx: undo_ref(
            ctx, self.service, configured, self.secrets, correlation_id), self._undo_done)

    def undo_last(self) -> None:
        bridge.start(self._undo_last(), what="Undo Last Import", owner=self)

    async def _undo_last(self) -> None:
        from bookdesk.core.importer.last_import import last_import

        last = await self.worker.call(last_import, self.service.catalog)  # every file of a big import
        if last is None:
            QMessageBox.information(self._parent, "Undo Last Import", "There is no import to undo.")
            return
        answer = QMessageBox.question(self._parent, "Undo Last Import", last.question())
        if answer == QMessageBox.StandardButton.Yes:
            self.undo(last.correlation_id)

    # ----- results ---------------------------------------------------------------------------

    def _submit(self, kind: str, title: str, fn, then) -> str:  # noqa: ANN001 - job function, callback
        return bridge.after_job(self.worker.submit(kind, title, fn), then, presenter=self.presenter,
                                owner=self)

    def _preview_ready(self, correlation_id: str, result: JobResult) -> None:
        if result.state != "succeeded":
            return  # a failure is shown by the window like any failed job
        from bookdesk.ui.dialogs.import_preview_dialog import ImportPreviewDialog

        plan: ImportPlan = result.value
        if not plan.items:
            self.status.emit("No books found there.")
            return
        dialog = ImportPreviewDialog(plan, self.settings.import_mode, self._parent)
        dialog.accepted.connect(lambda: self.carry_out(plan, dialog.chosen_mode()))
        self.preview_dialog = dialog
        dialog.open()

    def _import_done(self, correlation_id: str, result: JobResult) -> None:
        from bookdesk.core.importer.service import partial_report
        from bookdesk.ui.dialogs.import_summary_dialog import ImportSummaryDialog, headline

        report = partial_report(result.value)
        self.library_changed.emit()
        if report is None:
            return
        # The status bar, this summary and Activity (the job's recorded summary) say the same: what the
        # catalog really holds now, and Undo only when something was added.
        added = report.count("added")
        undo = " — Edit → Undo Last Import undoes it" if added else ""
        self.status.emit(f"{headline(report, result.state)} (Ref {correlation_id}){undo}")
        # A failed import's reason is in the error dialog already; a summary too only when it has more to say
        # (the books it did add, to undo) or, after a finished import, the files that failed.
        if (report.failed and result.state == "succeeded") or (added and result.state != "succeeded"):
            dialog = ImportSummaryDialog(report, self._parent, result.state,
                                         result.error.message if result.error else "")
            dialog.undo_requested.connect(self.undo)
            self.summary_dialog = dialog
            dialog.open()

    def _undo_done(self, correlation_id: str, result: JobResult) -> None:
        self.library_changed.emit()
        if result.state == "succeeded":
            self.status.emit(f"Undone: {result.value.summary()} (Ref {correlation_id})")
            if result.value.work_ids:
                self.books_changed.emit(list(result.value.work_ids))
            problems = result.value.problems  # files kept, left, or no longer in the trash: said with why
            if problems:
                box = QMessageBox(QMessageBox.Icon.Information, "Undo", "\n\n".join(
                    [result.value.summary(), *problems, f"Ref {correlation_id}"]), parent=self._parent)
                self.undo_message = box  # kept, so the window-modal box is not collected while shown
                box.open()

    # ----- watch folder ----------------------------------------------------------------------

    def apply_settings(self, settings: Settings) -> None:
        self.settings = settings
        self.watch_timer.stop()
        self.watch = None
        if settings.watch_enabled and settings.watch_folder:
            self.watch = WatchFolder(Path(settings.watch_folder), settle_seconds=settings.watch_interval_seconds)
            self.watch_timer.start(settings.watch_interval_seconds * 1000)

    def _look_in_watch_folder(self) -> None:
        watch = self.watch
        if watch is None:
            return
        # Only logged when it fails (a share gone away, say): the timer looks again in a moment.
        bridge.start(self._import_when_ready(watch), what="Look in the watch folder", quiet=True)

    async def _import_when_ready(self, watch: WatchFolder) -> None:
        ready: list[Path] = await self.worker.call(watch.ready)
        if not ready:
            return
        title = f"Watch folder: {ready[0].name}" if len(ready) == 1 else f"Watch folder: {len(ready)} items"
        self.import_now(ready, self.settings.watch_mode, title)
