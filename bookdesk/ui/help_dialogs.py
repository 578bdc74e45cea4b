"""The Help menu's dialogs: Report a Problem (offering the reference of the last job that failed) and
About, which can open a report too. Each is kept while it shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from bookdesk.core.library_services import LibraryServices
from bookdesk.ui.settings_hub import SettingsHub

if TYPE_CHECKING:  # loaded when first opened, not at start
    from bookdesk.ui.dialogs.about_dialog import AboutDialog
    from bookdesk.ui.dialogs.report_problem_dialog import ReportProblemDialog


class HelpDialogs(QObject):
    def __init__(self, parent: QWidget, services: LibraryServices, settings_hub: SettingsHub,
                 last_failed: Callable[[], str | None]) -> None:
        super().__init__(parent)
        self._parent, self.services, self.settings_hub, self.last_failed = parent, services, settings_hub, last_failed
        self.report_dialog: ReportProblemDialog | None = None
        self.about_dialog: AboutDialog | None = None

    def report_problem(self, reference: str | None = None) -> ReportProblemDialog:
        from bookdesk.ui.dialogs.report_problem_dialog import ReportProblemDialog

        dialog = ReportProblemDialog(self.settings_hub.settings, self.services.secrets, self._parent,
                                     reference=reference or self.last_failed())
        self.report_dialog = dialog
        dialog.open()
        return dialog

    def about(self) -> AboutDialog:
        from bookdesk.ui.dialogs.about_dialog import AboutDialog

        dialog = AboutDialog(self.services.library.catalog.path, self._parent)
        dialog.report_requested.connect(lambda: self.report_problem())
        self.about_dialog = dialog
        dialog.open()
        return dialog
