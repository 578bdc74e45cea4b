"""The actions on the books selected in the Library view, in one place: each a QAction with its shortcut,
enabled from the selection, and shown by the Book menu, the toolbar and the Library's context menu alike.

An action is enabled only while the Library view is shown with enough books selected for it, so a
shortcut never acts on books the person cannot see (Delete in the Downloads view removes no book).
The dialogs and flows behind Edit Metadata and the removals are imported when first used: they are
heavy, and a start needs none of them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from bookdesk.core.editing.book_edits import BookEdits, EditOutcome
from bookdesk.data.work_fields import READ_STATES
from bookdesk.ui import bridge
from bookdesk.ui.book_files import all_paths, not_opened, open_target, open_with_system, show_in_folder

if TYPE_CHECKING:
    from bookdesk.ui.main_window import MainWindow

ASK_BEYOND = 10  # opening or showing more books than this at once is asked first: each is a window of its own
READ_STATE_KEYS = {"unread": "Ctrl+Alt+U", "reading": "Ctrl+Alt+R", "finished": "Ctrl+Alt+F"}
ONE, SOME, MANY = 1, 1, 2  # how many selected books an action needs: exactly one, one or more, two or more


class BookActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._needs: dict[QAction, tuple[int, bool]] = {}  # action -> (fewest books, exactly that many)
        self.edit = self._action("&Edit Metadata…", self.edit_metadata, "E", SOME)
        self.remove = self._action("Remove from &Library…", self.remove_books, QKeySequence.StandardKey.Delete,
                                   SOME)
        self.remove_format = self._action("Remove &Format…", self.remove_format_of, "Shift+Del", ONE, exact=True)
        self.merge = self._action("&Merge Books…", self.merge_books, "M", MANY)
        self.split = self._action("S&plit Format…", self.split_format, "Shift+M", ONE, exact=True)
        self.open = self._action("&Open", self.open_books, "O", SOME)
        self.show_folder = self._action("Show in Fol&der", self.show_in_folder, "Ctrl+Shift+R", SOME)
        self.copy_path = self._action("Cop&y Path", self.copy_paths, "Ctrl+Shift+C", SOME)
        self.identify = self._action("&Identify Selected", window.identify_selected, "Ctrl+I", SOME)
        self.send_to_abs = self._action("Send to &Audiobookshelf…", self.send_books_to_abs, "", SOME)
        self.read_states = {state: self._action(state.capitalize(), lambda _=False, s=state: self.mark(s),
                                                READ_STATE_KEYS[state], SOME) for state in READ_STATES}
        self.ratings = [self._action("No Rating" if stars == 0 else "★" * stars, lambda _=False, n=stars:
                                     self.rate(n), f"Alt+{stars}", SOME) for stars in range(6)]
        view = window.library_view
        view.table.selectionModel().selectionChanged.connect(lambda *_: self.update())
        view.model.modelReset.connect(self.update)
        window.switcher.stack.currentChanged.connect(lambda _i: self.update())
        view.table.doubleClicked.connect(lambda _index: self.edit.trigger())
        self.update()

    def _action(self, text: str, slot: Callable, shortcut: str | QKeySequence.StandardKey, fewest: int, *,
                exact: bool = False) -> QAction:
        action = QAction(text, self.window)  # the toolbar gives the common ones their icons
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)  # its shortcut works wherever the focus is in the window
        self._needs[action] = (fewest, exact)
        return action

    def update(self) -> None:
        """Enable each action for the selection of the Library view, when it is the view shown."""
        shown = self.window.switcher.current_view() == "library"
        count = self.window.library_view.selected_count() if shown else 0
        for action, (fewest, exact) in self._needs.items():
            action.setEnabled(count == fewest if exact else count >= fewest)
        if count == 1:  # a format to split out or remove needs another to stay with the book
            model = self.window.library_view.model
            row_no = model.row_of(self.window.library_view.selected_ids()[0])
            row = model.row_at(row_no) if row_no is not None else None
            for action in (self.split, self.remove_format):
                action.setEnabled(row is not None and row.files >= 2)

    # ----- where the actions are shown ----------------------------------------------------------

    def fill_menu(self, menu: QMenu) -> None:
        """Every book action, as the Book menu and the Library's context menu show them."""
        menu.addAction(self.edit)
        menu.addAction(self.identify)
        menu.addSeparator()
        menu.addAction(self.open)
        menu.addAction(self.show_folder)
        menu.addAction(self.copy_path)
        menu.addAction(self.send_to_abs)
        menu.addSeparator()
        mark = menu.addMenu("Mark &as")
        for action in self.read_states.values():
            mark.addAction(action)
        rating = menu.addMenu("Ra&ting")
        for action in self.ratings:
            rating.addAction(action)
        menu.addSeparator()
        menu.addAction(self.merge)
        menu.addAction(self.split)
        menu.addSeparator()
        menu.addAction(self.remove_format)
        menu.addAction(self.remove)

    # ----- the actions ----------------------------------------------------------------------------

    def selected(self) -> list[int]:
        return self.window.library_view.selected_ids()

    def edit_metadata(self) -> None:
        ids = self.selected()
        if len(ids) == 1:
            from bookdesk.ui.dialogs.edit_metadata_dialog import edit_metadata

            edit_metadata(self.window, ids[0])
        elif ids:
            from bookdesk.ui.dialogs.bulk_edit_dialog import bulk_edit

            bulk_edit(self.window, ids)

    def remove_books(self) -> None:
        from bookdesk.ui.removal_flow import remove_books

        if ids := self.selected():
            remove_books(self.window, ids)

    def remove_format_of(self) -> None:
        from bookdesk.ui.removal_flow import remove_format

        if ids := self.selected():
            remove_format(self.window, ids[0])

    def merge_books(self) -> None:
        from bookdesk.ui.removal_flow import merge_books

        if len(ids := self.selected()) > 1:
            merge_books(self.window, ids)

    def split_format(self) -> None:
        from bookdesk.ui.removal_flow import split_format

        if ids := self.selected():
            split_format(self.window, ids[0])

    def send_books_to_abs(self) -> None:
        from bookdesk.ui.abs_send_flow import send_to_abs

        if ids := self.selected():
            send_to_abs(self.window, ids)

    def mark(self, state: str) -> None:
        self._edit(BookEdits(read_state=state), f"Marked {{books}} as {state}")

    def rate(self, stars: int) -> None:
        edits = BookEdits(rating=stars * 2) if stars else BookEdits(fields={"rating": None})
        self._edit(edits, f"Rated {{books}} {'★' * stars}" if stars else "Took the rating off {books}")

    def _edit(self, edits: BookEdits, said: str) -> None:
        if ids := self.selected():
            bridge.start(self._apply(ids, edits, said), what="Edit the selected books",
                         presenter=self.window.presenter, owner=self)

    async def _apply(self, ids: list[int], edits: BookEdits, said: str) -> None:
        """As a job, as the edit dialogs run theirs: in Activity under its Ref, which Edit → Undo (Ctrl+Z)
        and Activity's Undo revert whole."""
        from bookdesk.ui.dialogs.bulk_edit_dialog import books

        window, editing = self.window, self.window.services.editing
        what = said.format(books=books(len(ids)) if len(ids) != 1 else "the book")
        result = await window.worker.submit("edit", what, lambda ctx: editing.run(ctx, ids, edits))
        if result.state != "succeeded":
            return  # the status bar and the error dialog say why, with its Ref (JobStatus)
        outcome: EditOutcome = result.value
        window.edits.remember_edit(outcome)
        view, changed = window.library_view, dict.fromkeys(change.work_id for change in outcome.changes)
        if view.model.shelf in READ_STATES or view.model.sort_key in ("read_state", "rating"):
            view.refresh()  # a book marked finished leaves the Unread list; a new rating sorts anew
        for work_id in changed:  # the rows shown, and the selection, stay
            view.book_changed(work_id)
        window.write_back(list(changed))
        window.jobs.say(f"{what} (Ref {outcome.correlation_id}); Ctrl+Z undoes it" if outcome.changes
                        else outcome.summary())

    def open_books(self) -> None:
        ids = self.selected()
        if self._many_refused(ids, "Open books", f"Open {len(ids)} books, each in its own window?"):
            return
        self._with_paths(ids, "Open the selected books", lambda detail, absolute: [open_target(detail, absolute)],
                         lambda books: self._hand_over(books, open_with_system, "open"))

    def show_in_folder(self) -> None:
        ids = self.selected()
        if self._many_refused(ids, "Show in Folder",
                              f"Show {len(ids)} books in their folders, each in a window of its own?"):
            return
        self._with_paths(ids, "Show the selected books in their folders",
                         lambda detail, absolute: [open_target(detail, absolute)],
                         lambda books: self._hand_over(books, show_in_folder, "show in a folder"))

    def _many_refused(self, ids: list[int], title: str, question: str) -> bool:
        """More than ASK_BEYOND windows at once are asked first; True when the person says no."""
        return len(ids) > ASK_BEYOND and QMessageBox.question(self.window, title, question) \
            != QMessageBox.StandardButton.Yes

    def _hand_over(self, books: list[tuple[str, Path]], system: Callable[..., bool], doing: str) -> None:
        """Hand each book's file to the system; a file that is not there (the system's own opener says
        yes even then), that the system refuses, or that its opener fails on later (no application for
        EPUB) is said in the status bar, with its book."""
        missing, refused = [], []
        for title, path in dict.fromkeys(books):
            if not path.exists():
                missing.append((title, path))
            elif not system(path, on_failure=lambda said, t=title: self._failed_later(f"Could not {doing} “{t}”: {said}")):
                refused.append((title, path))
        said = not_opened(missing, refused, doing)
        if said:
            self.window.jobs.say(said)

    def _failed_later(self, said: str) -> None:
        if shiboken6.isValid(self):  # the opener may end after this library's window closed
            self.window.jobs.say(said)

    def copy_paths(self) -> None:
        def copy(books: list[tuple[str, Path]]) -> None:
            paths = [path for _title, path in books]
            QApplication.clipboard().setText("\n".join(str(p) for p in paths))
            self.window.jobs.say(f"Copied {len(paths)} path{'s' if len(paths) != 1 else ''}")

        self._with_paths(self.selected(), "Copy the paths of the selected books", all_paths, copy)

    def _with_paths(self, ids: list[int], what: str, paths_of: Callable, then: Callable) -> None:
        if ids:
            bridge.start(self._paths(ids, paths_of, then), what=what, presenter=self.window.presenter, owner=self)

    async def _paths(self, ids: list[int], paths_of: Callable, then: Callable) -> None:
        """``then`` gets each selected book's (title, path) for the paths ``paths_of`` picks of it."""
        service = self.window.service
        details = await self.window.worker.call(service.details, ids)  # 100,000 books: seconds, not on the GUI
        books = [(detail.title, p) for detail in details for p in paths_of(detail, service.absolute) if p is not None]
        if not books:
            self.window.jobs.say(_no_files_said(details))
            return
        then(books)


def _no_files_said(details: list) -> str:  # noqa: ANN001 - WorkDetail
    """Why none of the selected books has a file to open: wanted books have none yet; an owned one (brought
    back by an undo after the trash was emptied) has lost them, which is said, not called wanted."""
    owned = [d.title for d in details if d.status != "wanted"]
    if not owned:
        return "The selected books have no files: wanted books are not in the library yet."
    if len(details) == 1:
        return f"The files of “{owned[0]}” are not in the library: import them again, or remove the book."
    more = f" and {len(owned) - 1} more" if len(owned) > 1 else ""
    return (f"None of the selected books has a file in the library: the files of “{owned[0]}”{more} are not "
            f"there (import them again){', and wanted books have none yet' if len(owned) < len(details) else ''}.")
