"""File → Add a calibre Library…: choose the folder, a preview of what comes over (read on the worker),
then the import as a job with its progress in the status bar and Activity, and what it did (with Undo)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from bookdesk.core.jobs import JobResult
from bookdesk.core.library_services import LibraryServices
from bookdesk.ui import bridge
from bookdesk.ui.dialogs.error_dialog import ErrorPresenter

if TYPE_CHECKING:  # the calibre reader and its dialog load with the first use
    from bookdesk.core.calibre.plan import CalibrePlan
    from bookdesk.ui.dialogs.calibre_import_dialog import CalibreImportDialog
    from bookdesk.ui.dialogs.import_summary_dialog import ImportSummaryDialog


class CalibreFlow(QObject):
    library_changed = Signal()
    status = Signal(str)
    undo_requested = Signal(str)  # the Ref of an import to undo (the import flow's undo does it)

    def __init__(self, parent: QWidget, services: LibraryServices, presenter: ErrorPresenter) -> None:
        super().__init__(parent)
        self._parent, self.service, self.worker, self.presenter = parent, services.library, services.worker, presenter
        self.template = services.settings.import_template
        self.preview_dialog: CalibreImportDialog | None = None
        self.summary_dialog: ImportSummaryDialog | None = None

    def choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self._parent, "Add a calibre Library (the folder with metadata.db)")
        if folder:
            self.start(Path(folder))

    def start(self, folder: Path) -> str:
        """Preview first: read calibre's database and show what would come over."""
        from bookdesk.core.calibre.service import CalibreImportService

        importer = CalibreImportService(self.service.catalog, self.template)
        return bridge.after_job(self.worker.submit("calibre-preview", f"Preview: {importer.job_title(folder)}",
                                                   lambda ctx: importer.preview(ctx, folder)),
                                self._preview_ready, presenter=self.presenter, owner=self)

    def carry_out(self, folder: Path, mode: str, read_column: str | None = None, previewed: CalibrePlan | None = None) -> str:
        """The import, planned again; ``previewed``, the plan shown, lets it say what another run (the follow
        job) brought while the preview was open."""
        from bookdesk.core.calibre.service import CalibreImportService

        importer = CalibreImportService(self.service.catalog, self.template)
        return bridge.after_job(self.worker.submit("calibre-import", importer.job_title(folder),
                                                   lambda ctx: importer.run(ctx, folder, mode, read_column, previewed)),
                                self._import_done, presenter=self.presenter, owner=self)

    def _preview_ready(self, correlation_id: str, result: JobResult) -> None:
        if result.state != "succeeded":
            return  # a failure (not a calibre library, a damaged database) is shown like any failed job
        from bookdesk.ui.dialogs.calibre_import_dialog import CalibreImportDialog

        plan = result.value
        dialog = CalibreImportDialog(plan, self._parent)
        dialog.accepted.connect(lambda: self.carry_out(plan.folder, dialog.chosen_mode(), dialog.chosen_read_column(),
                                                       plan))
        self.preview_dialog = dialog
        dialog.open()

    def _import_done(self, correlation_id: str, result: JobResult) -> None:
        from bookdesk.ui.dialogs.import_summary_dialog import ImportSummaryDialog, headline

        self.library_changed.emit()
        report = result.value if result.state == "succeeded" else None
        if report is None:
            return
        added = report.count("added")
        undo = " — Edit → Undo Last Import undoes it" if added else ""
        self.status.emit(f"{headline(report, result.state)} from calibre (Ref {correlation_id}){undo}")
        if report.failed or report.meanwhile or report.missing:  # said where it stays, not only in the status bar
            dialog = ImportSummaryDialog(report, self._parent, result.state, "")
            dialog.undo_requested.connect(self.undo_requested.emit)
            self.summary_dialog = dialog
            dialog.open()
