"""The questions asked before removing, merging or splitting (ui/removal_flow.py): each names what will
happen, to how many books and files, and where the files go, before anything moves."""

from __future__ import annotations

from pathlib import PurePosixPath

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.removal.service import TRASH_NAME, RemovalPlan
from bookdesk.data.catalog_rows import FileRecord, WorkDetail


class _Question(QDialog):
    """A question, what may go under it, and a button that names the action (never just "OK")."""

    def __init__(self, parent: QWidget, title: str, action: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.question)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.action_button = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish(self) -> None:
        self.body.addWidget(self.buttons)

    @staticmethod
    def fitted(rows: QListWidget) -> QListWidget:
        """As tall as its rows (up to eight, then it scrolls): a list of two is no empty well. It never
        scrolls sideways (a horizontal scrollbar took the second row's place): a long row is cut at the
        end, the whole of it in its tooltip."""
        rows.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        shown = min(max(rows.count(), 1), 8)
        rows.setFixedHeight(rows.sizeHintForRow(0) * shown + 2 * rows.frameWidth() + 4)
        return rows


class RemoveBooksDialog(_Question):
    """Remove from Library: how many books and files, and that the files go to the trash unless kept."""

    def __init__(self, parent: QWidget, plan: RemovalPlan) -> None:
        super().__init__(parent, "Remove from Library", "Remove")
        self.plan = plan
        if plan.books > 1:
            more = f" and {plan.books - len(plan.titles):,} more" if plan.books > len(plan.titles) else ""
            listed = QLabel("\n".join(f"• {title}" for title in plan.titles) + more)
            listed.setWordWrap(True)
            self.body.addWidget(listed)
        self.keep = QCheckBox("Keep the files on disk")
        self.keep.setToolTip(f"Only the catalog entries go; without this the files go to {TRASH_NAME}.")
        self.keep.toggled.connect(self._say)
        self.body.addWidget(self.keep)
        self.undo_note = QLabel("Edit → Undo or Activity's Undo puts them back while the trash still holds "
                                "the files.")
        self.undo_note.setWordWrap(True)
        self.body.addWidget(self.undo_note)
        self.finish()
        self._say()

    def keep_files(self) -> bool:
        return self.keep.isChecked()

    def _say(self) -> None:
        self.question.setText(self.plan.question(self.keep.isChecked()))


class FormatChooser(_Question):
    """Which file of a book: for Remove Format (with Keep the file) and Split Format."""

    def __init__(self, parent: QWidget, detail: WorkDetail, files: tuple[FileRecord, ...], *, title: str,
                 action: str, question: str, offer_keep: bool) -> None:
        super().__init__(parent, title, action)
        self.question.setText(question.format(title=detail.title))
        self.files = QListWidget()
        for record in files:
            # The file's name first, its folder after: a long folder must not hide which file it is.
            folder = PurePosixPath(record.path).parent.as_posix()
            item = QListWidgetItem(f"{record.format.upper()}  —  {PurePosixPath(record.path).name}  (in {folder})")
            item.setData(Qt.ItemDataRole.UserRole, record.id)
            item.setToolTip(record.path)
            self.files.addItem(item)
        self.files.setCurrentRow(0)
        self.body.addWidget(self.fitted(self.files))
        self.keep = QCheckBox("Keep the file on disk")
        self.keep.setToolTip(f"Only the catalog entry goes; without this the file goes to {TRASH_NAME}.")
        self.keep.setVisible(offer_keep)
        self.body.addWidget(self.keep)
        self.finish()

    def file_id(self) -> int:
        return int(self.files.currentItem().data(Qt.ItemDataRole.UserRole))

    def keep_file(self) -> bool:
        return self.keep.isChecked()


class MergeDialog(_Question):
    """Merge Books: whose metadata is kept; the others' files and history join that book."""

    def __init__(self, parent: QWidget, details: list[WorkDetail]) -> None:
        super().__init__(parent, "Merge Books", f"Merge {len(details)} Books")
        self.question.setText(
            f"Merge {len(details)} books into one? Choose the book whose metadata (title, people, series, "
            "identifiers, tags, cover) is kept. The others' files and change history join it, and their "
            "records go; no file moves on disk. Edit → Undo separates them again.")
        self.books = QListWidget()
        for detail in details:
            files = ", ".join(sorted({f.format.upper() for f in detail.files})) or "no files"
            item = QListWidgetItem(f"{detail.title}  —  {' & '.join(detail.authors) or 'no author'}  ({files})")
            item.setData(Qt.ItemDataRole.UserRole, detail.id)
            self.books.addItem(item)
        self.books.setCurrentRow(0)
        self.body.addWidget(self.fitted(self.books))
        self.finish()

    def keep_id(self) -> int:
        return int(self.books.currentItem().data(Qt.ItemDataRole.UserRole))
