"""The main window as it first paints, before its library is open: the menus, the toolbar, the sidebar
and every view's place saying "Opening library…", with nothing that acts on a library enabled.

The window is shown like this before SQLAlchemy, the catalog and the core services are imported or
opened (they are most of a start), so a person sees BookDesk at once; ``MainWindow.attach`` then fills the
same window in: the same sidebar, toolbar and central widget, the real menus and views in place of these.
This module imports only Qt and the light parts of the UI, on purpose: everything it pulls in is paid
for before the first paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolBar, QVBoxLayout, QWidget

from bookdesk.ui.resources import icon
from bookdesk.ui.view_switcher import ViewSwitcher
from bookdesk.ui.views import VIEW_NAMES
from bookdesk.ui.views.empty_state import EmptyState

if TYPE_CHECKING:
    from bookdesk.ui.main_window import MainWindow

OPENING = "Opening library…"
MENU_TITLES = ("&File", "&Edit", "&Book", "&Tools", "&View", "&Help")
# The toolbar's entries: (the attribute of the window or of its BookActions, the text, the icon), None a
# separator. The frame shows them disabled, window_menus.build_toolbar the real actions in the same places.
TOOLBAR_ENTRIES: tuple[tuple[str, str, str] | None, ...] = (
    ("import_files_action", "Import", "import"), ("book_actions.edit", "Edit", "edit"),
    ("book_actions.identify", "Identify", "identify"), ("book_actions.remove", "Remove", "remove"), None,
    ("sync_action", "Sync Now", "sync"), ("settings_action", "Settings", "settings"))


class OpeningPage(EmptyState):
    """A view's place while the library opens; the view itself takes it once the services are up."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(icon("library"), OPENING, "Reading the catalog. Your books appear here in a moment.", parent)

    def refresh(self) -> None:
        """Shown again from the sidebar: there is nothing to read yet."""


def build_frame(window: MainWindow) -> None:
    """The menus, toolbar, sidebar and views' places of ``window``, as they are until it is attached."""
    bar = window.menuBar()
    for title in MENU_TITLES:
        waiting = QAction(OPENING, bar)
        waiting.setEnabled(False)
        bar.addMenu(title).addAction(waiting)
    file_menu = bar.actions()[0].menu()
    file_menu.addSeparator()
    file_menu.addAction(make_quit_action(window))
    toolbar = make_toolbar(window)
    for entry in TOOLBAR_ENTRIES:
        if entry is None:
            toolbar.addSeparator()
            continue
        _name, text, icon_name = entry
        action = toolbar.addAction(icon(icon_name), text)
        action.setEnabled(False)  # nothing acts before the library is open
    window.switcher = ViewSwitcher({name: OpeningPage() for name in VIEW_NAMES})
    window.switcher.show_view("library")
    central = QWidget()
    window.central_layout = QVBoxLayout(central)
    window.central_layout.setContentsMargins(0, 0, 0, 0)
    window.central_layout.setSpacing(0)
    window.central_layout.addWidget(window.switcher, 1)
    window.setCentralWidget(central)
    window.statusBar().showMessage(OPENING)


def make_quit_action(window: MainWindow) -> QAction:
    """File → Quit, enabled from the first paint: a migration of a big catalog can take many seconds, and
    the person may quit meanwhile (closing the frame mid-open is handled: the open finishes, then closes).
    Parented to the window, not to the frame's menu, so it outlives that menu: the real File menu shows
    this same action (window_menus), and the window keeps one Quit on its one Ctrl+Q."""
    window.quit_action = QAction("&Quit", window)
    # The platform's Quit key where it has one; Ctrl+Q where it has none (Windows, and Qt's plain themes),
    # which is what the person who reaches for Ctrl+Q on Linux expects too.
    window.quit_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
                                    or [QKeySequence("Ctrl+Q")])
    window.quit_action.triggered.connect(window.quit_app)
    return window.quit_action


def make_toolbar(window: QMainWindow) -> QToolBar:
    bar = window.addToolBar("Toolbar")
    bar.setObjectName("main_toolbar")  # saveState finds it by name
    bar.setMovable(False)
    bar.setIconSize(QSize(20, 20))
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    window.toolbar = bar
    return bar


def clear_frame_menus(window: QMainWindow) -> None:
    """The frame's menus go, so the real ones take their places (window_menus.build_menus); its Quit
    stays, to be shown in the real File menu."""
    bar = window.menuBar()
    for action in bar.actions():
        if (menu := action.menu()) is not None:
            menu.deleteLater()
    bar.clear()
