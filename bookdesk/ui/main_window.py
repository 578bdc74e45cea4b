"""The main window, as a composition: it is handed the open library's services (LibraryServices), makes
the flows, views and dialogs over them, and wires them together; saved settings reach them all through
SettingsHub. Its parts each live in a module of their own: the menus (window_menus.py), the views' sidebar
(view_switcher.py), the status bar and running jobs (job_status.py), choosing and dropping books to import
(books_to_import.py), series checks, edit undo, the acquisition and Help dialogs, the desktop settings and
the window's geometry."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from bookdesk import APP_NAME
from bookdesk.ui.books_to_import import local_paths
from bookdesk.ui.resources import icon
from bookdesk.ui.views import VIEW_NAMES
from bookdesk.ui.window_frame import build_frame
from bookdesk.ui.window_geometry import DEFAULT_SIZE, restore_window, save_geometry

if TYPE_CHECKING:
    from bookdesk.core.library_services import LibraryServices
    from bookdesk.core.settings import Settings
    from bookdesk.data.catalog_rows import FieldChangeRecord
    from bookdesk.ui.dialogs.fetch_dialog import FetchDialog
    from bookdesk.ui.dialogs.opds_browser import OpdsBrowser
    from bookdesk.ui.settings.settings_dialog import SettingsDialog

VIEWS = VIEW_NAMES


class MainWindow(QMainWindow):

    def __init__(self, services: LibraryServices | None = None, parent: QWidget | None = None, *,
                 folder: Path | None = None, remember_geometry: bool = True, show_tray: bool = True) -> None:
        """With ``services``, the whole window at once; without, the frame for the library in ``folder``
        (window_frame.py), to show at once and ``attach`` the services to once they are up."""
        super().__init__(parent)
        self._quitting = False
        self.attached = False
        self._remember_geometry, self._show_tray = remember_geometry, show_tray
        folder = services.library.folder if services is not None else folder
        self._set_title(folder or Path())
        self.setWindowIcon(icon("bookdesk"))
        build_frame(self)
        if remember_geometry:
            restore_window(self)
        else:
            self.resize(*DEFAULT_SIZE)
        if services is not None:
            self.attach(services)

    def _set_title(self, folder: Path) -> None:
        # The name once: Qt adds " — BookDesk" on Linux only when the title does not end with it already.
        self.setWindowTitle(f"{folder.name or folder} — {APP_NAME}")

    def attach(self, services: LibraryServices) -> None:
        """The open library's services: the flows, views, menus and status bar over them, in the frame."""
        # Here, not at the top: the frame paints before these (and SQLAlchemy under them) are imported.
        from bookdesk.ui.automation_flow import AutomationFlow
        from bookdesk.ui.bridge import JobBridge
        from bookdesk.ui.desktop_settings import DesktopSettings
        from bookdesk.ui.dialogs.error_dialog import ErrorPresenter
        from bookdesk.ui.edit_undo import EditUndo
        from bookdesk.ui.help_dialogs import HelpDialogs
        from bookdesk.ui.job_status import JobStatus
        from bookdesk.ui.settings_hub import SettingsHub
        from bookdesk.ui.sharing_flow import SharingFlow
        from bookdesk.ui.sync_feedback import SyncFeedback
        from bookdesk.ui.tray_flow import TrayFlow
        from bookdesk.ui.window_geometry import window_settings
        from bookdesk.ui.window_menus import build_menus

        self.services = services
        service, worker = services.library, services.worker
        self.service, self.worker, self.secrets, self.series = service, worker, services.secrets, services.series
        self.settings_hub = SettingsHub(services, self, tell=lambda text: self.jobs.say(text))
        self._set_title(service.folder)
        self.setAcceptDrops(True)
        self.presenter = ErrorPresenter(self)
        self.desktop_settings = DesktopSettings(self.settings_hub, self.presenter)
        self.statusBar().clearMessage()
        self.jobs = JobStatus(self.statusBar(), worker, self.presenter, AutomationFlow.is_scheduled, service.folder)
        # The status bar's parts, by the names the tests know.
        self.status_label, self.progress = self.jobs.label, self.jobs.progress
        self.cancel_button, self.review_button = self.jobs.cancel_button, self.jobs.review_button
        self.bridge = JobBridge(self)
        worker.add_listener(self.bridge.listener)
        self._build_flows(services)
        self._build_views(services)
        self._add_banner()
        self.jobs.review_requested.connect(self.review_identifications)
        self.help = HelpDialogs(self, services, self.settings_hub, lambda: self.jobs.last_failed)
        self.automation.paused_changed.connect(self._show_paused)
        self.edits = EditUndo(self.service, self)
        self.edits.book_changed.connect(self.library_view.book_changed)
        self.edits.said.connect(self.jobs.say)
        self.edits.job_undo.connect(self.imports.undo)  # a dialog's edit: reverted whole, by its Ref
        self.automation.synced.connect(self.edits.remember_sync)  # what a Sync Now pushed
        self.library_view.model.edited.connect(self._on_edited)
        build_menus(self)
        self.library_view.model.edit_failed.connect(self.presenter.report_exception)
        if self._remember_geometry:
            self.library_view.restore_state(window_settings())
        self.series_checks.warm_later()
        if not service.catalog.read_only:  # a library that can only be read has nothing to go on with
            self.acquisition.start_later()  # downloads left unfinished by the last run go on
            self.automation.start_later()
        self.tray_flow = TrayFlow(self, self.settings_hub, self.automation, self.acquisition, self.series,
                                  show_tray=self._show_tray)
        self.tray_flow.open_requested.connect(self.show_from_tray)
        self.tray_flow.job_requested.connect(self.show_job)
        self.tray_flow.quit_requested.connect(self.quit_app)
        self.jobs.job_seen.connect(self.tray_flow.on_job_event)
        self.sharing = SharingFlow(self, services, self.settings_hub, self.tray_flow.tray,  # off unless turned on
                                   self.automation, tell=self.jobs.say)
        SyncFeedback(self.automation, self.jobs, self.tray_flow)
        self.jobs.show_review_count(self.service.pending_review_count())
        self.attached = True

    def _build_flows(self, services: LibraryServices) -> None:
        """The flows that carry out what the person asks; each follows saved settings itself."""
        from bookdesk.ui.acquisition_flow import AcquisitionFlow
        from bookdesk.ui.automation_flow import AutomationFlow
        from bookdesk.ui.calibre_flow import CalibreFlow
        from bookdesk.ui.identify_flow import IdentifyFlow
        from bookdesk.ui.import_flow import ImportFlow
        from bookdesk.ui.series_checks import SeriesChecks

        self.imports = ImportFlow(self, services, self.settings_hub, self.presenter)
        self.identifier = IdentifyFlow(self, services, self.presenter)
        self.series_checks = SeriesChecks(self, services, self.bridge)
        self.series_checks.said.connect(self.jobs.say)
        self.series_checks.checked.connect(lambda: self.switcher.refresh_current("series", "authors", "wanted"))
        self.identifier.status.connect(self.jobs.say)
        self.identifier.books_changed.connect(self._books_changed)
        self.identifier.review_count.connect(self.jobs.show_review_count)
        self.imports.library_changed.connect(self.refresh_views)
        self.imports.status.connect(self.jobs.say)
        self.imports.books_changed.connect(self._books_changed)  # a job undone: its books' files follow
        self.calibre = CalibreFlow(self, services, self.presenter)
        self.calibre.library_changed.connect(self.refresh_views)
        self.calibre.status.connect(self.jobs.say)
        self.calibre.undo_requested.connect(self.imports.undo)
        self.acquisition = AcquisitionFlow(self, services, self.settings_hub, self.presenter)
        self.acquisition.library_changed.connect(self.refresh_views)
        self.acquisition.status.connect(self.jobs.say)
        self.automation = AutomationFlow(self, services, self.settings_hub, self.acquisition, self.imports)
        self.settings_hub.changed.connect(self._settings_changed)
        self.automation.books_changed.connect(self._books_changed)
        self.automation.books_added.connect(lambda _ids: self.refresh_views())

    def _build_views(self, services: LibraryServices) -> None:
        from bookdesk.ui.acquisition_dialogs import AcquisitionDialogs
        from bookdesk.ui.views.activity_view import ActivityView
        from bookdesk.ui.views.authors_view import AuthorsView
        from bookdesk.ui.views.downloads_view import DownloadsView
        from bookdesk.ui.views.library_view import LibraryView
        from bookdesk.ui.views.series_view import SeriesView
        from bookdesk.ui.views.wanted_view import WantedView

        service, worker = services.library, services.worker
        self.library_view = LibraryView(service, worker)
        self.series_view = SeriesView(service, self.series, worker)
        self.series_view.detail.check_requested.connect(self.series_checks.check_series)
        self.authors_view = AuthorsView(self.series, worker, service.rows)
        self.authors_view.check_requested.connect(self.series_checks.check_author)
        self.wanted_view = WantedView(self.series, worker)
        self.downloads_view = DownloadsView(self.acquisition)
        self.acquisition_dialogs = AcquisitionDialogs(self, services, self.settings_hub, self.acquisition)
        self.acquisition_dialogs.queued.connect(lambda: self.show_view("downloads"))
        self.acquisition_dialogs.grabbed.connect(self.downloads_view.refresh)
        self.wanted_view.search_requested.connect(self.acquisition_dialogs.search_for_book)
        self.downloads_view.add_requested.connect(self.download_from_addresses)
        self.downloads_view.browse_requested.connect(self.browse_catalogs)
        self.activity_view = ActivityView(service, worker)
        self.bridge.job_event.connect(self.activity_view.on_job_event)
        self.bridge.job_event.connect(self.jobs.on_job_event)
        self.activity_view.undo_requested.connect(self.undo_job)
        self.activity_view.sync_requested.connect(lambda: self.automation.sync_now())
        self.library_view.history.changed.connect(lambda work_id: self.write_back([work_id]))
        self.views = {"library": self.library_view, "series": self.series_view, "authors": self.authors_view,
                      "wanted": self.wanted_view, "downloads": self.downloads_view,
                      "activity": self.activity_view}
        self.switcher.put_views(self.views)  # in the frame's sidebar, in place of its "Opening library…" pages

    def _add_banner(self) -> None:
        """Above the views and their sidebar, the banner of a library that can only be read."""
        from bookdesk.ui.views.read_only_banner import ReadOnlyBanner

        self.read_only_banner = ReadOnlyBanner(self.service.catalog, self.presenter)
        self.central_layout.insertWidget(0, self.read_only_banner)

    # ----- views -----------------------------------------------------------------------

    def show_view(self, name: str) -> None:
        self.switcher.show_view(name)

    def current_view(self) -> str:
        return self.switcher.current_view()

    def refresh_views(self) -> None:
        self.library_view.refresh()
        self.switcher.refresh_current()

    def find(self) -> None:
        self.show_view("library")
        self.library_view.focus_search()

    # ----- editing ------------------------------------------------------------------------

    def _on_edited(self, change: FieldChangeRecord) -> None:
        self.library_view.book_changed(change.work_id)
        self.write_back([change.work_id])
        self.edits.remember(change)

    # ----- identifying ------------------------------------------------------------------------

    def identify_selected(self) -> str:
        ids = self.library_view.selected_ids()
        if not ids:
            self.jobs.say("Select the books to identify first.")
            return ""
        return self.identifier.identify(ids)

    def review_identifications(self) -> None:
        from bookdesk.ui.dialogs.review_dialog import ReviewDialog

        dialog = ReviewDialog(self.service, self.identifier, self.worker, self)
        self.review_dialog = dialog
        dialog.open()

    # ----- acquisition -------------------------------------------------------------------

    def download_from_addresses(self) -> FetchDialog:
        return self.acquisition_dialogs.download_from_addresses()

    def browse_catalogs(self) -> OpdsBrowser:
        return self.acquisition_dialogs.browse_catalogs()

    # ----- settings ----------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self.settings_hub.settings

    def apply_settings(self, settings: Settings) -> None:
        """Save ``settings`` and put them in force everywhere (see SettingsHub)."""
        self.settings_hub.save(settings)

    def _settings_changed(self, settings: Settings) -> None:
        self.pause_action.setChecked(settings.automation_paused)  # as saved from any page
        self.switcher.refresh_current("series", "authors", "wanted")  # the gap rules, the preferred listing

    def undo_job(self, correlation_id: str) -> None:
        answer = QMessageBox.question(self, "Undo this job", f"Revert everything job {correlation_id} did? "
                                      "Books it imported are removed (moved files go back); fields it set go back; "
                                      "books it removed, merged or split come back as they were.")
        if answer == QMessageBox.StandardButton.Yes:
            self.imports.undo(correlation_id)

    def _books_changed(self, work_ids: list[int]) -> None:
        for work_id in work_ids:
            self.library_view.book_changed(work_id)
        self.write_back(work_ids)

    def write_back(self, work_ids: list[int]) -> str:
        """With the setting on, write these books' metadata into their files, in the worker."""
        if not work_ids or not self.settings.write_back_to_files:
            return ""
        from bookdesk.core.writeback.job import write_back  # mutagen and lxml: loaded when first needed

        catalog = self.service.catalog
        title = f"Write metadata into the files of {len(work_ids)} book{'s' if len(work_ids) != 1 else ''}"
        return self.worker.submit("write-back", title, lambda ctx: write_back(ctx, catalog, work_ids)).correlation_id

    # ----- importing -----------------------------------------------------------------------

    def start_import(self, sources: list[Path]) -> str:
        """Preview an import of ``sources`` (the dialog follows); returns the preview job's reference."""
        return self.imports.start(sources) if sources else ""

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        if sources := local_paths(event.mimeData()):
            event.acceptProposedAction()
            self.start_import(sources)

    # ----- window life -------------------------------------------------------------------

    def edit_settings(self, page: str | None = None) -> SettingsDialog:
        """Every setting in one place: library and import, providers, sources and clients, scheduled
        jobs, appearance."""
        from PySide6.QtWidgets import QSystemTrayIcon

        from bookdesk.ui.settings.settings_dialog import SettingsDialog

        shown = self.settings_hub.fresh()  # with what a terminal saved meanwhile (bookdesk abs add)
        dialog = SettingsDialog(shown, self.secrets, self.automation.start(), self, page, library=self.service.folder,
                                on_save=lambda edited: self.settings_hub.save(edited, base=shown),
                                tray_available=QSystemTrayIcon.isSystemTrayAvailable(), sharing=self.sharing)
        dialog.test_requested.connect(lambda kind, source, secret: self.acquisition.test_source(
            kind, source, secret, dialog.show_test_result))
        self.all_settings_dialog = dialog
        dialog.open()
        return dialog

    def save_geometry(self) -> None:
        save_geometry(self, self.library_view)

    def show_from_tray(self) -> None:
        """Back from the tray (or from a second launch): shown, in front, and focused."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def show_job(self, correlation_id: str) -> None:
        self.show_from_tray()
        self.show_view("activity")
        self.activity_view.select_job(correlation_id)

    def quit_app(self) -> None:
        """Quit for good (the tray's Quit, File → Quit): not just the window."""
        self._quitting = True
        if self.close() and not QApplication.quitOnLastWindowClosed():
            QApplication.quit()

    def _show_paused(self, paused: bool) -> None:
        self.pause_action.setChecked(paused)
        self.jobs.say("Automation paused: scheduled jobs wait until you resume them." if paused
                      else "Automation resumed.")

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.attached:  # only the frame, whose library never opened: nothing runs, nothing to keep
            super().closeEvent(event)
            return
        if not self._quitting and self.tray_flow.keep_running_on_close():
            if self._remember_geometry:
                self.save_geometry()
            self.hide()
            event.ignore()
            return
        # Only what the person started is worth asking about, and only while the worker still runs it.
        asked = self.jobs.started_by_the_person()
        if asked and self.worker.running and not self._stop_running_jobs():
            self._quitting = False
            event.ignore()
            return
        self.series_checks.stop()
        self.automation.stop()
        self.acquisition.stop()
        self.sharing.stop()
        self.tray_flow.hide()
        if self._remember_geometry:
            self.save_geometry()
        super().closeEvent(event)

    def _stop_running_jobs(self) -> bool:
        """Asked on quit while jobs run: stop them (an import keeps what it has committed) or stay."""
        titles = ", ".join(sorted({e.title for e in self.jobs.running.values()}))
        answer = QMessageBox.question(
            self, f"Quit {APP_NAME}?", f"{titles} is still running. Stop it and quit? "
            "Books already added stay in your library.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        # Asked to stop, not waited for here: the window closes now, and the app quits once the worker
        # has stopped (OpenLibrary.close). Spinning the event loop inside closeEvent ran anything queued
        # meanwhile, this window's own slots too, in the middle of closing it.
        self.jobs.cancel_running()
        return True

