"""The settings of the running app on the GUI side: saved through here, and told from here to whoever
cares, so nobody hands settings to anybody by hand.

The settings themselves live on the open library's services (core), which take them first; then
``changed`` tells the window, the flows and the views, in the order they connected. Another BookDesk
(``bookdesk abs add`` in a terminal) may write the file while the window is open: a save here merges with
the file as it is then (core/settings_merge.py), and ``fresh`` reads it again before Settings opens.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from bookdesk.core.library_services import LibraryServices
from bookdesk.core.settings import Settings, read_settings, save_settings
from bookdesk.core.settings_merge import merged


class SettingsHub(QObject):
    changed = Signal(object)  # the Settings now in force, once saved

    def __init__(self, services: LibraryServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services

    @property
    def settings(self) -> Settings:
        return self._services.settings

    def save(self, settings: Settings, base: Settings | None = None) -> None:
        """Keep ``settings`` in the settings file and put them in force everywhere: what they change of
        ``base`` (what they were made from; the settings in force unless said) laid over the file as it is
        now. A file that cannot be written raises (OSError), and then nothing changes."""
        settings = merged(self.settings if base is None else base, settings, read_settings(aside=False))
        save_settings(settings)
        self._put_in_force(settings)

    def fresh(self) -> Settings:
        """The settings as the file has them now, put in force when another BookDesk changed them."""
        saved = read_settings(aside=False)
        if saved is not None and saved != self.settings:
            self._put_in_force(saved)
        return self.settings

    def _put_in_force(self, settings: Settings) -> None:
        self._services.apply_settings(settings)
        self.changed.emit(settings)
