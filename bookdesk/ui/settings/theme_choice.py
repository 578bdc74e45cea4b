"""Light, dark, or whatever the system says: the person's choice applied to the running app."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from bookdesk.ui.theme import set_palette

THEMES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
_SCHEMES = {"system": Qt.ColorScheme.Unknown, "light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}


def apply_theme_choice(app: QApplication, choice: str) -> None:
    """Ask Qt for this colour scheme ("system" gives the choice back to the system), and set the
    palette at once, as ``theme.apply_theme`` does when the scheme changes."""
    scheme = _SCHEMES.get(choice, Qt.ColorScheme.Unknown)
    app.styleHints().setColorScheme(scheme)
    dark = app.styleHints().colorScheme() == Qt.ColorScheme.Dark if choice == "system" else choice == "dark"
    set_palette(app, dark)
