"""The settings of the running app on the GUI side: saved through here, and told from here to whoever
cares, so nobody hands settings to anybody by hand.

The settings themselves live on the open library's services (core), which take them first; then
``changed`` tells the window, the flows and the views, in the order they connected. Another BookDesk
(``bookdesk abs add`` in a terminal) may write the file while the window is open: a save here merges with
the file as it is then (core/settings_merge.py), and ``fresh`` reads it again before Settings opens.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from bookdesk.core.library_services import LibraryServices
from bookdesk.core.settings import Settings, read_settings, save_settings
from bookdesk.core.settings_merge import merged


class SettingsHub(QObject):
    changed = Signal(object)  # the Settings now in force, once saved

    def __init__(self, services: LibraryServices, parent: QObject | None = None,
                 tell: Callable[[str], None] | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._tell = tell  # where a person reads what a save did besides (the window's status bar)

    @property
    def settings(self) -> Settings:
        return self._services.settings

    def save(self, settings: Settings, base: Settings | None = None) -> None:
        """Keep ``settings`` in the settings file and put them in force everywhere: what they change of
        ``base`` (what they were made from; the settings in force unless said) laid over the file as it is
        now. A file that cannot be written raises (OSError), and then nothing changes."""
        settings = merged(self.settings if base is None else base, settings, read_settings(aside=False))
        kept = save_settings(settings)
        if kept is not None and self._tell is not None:
            self._tell(f"The settings file could not be used as it was, so it is kept as {kept}; "
                       "the settings saved now are in settings.json.")
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
