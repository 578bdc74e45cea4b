"""The window's views side by side with their sidebar: one shown at a time, chosen from the sidebar,
the View menu or a shortcut."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from bookdesk.ui.resources import icon_on_highlight
from bookdesk.ui.views import VIEW_NAMES

VIEW_TITLES = {"library": "Library", "series": "Series", "authors": "Authors", "wanted": "Wanted",
               "downloads": "Downloads", "activity": "Activity"}
SIDEBAR_STYLE = (
    "QListWidget { background: palette(window); padding: 8px 6px; outline: none; }"
    "QListWidget::item { padding: 7px 6px; border-radius: 6px; color: palette(window-text); }"
    "QListWidget::item:selected { background: palette(highlight); color: palette(highlighted-text); }")


class ViewSwitcher(QWidget):
    """``views`` by name (every one of VIEW_NAMES). A view other than Library is read again each time it
    is shown: small lists, never stale."""

    def __init__(self, views: dict[str, QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.views = views
        self.stack = QStackedWidget()
        self.sidebar = QListWidget()
        self.sidebar.setIconSize(QSize(22, 22))
        self.sidebar.setFixedWidth(168)
        self.sidebar.setFrameShape(QListWidget.Shape.NoFrame)
        self.sidebar.setStyleSheet(SIDEBAR_STYLE)
        for name in VIEW_NAMES:
            self.stack.addWidget(views[name])
            QListWidgetItem(VIEW_TITLES[name], self.sidebar)
        self._tint_icons()
        self.sidebar.currentRowChanged.connect(self._switch)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:  # light to dark or back: the highlighted text's colour
            self._tint_icons()
        super().changeEvent(event)

    def _tint_icons(self) -> None:
        on_highlight = self.palette().color(QPalette.ColorRole.HighlightedText)
        for row, name in enumerate(VIEW_NAMES):
            self.sidebar.item(row).setIcon(icon_on_highlight(name, on_highlight, self.sidebar.iconSize()))

    def put_views(self, views: dict[str, QWidget]) -> None:
        """The views in place of those shown now (the window's frame's "Opening library…" pages), each in its
        own place, the view shown staying the one shown."""
        current = self.stack.currentIndex()
        for row, name in enumerate(VIEW_NAMES):
            old = self.stack.widget(row)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.stack.insertWidget(row, views[name])
        self.views = views
        self.stack.setCurrentIndex(max(current, 0))
        self.refresh_current()  # a view other than the Library reads itself when shown

    def show_view(self, name: str) -> None:
        self.sidebar.setCurrentRow(VIEW_NAMES.index(name))

    def current_view(self) -> str:
        return VIEW_NAMES[self.stack.currentIndex()]

    def refresh_current(self, *among: str) -> None:
        """Read the view shown again (when it is one of ``among``, if given); the Library view is never
        read again here: it follows its own changes."""
        name = self.current_view()
        if name != "library" and (not among or name in among):
            self.views[name].refresh()

    def _switch(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        self.refresh_current()
