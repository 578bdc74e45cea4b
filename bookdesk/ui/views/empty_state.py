"""What a view shows when it has nothing yet: what this place is for, and what to do next."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    def __init__(self, icon: QIcon, title: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        picture = QLabel()
        picture.setPixmap(icon.pixmap(64, 64))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(title)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        self.hint.setMaximumWidth(460)
        # A word-wrapped label given an alignment in a box layout is measured for one line and cut
        # off; centred between stretches it gets the height its wrapped text needs.
        hint_row = QHBoxLayout()
        hint_row.addStretch(1)
        hint_row.addWidget(self.hint, 3)
        hint_row.addStretch(1)
        self.actions = QHBoxLayout()
        self.actions.addStretch(1)
        self.actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(picture)
        layout.addSpacing(8)
        layout.addWidget(self.title)
        layout.addLayout(hint_row)
        layout.addSpacing(12)
        layout.addLayout(self.actions)
        layout.addStretch(3)

    def add_action(self, text: str, slot) -> QPushButton:  # noqa: ANN001 - any callable
        """A button under the hint: the next thing to do."""
        button = QPushButton(text)
        button.clicked.connect(slot)
        self.actions.insertWidget(self.actions.count() - 1, button)
        return button
