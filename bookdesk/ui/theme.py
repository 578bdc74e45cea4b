"""Follow the system's light or dark appearance, and stay crisp on high-DPI screens."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget


def prepare_high_dpi() -> None:
    """Call before the QApplication exists: use the screen's exact scale (1.25, 1.5) rather than rounding."""
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)


# Both themes: white text on the highlight at 5:1 or more (Fusion's own blue gives 3.7:1), and quiet
# text (counts, hints: the placeholder role) at 4.5:1 or more on the window, the base and the alternate rows.
LIGHT_HIGHLIGHT, LIGHT_QUIET = QColor(38, 110, 180), QColor(96, 96, 96)
DARK_HIGHLIGHT, DARK_QUIET = QColor(46, 96, 168), QColor(160, 164, 172)
ACTIVE_GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)
# Problems and warnings said in words, (light, dark): 5.5:1 and more on either theme's window.
TONES = {"problem": ("#b3261e", "#ff8a80"), "warning": ("#8a5300", "#f0b45a")}
TONE_PROPERTY = "bookdeskTone"


def light_palette() -> QPalette:
    """Fusion's light palette, with a highlight and quiet text that pass WCAG AA."""
    palette = QApplication.style().standardPalette()
    for group in ACTIVE_GROUPS:
        palette.setColor(group, QPalette.ColorRole.Highlight, LIGHT_HIGHLIGHT)
        palette.setColor(group, QPalette.ColorRole.PlaceholderText, LIGHT_QUIET)
    return palette


def dark_palette() -> QPalette:
    palette = QPalette()
    base, window, text = QColor(30, 32, 36), QColor(42, 45, 50), QColor(228, 230, 235)
    # Every group, the disabled one too: QPalette()'s own disabled colours are light, and a disabled
    # button or field showed as a white box on the dark window.
    for group in (*ACTIVE_GROUPS, QPalette.ColorGroup.Disabled):
        palette.setColor(group, QPalette.ColorRole.Window, window)
        palette.setColor(group, QPalette.ColorRole.WindowText, text)
        palette.setColor(group, QPalette.ColorRole.Base, base)
        palette.setColor(group, QPalette.ColorRole.AlternateBase, QColor(36, 38, 43))
        palette.setColor(group, QPalette.ColorRole.Text, text)
        palette.setColor(group, QPalette.ColorRole.Button, window)
        palette.setColor(group, QPalette.ColorRole.ButtonText, text)
        palette.setColor(group, QPalette.ColorRole.Highlight, DARK_HIGHLIGHT)
        palette.setColor(group, QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
        palette.setColor(group, QPalette.ColorRole.ToolTipBase, window)
        palette.setColor(group, QPalette.ColorRole.ToolTipText, text)
        palette.setColor(group, QPalette.ColorRole.PlaceholderText, DARK_QUIET)
        palette.setColor(group, QPalette.ColorRole.Link, QColor(120, 165, 235))
        # Fusion draws frames, bevels and the header's edges from these; the light ones glare on dark.
        palette.setColor(group, QPalette.ColorRole.Light, QColor(62, 66, 72))
        palette.setColor(group, QPalette.ColorRole.Midlight, QColor(54, 58, 64))
        palette.setColor(group, QPalette.ColorRole.Mid, QColor(70, 74, 80))
        palette.setColor(group, QPalette.ColorRole.Dark, QColor(24, 26, 29))
        palette.setColor(group, QPalette.ColorRole.Shadow, QColor(12, 13, 15))
    disabled = QColor(120, 124, 130)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def set_palette(app: QApplication, dark: bool) -> None:
    """The light or dark palette, for every widget there is. A style sheet's ``palette(...)`` colours
    are read when a widget is polished, not when the palette changes (the sidebar stayed light and the
    quiet counts kept the light theme's grey on a dark window): each style sheet is set again, so it
    is read against the new palette."""
    app.setPalette(dark_palette() if dark else light_palette())
    if app.styleSheet():
        app.setStyleSheet(app.styleSheet())
    # Looked over first, set after: setting a style sheet can make Qt replace a widget's inner parts,
    # and a part already in the list would then be touched after it was freed.
    styled = [(widget, widget.property(TONE_PROPERTY), widget.styleSheet()) for widget in app.allWidgets()]
    for widget, kind, sheet in styled:
        if not shiboken6.isValid(widget):
            continue
        if kind:
            tone(widget, kind)
        elif sheet:
            widget.setStyleSheet(sheet)


def tone(widget: QWidget, kind: str | None) -> None:
    """Say ``widget``'s text as a "problem" or a "warning" (None: as any text), in the colour of the
    theme in force, and of the next theme when it changes."""
    widget.setProperty(TONE_PROPERTY, kind or "")
    if not kind:
        widget.setStyleSheet("")
        return
    widget.setStyleSheet(f"color: {tone_colour(kind)};")


def tone_colour(kind: str) -> str:
    """The colour of a "problem" or a "warning" on the theme in force, for text that is styled with more
    than its colour (a field's border, a part of a rich-text line); ``tone`` for a whole widget's text."""
    app = QApplication.instance()
    dark = isinstance(app, QApplication) and app.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return TONES[kind][1 if dark else 0]


def apply_theme(app: QApplication) -> None:
    """Fusion looks the same everywhere; its palette follows the system scheme, now and when it changes."""
    app.setStyle("Fusion")

    def follow(scheme: Qt.ColorScheme) -> None:
        set_palette(app, scheme == Qt.ColorScheme.Dark)

    follow(app.styleHints().colorScheme())
    app.styleHints().colorSchemeChanged.connect(follow)
