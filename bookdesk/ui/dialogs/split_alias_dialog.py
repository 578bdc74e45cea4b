"""Two people under one name: choose which other name is someone else, and which books are theirs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from bookdesk.data.catalog_rows import WorkRow


class SplitAliasDialog(QDialog):
    def __init__(self, author: str, aliases: list[str], books: list[WorkRow], parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setWindowTitle("Split an alias")
        self.setMinimumWidth(480)
        self.alias = QComboBox()
        self.alias.addItems(aliases)
        self.books = QListWidget()
        for book in books:
            item = QListWidgetItem(f"{book.title} ({book.authors})", self.books)
            item.setData(Qt.ItemDataRole.UserRole, book.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Which other name of {author} is another person?"))
        layout.addWidget(self.alias)
        layout.addWidget(QLabel("Tick the books that person wrote:"))
        layout.addWidget(self.books, 1)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[str, list[int]]:
        ids = [self.books.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.books.count())
               if self.books.item(i).checkState() == Qt.CheckState.Checked]
        return self.alias.currentText(), ids
