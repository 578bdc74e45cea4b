"""The settings of the running app on the GUI side: saved through here, and told from here to whoever
cares, so nobody hands settings to anybody by hand.

The settings themselves live on the open library's services (core), which take them first; then
``changed`` tells the window, the flows and the views, in the order they connected.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from bookdesk.core.library_services import LibraryServices
from bookdesk.core.settings import Settings, save_settings


class SettingsHub(QObject):
    changed = Signal(object)  # the Settings now in force, once saved

    def __init__(self, services: LibraryServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services

    @property
    def settings(self) -> Settings:
        return self._services.settings

    def save(self, settings: Settings) -> None:
        """Keep ``settings`` in the settings file and put them in force everywhere. A file that cannot be
        written raises (OSError), and then nothing changes."""
        save_settings(settings)
        self._services.apply_settings(settings)
        self.changed.emit(settings)
