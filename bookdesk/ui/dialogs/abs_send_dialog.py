"""Send to Audiobookshelf…: which library of which server the selected books go to."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from bookdesk.core.audiobookshelf.send import SendTarget


class AbsSendDialog(QDialog):
    """``problems``: what kept a server from answering, said under the choice (its libraries are not offered)."""

    def __init__(self, targets: list[SendTarget], count: int, problems: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Send to Audiobookshelf")
        self.setMinimumWidth(420)
        self.targets = targets
        self.target = QComboBox()
        self.target.setObjectName("abs_send_target")
        for target in targets:
            self.target.addItem(target.label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Send")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        books = "the book" if count == 1 else f"{count} books"
        said = QLabel(f"Send the files of {books} to this library of an Audiobookshelf server; BookDesk "
                      "waits until the server lists them, and links them:")
        said.setWordWrap(True)
        layout.addWidget(said)
        layout.addWidget(self.target)
        for problem in problems:
            trouble = QLabel(problem)
            trouble.setWordWrap(True)
            layout.addWidget(trouble)
        layout.addWidget(self.buttons)
        self.adjustSize()  # the wrapped lines their height

    def chosen(self) -> SendTarget:
        return self.targets[self.target.currentIndex()]
