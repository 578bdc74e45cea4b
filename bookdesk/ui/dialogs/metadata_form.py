"""The fields of the Edit Metadata dialog: every field of one book, each with a lock that shows whether
identification may change it, and what the person changed as ``BookEdits``.

Typing in a field locks it (an edit by hand is kept from identification, as ``EditService`` does); the
lock can be opened again before applying. Problems are found here, before anything is sent to the
worker, and shown beside their field.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)

from bookdesk.core.editing.book_edits import LANGUAGE_PROBLEM, language_refused
from bookdesk.core.editing.service import BookEdits
from bookdesk.data.catalog_rows import WorkDetail
from bookdesk.data.work_fields import READ_STATES, ROLES, field_value, normalised
from bookdesk.errors import UsageError
from bookdesk.ui.dialogs.metadata_rows import EditableRows
from bookdesk.ui.resources import icon
from bookdesk.ui.theme import tone_colour
from bookdesk.vocabulary.titles import title_sort

# Which locks a field's toggle sets: the people hold the authors and narrators identification sets.
LOCKS = {"people": ("people", "authors", "narrators")}
DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
SCHEME = re.compile(r"^[a-z0-9_.-]+$")


def _left(widget: QWidget) -> QHBoxLayout:
    """A short field at the start of its row."""
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row


def stars(rating: int) -> str:
    return "★" * (rating // 2) + ("½" if rating % 2 else "") if rating else "No stars (0)"


class LockButton(QToolButton):
    """Locked: identification leaves the field as it is. Open: identification may change it."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label.lower()
        self.setCheckable(True)
        self.setAutoRaise(True)
        self.setIconSize(QSize(16, 16))
        self.touched = False  # clicked by the person: their say wins over "an edit by hand locks"
        self.clicked.connect(lambda *_: setattr(self, "touched", True))
        self.toggled.connect(self._show)
        self._show(False)

    def _show(self, locked: bool) -> None:
        self.setIcon(icon("locked" if locked else "unlocked"))
        self.setAccessibleName(f"{self.label} {'locked' if locked else 'unlocked'}")
        self.setToolTip(f"Locked: identification will not change the {self.label}. Click to let it."
                        if locked else f"Identification may change the {self.label}. Click to lock it.")


class MetadataForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: WorkDetail | None = None
        self._shown_title = ""  # the title before the last keystroke: the sort title follows it
        self.locks: dict[str, LockButton] = {}
        self.editors: dict[str, QWidget] = {}
        self.title, self.sort_title, self.subtitle = QLineEdit(), QLineEdit(), QLineEdit()
        self.series, self.position = QLineEdit(), QLineEdit()
        self.series.setPlaceholderText("Series name")
        self.position.setPlaceholderText("#")
        self.position.setMaximumWidth(70)
        self.position.setToolTip("The book's place in the series: 2, 1.5, 1-3, Prequel")
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("comma, separated")
        self.language, self.publisher, self.published = QLineEdit(), QLineEdit(), QLineEdit()
        self.language.setPlaceholderText("en, fr, pt-BR")
        self.language.setMaximumWidth(110)
        self.published.setPlaceholderText("1968 or 1968-11-01")
        self.published.setMaximumWidth(140)
        self.rating = QComboBox()
        self.rating.addItems(["No rating", *(stars(value) for value in range(11))])
        self.read_state = QComboBox()
        self.read_state.addItems([state.capitalize() for state in READ_STATES])
        self.people = EditableRows(["Name", "Role", "Sorts as"], choices={1: ROLES}, add_text="Add Person",
                                    shown_rows=3)
        self.people.table.horizontalHeaderItem(2).setToolTip(
            "How the person sorts in every book of theirs (\"Le Guin, Ursula K.\"); empty: by surname")
        self.people.table.setColumnWidth(1, 110)
        self.people.table.setColumnWidth(2, 170)
        self.identifiers = EditableRows(["Scheme", "Value"], stretch=1, add_text="Add Identifier")
        self.identifiers.table.setColumnWidth(0, 110)
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText("What the book is about")
        self.sort_title.setToolTip("How the title sorts; empty: from the title, without its article")

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        series = QHBoxLayout()
        series.addWidget(self.series, 1)
        series.addWidget(QLabel("#"))
        series.addWidget(self.position)
        marks = QHBoxLayout()
        marks.addWidget(self.rating)
        marks.addSpacing(12)
        marks.addWidget(QLabel("Read state"))
        marks.addWidget(self.read_state)
        marks.addStretch(1)
        for key, text, field, editor in (
                ("title", "&Title", self.title, self.title), ("sort_title", "Sort title", self.sort_title, self.sort_title),
                ("subtitle", "Subtitle", self.subtitle, self.subtitle), ("series", "&Series", series, self.series),
                ("tags", "Ta&gs", self.tags, self.tags), ("publisher", "Publisher", self.publisher, self.publisher)):
            self._row(grid, key, text, field, editor)
        self._row(grid, "language", "Language", _left(self.language), self.language)
        self._row(grid, "first_published", "Published", _left(self.published), self.published)
        self._row(grid, "rating", "Rating", marks, None)
        for key, text, field in (("people", "&People", self.people), ("identifiers", "Identifiers", self.identifiers),
                                 ("description", "&Description", self.description)):
            self._row(grid, key, text, field, field)
        grid.setRowStretch(grid.rowCount() - 3, 3)  # the people
        grid.setRowStretch(grid.rowCount() - 2, 2)  # the identifiers
        grid.setRowStretch(grid.rowCount() - 1, 3)  # the description
        grid.setColumnStretch(1, 1)
        self._follow_edits()

    def _row(self, grid: QGridLayout, key: str, text: str, field: QWidget | QHBoxLayout,
             editor: QWidget | None) -> None:
        """A labelled row; ``editor`` is the widget marked when the field has a problem (None: a field
        with no lock, as no provider sets it)."""
        row = grid.rowCount()
        label = QLabel(text)
        label.setBuddy(editor or self.rating)
        top = Qt.AlignmentFlag.AlignTop if key in ("people", "identifiers", "description") \
            else Qt.AlignmentFlag.AlignVCenter
        grid.addWidget(label, row, 0, top)
        if isinstance(field, QWidget):
            grid.addWidget(field, row, 1)
        else:
            grid.addLayout(field, row, 1)
        if editor is not None:
            self.editors[key] = editor
            named = {"first_published": "date", "sort_title": "sort title"}.get(key, key)
            grid.addWidget(self.add_lock(key, named), row, 2, top)

    def add_lock(self, name: str, label: str) -> LockButton:
        self.locks[name] = LockButton(label)
        return self.locks[name]

    def _follow_edits(self) -> None:
        """Typing in a field locks it; a new title carries a sort title that was following it."""
        def locking(name: str) -> Callable[..., None]:
            return lambda *_: self.locks[name].setChecked(True)

        for name, line in (("title", self.title), ("sort_title", self.sort_title), ("subtitle", self.subtitle),
                           ("series", self.series), ("series", self.position), ("tags", self.tags),
                           ("publisher", self.publisher), ("language", self.language),
                           ("first_published", self.published)):
            line.textEdited.connect(locking(name))
            line.textEdited.connect(lambda *_, w=line: w.setStyleSheet(""))
        self.description.textChanged.connect(lambda: self.description.hasFocus() and self.locks["description"]
                                             .setChecked(True))
        self.people.changed.connect(locking("people"))
        self.identifiers.changed.connect(locking("identifiers"))
        self.title.textEdited.connect(self._sort_follows)

    def _sort_follows(self, text: str) -> None:
        """The sort title follows while it is the sort of the title as it read before this keystroke
        (not the book's saved title, which it stops matching after the first key)."""
        if self.detail is not None and self.sort_title.text() in (title_sort(self._shown_title),
                                                                  title_sort(self._shown_title, self.detail.language)):
            self.sort_title.setText(title_sort(text, self.detail.language))
        self._shown_title = text

    # ----- the book in, the edits out ----------------------------------------------------------

    def load(self, detail: WorkDetail) -> None:
        self.detail = detail
        self.title.setText(detail.title)
        self._shown_title = detail.title
        self.sort_title.setText(detail.sort_title)
        self.subtitle.setText(detail.subtitle or "")
        first = detail.series[0] if detail.series else None
        self.series.setText(first.name if first else "")
        self.position.setText(first.label if first else "")
        self.tags.setText(", ".join(detail.tags))
        self.language.setText(detail.language or "")
        self.publisher.setText(detail.publisher or "")
        self.published.setText(detail.first_published or "")
        self.rating.setCurrentIndex(0 if detail.rating is None else detail.rating + 1)
        self.read_state.setCurrentIndex(READ_STATES.index(detail.read_state))
        self.people.set_rows([[c.name, c.role, c.sort_name] for c in detail.contributors])
        self.identifiers.set_rows(sorted(detail.identifiers.items()))
        self.description.blockSignals(True)
        self.description.setPlainText(detail.description or "")
        self.description.blockSignals(False)
        for name, button in self.locks.items():
            button.setChecked(any(lock in detail.locked_fields for lock in LOCKS.get(name, (name,))))
            button.touched = False
        for editor in self.editors.values():
            editor.setStyleSheet("")

    def values(self) -> dict[str, object]:
        """Every field as the form shows it, in the form ``WorkRepository.set_field`` takes."""
        assert self.detail is not None
        series = [{"name": self.series.text().strip(), "label": self.position.text().strip()}] \
            if self.series.text().strip() else []
        series += [{"name": s.name, "label": s.label} for s in self.detail.series[1:]]  # kept as they are
        rating = self.rating.currentIndex()
        return {
            "title": self.title.text(), "sort_title": self.sort_title.text().strip()
            or title_sort(self.title.text(), self.language.text().strip() or None),
            "subtitle": self.subtitle.text(), "series": series,
            "tags": [tag for tag in self.tags.text().split(",")], "language": self.language.text().strip(),
            "publisher": self.publisher.text(), "first_published": self.published.text().strip(),
            "rating": None if rating == 0 else rating - 1, "read_state": READ_STATES[self.read_state.currentIndex()],
            "people": [{"name": name, "role": role, "sort_name": sort} for name, role, sort in self.people.rows()],
            "identifiers": {scheme.lower(): value for scheme, value in self.identifiers.rows() if scheme or value},
            "description": self.description.toPlainText().strip(),
        }

    def problems(self) -> list[tuple[str, str]]:
        """(field, what is wrong) for what cannot be applied; each field is marked where it is."""
        found: list[tuple[str, str]] = []
        if not self.title.text().strip():
            found.append(("title", "A book needs a title."))
        if self.position.text().strip() and not self.series.text().strip():
            found.append(("series", "A position needs the name of its series."))
        if self.published.text().strip() and not DATE.match(self.published.text().strip()):
            found.append(("first_published", "A date is a year, a year and month, or a whole date: "
                          "1968, 1968-11 or 1968-11-01."))
        language = self.language.text().strip()  # one the book came with is not this edit's to refuse
        if language_refused(language) and self.detail is not None and language != (self.detail.language or ""):
            found.append(("language", LANGUAGE_PROBLEM))
        if any(sort and not name for name, _role, sort in self.people.rows()):
            found.append(("people", "Every person needs a name (a row has only a sort name)."))
        schemes = [scheme.lower() for scheme, value in self.identifiers.rows() if scheme or value]
        if any(not SCHEME.match(scheme) for scheme in schemes):
            found.append(("identifiers", "An identifier needs a scheme of letters and digits (isbn, asin, "
                          "goodreads) beside its value."))
        elif len(set(schemes)) < len(schemes):
            found.append(("identifiers", "Each scheme once: a book has one ISBN here, one ASIN."))
        elif any(not value for scheme, value in self.identifiers.rows() if scheme):
            found.append(("identifiers", "An identifier needs a value; remove the row to take it away."))
        for name, editor in self.editors.items():
            marked = any(field == name for field, _ in found)
            editor.setStyleSheet(f"border: 1px solid {tone_colour('problem')};" if marked else "")
        return found

    def edits(self, *, new_cover: bool = False) -> BookEdits | None:
        """What changed, or None when nothing did. A changed field is locked (``EditService``) unless the
        person opened its lock here; a lock they closed or opened on an unchanged field is kept too."""
        assert self.detail is not None
        detail = self.detail
        fields = {name: value for name, value in self.values().items()
                  if not _same(name, value, field_value(detail, name))}
        lock: set[str] = set()
        unlock: set[str] = set()
        for name, button in self.locks.items():
            if button.touched:
                (lock if button.isChecked() else unlock).update(LOCKS.get(name, (name,)))
        lock -= detail.locked_fields
        if not fields and not lock and not unlock and not new_cover:
            return None
        return BookEdits(fields=fields, lock=tuple(sorted(lock)), unlock=tuple(sorted(unlock)))


def _same(name: str, value: object, old: object) -> bool:
    """Whether the form leaves the field as it is: compared as stored, so the spaces a field was
    saved with (a description's last line break) are no change."""
    try:
        return normalised(name, value) == normalised(name, old)
    except UsageError:
        return False
