"""The welcome wizard on a first start: where the library lives, which metadata providers to ask
(with their optional tokens, into the keyring), and how to add books.

Whoever starts BookDesk decides when to show it (``is_first_run``), opens the library the wizard
chose (``library_folder``), saves ``result_settings`` and calls ``mark_done``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from bookdesk import APP_NAME
from bookdesk.core.secrets import SecretStore, SecretsUnavailableError
from bookdesk.core.settings import PROVIDERS, SETTINGS_NAME, Settings
from bookdesk.data.catalog import CATALOG_NAME
from bookdesk.ui.resources import icon
from bookdesk.ui.settings.providers_page import (
    LABELS,
    SECRETS,
    add_token_rows,
    keyring_note_text,
)
from bookdesk.ui.theme import tone

MARKER_NAME = "first-run-done"
WELCOME, LIBRARY, PROVIDERS_PAGE, BOOKS = range(4)
HINT_STYLE = "color: palette(placeholder-text);"
PROVIDER_NOTES = {
    "hardcover": "series, positions and editions; needs a free token (below), skipped without one",
    "openlibrary": "the Internet Archive's open catalog; no account needed",
    "googlebooks": "wide coverage of editions and ISBNs; a key (optional) raises the daily limit",
    "audnexus": "narrators, lengths and chapters",
}

# (parent, title, start folder) -> the chosen folder, "" when cancelled; tests pass their own.
FolderChooser = Callable[[QWidget, str, str], str]


def is_first_run(config_dir: Path) -> bool:
    """True when BookDesk has never been set up here: no settings file and no sign of the wizard."""
    return not (config_dir / SETTINGS_NAME).exists() and not (config_dir / MARKER_NAME).exists()


def mark_done(config_dir: Path) -> None:
    """Remember that the wizard was shown (finished or cancelled), so it is not shown again."""
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / MARKER_NAME).write_text("The welcome wizard has been shown.\n", encoding="utf-8")


def _choose_folder(parent: QWidget, title: str, start: str) -> str:
    return QFileDialog.getExistingDirectory(parent, title, start)


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


def _text(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class WelcomePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(f"Welcome to {APP_NAME}")
        self.setSubTitle("Your ebooks and audiobooks, complete and correct.")
        layout = QVBoxLayout(self)
        layout.addWidget(_text(
            f"<p>{APP_NAME} keeps your library of ebooks and audiobooks in order: it imports your files, "
            "finds their proper titles, authors and series, shows which books of a series you are missing, "
            "and can fetch them for you.</p>"
            "<p>Three short questions follow: where your library lives, which book databases to ask, and "
            "how to add your books. Everything can be changed later in <b>Settings</b>.</p>"))
        layout.addStretch(1)


class LibraryFolderPage(QWizardPage):
    def __init__(self, default_library: Path, choose: FolderChooser) -> None:
        super().__init__()
        self.default_library, self._choose = default_library, choose
        self.setTitle("Where should your library live?")
        self.setSubTitle("A library is one folder: your books and BookDesk's catalog of them, together.")
        self.keep_default = QRadioButton(f"&Keep the default folder:  {default_library}")
        self.keep_default.setChecked(True)
        self.use_other = QRadioButton("Use &another folder:")
        group = QButtonGroup(self)
        group.addButton(self.keep_default)
        group.addButton(self.use_other)
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("a folder on this computer or an attached disk")
        self.folder.setEnabled(False)
        self.browse = QPushButton("&Choose…")
        self.browse.setEnabled(False)
        self.browse.clicked.connect(self._browse)
        self.use_other.toggled.connect(self._other_toggled)
        self.folder.textChanged.connect(self._update_note)
        other_row = QHBoxLayout()
        other_row.setContentsMargins(24, 0, 0, 0)
        other_row.addWidget(self.folder, 1)
        other_row.addWidget(self.browse)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.keep_default)
        layout.addSpacing(6)
        layout.addWidget(self.use_other)
        layout.addLayout(other_row)
        layout.addSpacing(12)
        layout.addWidget(self.note)
        layout.addWidget(_hint("Pick a folder with room for your books. A folder that already holds a BookDesk "
                               "library is opened as it is; the folder can later be moved or backed up whole. "
                               "File → Open Library… switches to another library at any time."))
        layout.addStretch(1)
        self._update_note()

    def chosen(self) -> Path:
        if self.keep_default.isChecked() or not self.folder.text().strip():
            return self.default_library
        return Path(self.folder.text().strip()).expanduser()

    def _other_toggled(self, on: bool) -> None:
        self.folder.setEnabled(on)
        self.browse.setEnabled(on)
        if on:
            self.folder.setFocus()
        self._update_note()

    def _browse(self) -> None:
        start = self.folder.text().strip() or str(self.default_library.parent)
        folder = self._choose(self, "Library folder", start)
        if folder:
            self.folder.setText(folder)

    def problem(self) -> str | None:
        if self.use_other.isChecked():
            text = self.folder.text().strip()
            if not text:
                return "Type or choose a folder, or keep the default."
            if not Path(text).expanduser().is_absolute():
                return "Give the whole path of the folder, from the top (for example /home/me/Books)."
        folder = self.chosen()
        if folder.exists() and not folder.is_dir():
            return f"{folder} is a file, not a folder."
        return None

    def _update_note(self) -> None:
        problem = self.problem() if self.use_other.isChecked() and self.folder.text().strip() else None
        folder = self.chosen()
        if problem:
            self.note.setText(problem)
            tone(self.note, "problem")
            return
        tone(self.note, None)
        if (folder / CATALOG_NAME).exists():
            self.note.setText(f"There is a BookDesk library in {folder} already: it will be opened.")
        elif folder.is_dir() and any(folder.iterdir()):
            self.note.setText(f"{folder} has files in it already; they stay as they are, and books you "
                              "import go in beside them.")
        else:
            self.note.setText(f"The library will be made in {folder}.")

    def validatePage(self) -> bool:
        problem = self.problem()
        if problem:
            self.note.setText(problem)
            tone(self.note, "problem")
            return False
        return True


class ProvidersWizardPage(QWizardPage):
    def __init__(self, settings: Settings, secrets: SecretStore) -> None:
        super().__init__()
        self.setTitle("Which book databases should BookDesk ask?")
        self.setSubTitle("They supply titles, authors, series, covers and descriptions. "
                         "Nothing about your library is sent, only what is searched for.")
        layout = QVBoxLayout(self)
        self.enabled: dict[str, QCheckBox] = {}
        for name in PROVIDERS:
            box = QCheckBox(f"{LABELS[name]}: {PROVIDER_NOTES[name]}")
            box.setChecked(settings.providers_enabled.get(name, True))
            self.enabled[name] = box
            layout.addWidget(box)
        layout.addSpacing(10)
        form = QFormLayout()
        # Nothing read: a first start has no tokens yet, and the keyring is asked only for one typed here.
        self.tokens, _refusal = add_token_rows(form, secrets, read=False)
        layout.addLayout(form)
        self.secrets = secrets
        self.keyring_note = _hint("Both are optional.")  # what the keyring is, said once the page is reached
        layout.addWidget(self.keyring_note)
        self.problem = QLabel()
        tone(self.problem, "problem")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        self.keyring_note.setText(keyring_note_text(self.secrets) + " Both are optional.")
        if not self.secrets.persistent:
            tone(self.keyring_note, "warning")

    def validatePage(self) -> bool:
        if not any(box.isChecked() for box in self.enabled.values()):
            self.problem.setText("Tick at least one: without a database BookDesk cannot identify your books.")
            return False
        self.problem.clear()
        return True


class AddBooksPage(QWizardPage):
    def __init__(self, settings: Settings, choose: FolderChooser) -> None:
        super().__init__()
        self._choose = choose
        self.setTitle("Add your books")
        self.setSubTitle("BookDesk is ready. This is how books get into your library.")
        layout = QVBoxLayout(self)
        self.hint = _text(
            "<ul style='margin-left: -20px'>"
            "<li><b>Drop</b> book files or whole folders onto the BookDesk window.</li>"
            "<li>Or use <b>File → Import Files…</b> (Ctrl+O) or <b>File → Import Folder…</b> (Ctrl+Shift+O).</li>"
            "<li>BookDesk shows what it will do before anything is copied, and every import can be undone.</li>"
            "</ul>"
            "<p>It reads EPUB, PDF, MOBI, AZW3, CBZ, and audiobooks as M4B or folders of MP3s.</p>")
        layout.addWidget(self.hint)
        layout.addSpacing(8)
        self.watch = QCheckBox("Also &watch a folder: import books that appear in it (a downloads folder, say)")
        self.watch.setChecked(settings.watch_enabled)
        self.watch_folder = QLineEdit(settings.watch_folder)
        self.watch_folder.setPlaceholderText("no watch folder")
        self.watch_folder.setEnabled(self.watch.isChecked())
        self.browse = QPushButton("C&hoose…")
        self.browse.setEnabled(self.watch.isChecked())
        self.browse.clicked.connect(self._browse)
        self.watch.toggled.connect(self.watch_folder.setEnabled)
        self.watch.toggled.connect(self.browse.setEnabled)
        row = QHBoxLayout()
        row.setContentsMargins(24, 0, 0, 0)
        row.addWidget(self.watch_folder, 1)
        row.addWidget(self.browse)
        self.problem = QLabel()
        tone(self.problem, "problem")
        self.problem.setWordWrap(True)
        layout.addWidget(self.watch)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addStretch(1)

    def _browse(self) -> None:
        folder = self._choose(self, "Watch folder", self.watch_folder.text().strip() or str(Path.home()))
        if folder:
            self.watch_folder.setText(folder)

    def validatePage(self) -> bool:
        text = self.watch_folder.text().strip()
        if self.watch.isChecked():
            if not text:
                self.problem.setText("Choose the folder to watch, or untick watching.")
                return False
            if not Path(text).expanduser().is_dir():
                self.problem.setText(f"{text} is not a folder on this computer.")
                return False
        self.problem.clear()
        return True


class FirstRunWizard(QWizard):
    def __init__(self, secrets: SecretStore, default_library: Path, settings: Settings | None = None,
                 parent: QWidget | None = None, *, choose_folder: FolderChooser | None = None) -> None:
        super().__init__(parent)
        self.secrets = secrets
        self.settings = settings or Settings()
        choose = choose_folder or _choose_folder
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        self.setWindowIcon(icon("bookdesk"))
        if sys.platform != "darwin":  # macOS has its own wizard look; elsewhere the modern one reads best
            self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, icon("bookdesk").pixmap(48, 48))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setButtonText(QWizard.WizardButton.FinishButton, f"&Start {APP_NAME}")
        self.setMinimumSize(680, 500)
        self.welcome = WelcomePage()
        self.library_page = LibraryFolderPage(default_library, choose)
        self.providers_page = ProvidersWizardPage(self.settings, secrets)
        self.books_page = AddBooksPage(self.settings, choose)
        for page_id, page in ((WELCOME, self.welcome), (LIBRARY, self.library_page),
                              (PROVIDERS_PAGE, self.providers_page), (BOOKS, self.books_page)):
            self.setPage(page_id, page)
        self.setStartId(WELCOME)

    def library_folder(self) -> Path:
        """The folder the library is to be opened in (made when it does not exist yet)."""
        return self.library_page.chosen()

    def result_settings(self) -> Settings:
        """The settings given as these answers; tokens are not in them (``accept`` puts them in the keyring)."""
        enabled = {name: box.isChecked() for name, box in self.providers_page.enabled.items()}
        folder = self.books_page.watch_folder.text().strip() if self.books_page.watch.isChecked() else ""
        return replace(self.settings, providers_enabled=enabled, watch_folder=folder, watch_enabled=bool(folder))

    def accept(self) -> None:
        """Typed tokens into the keyring, then done. A keyring that refuses is said on the tokens' page,
        which is shown again: clear them to go on without (Settings → Metadata Providers takes them later)."""
        try:
            for name, edit in self.providers_page.tokens.items():
                if value := edit.text().strip():
                    self.secrets.set(SECRETS[name][0], value)
        except SecretsUnavailableError as exc:
            while self.currentId() > PROVIDERS_PAGE:
                self.back()
            self.providers_page.problem.setText(f"{exc.message} Or clear the tokens to go on without them; "
                                                "Settings → Metadata Providers takes them later.")
            return
        super().accept()
