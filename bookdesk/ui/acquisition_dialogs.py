"""The dialogs that fetch books, opened from the File menu, the Downloads view and the Wanted view:
Download from Addresses, Browse Catalogs, and the releases of one wanted book. Each is kept while it
shows (a window-modal dialog nobody holds would be collected)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from bookdesk.core.library_services import LibraryServices
from bookdesk.ui.acquisition_flow import AcquisitionFlow
from bookdesk.ui.settings_hub import SettingsHub

if TYPE_CHECKING:  # the dialogs load when first opened, not at start
    from bookdesk.core.series.summaries import WantedBook
    from bookdesk.ui.dialogs.fetch_dialog import FetchDialog
    from bookdesk.ui.dialogs.opds_browser import OpdsBrowser
    from bookdesk.ui.dialogs.release_search_dialog import ReleaseSearchDialog


class AcquisitionDialogs(QObject):
    queued = Signal()  # downloads were queued from Download from Addresses: the Downloads view shows them
    grabbed = Signal()  # a release was grabbed: the Downloads view has a new row

    def __init__(self, parent: QWidget, services: LibraryServices, settings_hub: SettingsHub,
                 acquisition: AcquisitionFlow) -> None:
        super().__init__(parent)
        self._parent, self.services, self.settings_hub, self.acquisition = parent, services, settings_hub, acquisition
        self.fetch_dialog: FetchDialog | None = None
        self.opds_browser: OpdsBrowser | None = None
        self.release_dialog: ReleaseSearchDialog | None = None

    def download_from_addresses(self) -> FetchDialog:
        from bookdesk.ui.dialogs.fetch_dialog import FetchDialog

        dialog = FetchDialog(self._parent)
        dialog.accepted.connect(lambda: self._fetch(dialog.urls(), dialog.import_after.isChecked()))
        self.fetch_dialog = dialog
        dialog.open()
        return dialog

    def _fetch(self, urls: list[str], import_after: bool) -> None:
        if self.acquisition.fetch(urls, import_after=import_after):
            self.queued.emit()

    def browse_catalogs(self) -> OpdsBrowser:
        from bookdesk.ui.dialogs.opds_browser import OpdsBrowser

        browser = OpdsBrowser(self.settings_hub.settings, self.services.secrets, self.services.worker, self._parent)
        browser.download_requested.connect(
            lambda entry, acquisition, catalog: self.acquisition.fetch(
                [acquisition.href], title=entry.title, expected_format=acquisition.format, source=catalog))
        self.opds_browser = browser
        browser.open()
        return browser

    def search_for_book(self, book: WantedBook) -> ReleaseSearchDialog:
        """Releases of one wanted book from the indexers, ranked, to grab one."""
        from bookdesk.core.acquisition.ranking import WantedWork
        from bookdesk.ui.dialogs.release_search_dialog import ReleaseSearchDialog
        from bookdesk.vocabulary.people import split_people

        kinds = book.media_kinds
        wanted = WantedWork(book.id, book.title, tuple(split_people([book.authors])) if book.authors else (),
                            kinds[0] if len(kinds) == 1 else None)
        dialog = ReleaseSearchDialog(wanted, self.acquisition.search, self.acquisition.grab,
                                     self.settings_hub.settings.grab_threshold, self._parent)
        dialog.grabbed.connect(lambda _id: self.grabbed.emit())
        self.release_dialog = dialog
        dialog.open()
        dialog.run()
        return dialog
