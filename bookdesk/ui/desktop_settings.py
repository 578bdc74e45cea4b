"""The settings that act on the desktop rather than on the library: the light or dark theme, the
entry that starts BookDesk at login, and the libraries opened lately. Applied when the window opens and
whenever they are saved."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from bookdesk.core.settings import Settings
from bookdesk.ui.dialogs.error_dialog import ErrorPresenter
from bookdesk.ui.settings.theme_choice import apply_theme_choice
from bookdesk.ui.settings_hub import SettingsHub

RECENT_LIMIT = 8  # File → Recent Libraries


def library_opened(settings: Settings, folder: Path, *, chosen: bool = False) -> Settings:
    """``settings`` once ``folder`` was opened: first of the recent libraries. ``chosen`` in the window
    (Open Library…): also the one opened when BookDesk next starts with none named."""
    path = str(folder)
    recent = [path, *[p for p in settings.recent_libraries if p != path]][:RECENT_LIMIT]
    return replace(settings, recent_libraries=recent, library_folder=path if chosen else settings.library_folder)


class DesktopSettings(QObject):
    def __init__(self, settings_hub: SettingsHub, presenter: ErrorPresenter) -> None:
        super().__init__(settings_hub)
        self.presenter = presenter
        self._shown = settings_hub.settings  # what the theme and the start-at-login entry are now
        if self._shown.theme != "system":  # the person chose light or dark over the system's scheme
            apply_theme_choice(QApplication.instance(), self._shown.theme)
        settings_hub.changed.connect(self._changed)

    def _changed(self, settings: Settings) -> None:
        previous, self._shown = self._shown, settings
        if settings.theme != previous.theme:
            apply_theme_choice(QApplication.instance(), settings.theme)
        if settings.start_at_login != previous.start_at_login:
            self.set_start_at_login(settings.start_at_login)

    def set_start_at_login(self, on: bool) -> None:
        """An autostart entry (XDG autostart, the Run key, a LaunchAgent) that starts BookDesk in the tray."""
        from bookdesk.platform.autostart import autostart_command, autostart_for

        try:
            entry = autostart_for()
            if on:
                entry.enable(autostart_command(["--in-tray"]))
            else:
                entry.disable()
        except (OSError, ValueError) as exc:
            self.presenter.report(f"BookDesk could not {'add' if on else 'remove'} its start-at-login entry: {exc}")
