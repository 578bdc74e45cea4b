"""What every page of the Settings dialog offers: its values folded into the settings, and the
changes that live outside the settings file (secrets, schedules) committed after a save."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from bookdesk.core.settings import Settings


class SettingsPage(QWidget):
    key = ""  # how the dialog is asked to open on this page
    title = ""  # the name in the dialog's list of pages

    def values(self, settings: Settings) -> Settings:
        """``settings`` with this page's choices; raises UsageError saying what is wrong."""
        return settings

    def commit(self) -> None:
        """Once the settings are saved: whatever this page keeps elsewhere (the keyring, the schedule)."""
