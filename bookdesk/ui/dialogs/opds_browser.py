"""Browse and search OPDS catalogs: the catalogs from Sources (or any address), their sections,
books with covers, authors and formats, pages one after another, and Download into the queue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.acquisition import config
from bookdesk.core.acquisition.opds import OpdsClient, OpdsEntry, OpdsFeed
from bookdesk.core.secrets import SecretStore
from bookdesk.core.settings import Settings
from bookdesk.core.submission import log_failure
from bookdesk.core.worker import Worker
from bookdesk.errors import BookDeskError
from bookdesk.ui import bridge
from bookdesk.ui.resources import icon
from bookdesk.ui.views.empty_state import EmptyState

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
COVER_SIZE = QSize(48, 72)
MAX_COVERS = 60  # thumbnails fetched per page: a page of a big catalog should not fetch hundreds


class OpdsBrowser(QDialog):
    download_requested = Signal(object, object, str)  # OpdsEntry, OpdsAcquisition, catalog name

    def __init__(self, settings: Settings, secrets: SecretStore, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Browse Catalogs")
        self.resize(900, 600)
        self.secrets, self.worker = secrets, worker
        self.catalogs = config.opds_catalogs(settings.opds_catalogs)
        self.client: OpdsClient | None = None
        self.catalog_name = ""
        self.feed: OpdsFeed | None = None
        self.history: list[str] = []
        self._generation = 0  # answers for a feed no longer shown are dropped
        self._paging: str | None = None  # the next page on its way: More waits for it
        self._opening = ""  # the feed asked for last, for Try Again

        self.catalog = QComboBox()
        for catalog in self.catalogs:
            self.catalog.addItem(catalog.name, catalog.url)
        self.catalog.addItem("Another address…", "")
        self.catalog.currentIndexChanged.connect(self._catalog_chosen)
        self.address = QLineEdit()
        self.address.setPlaceholderText("https://standardebooks.org/feeds/opds")
        self.address.returnPressed.connect(lambda: self.open_catalog(self.address.text().strip()))
        self.back_button = QPushButton("Back")
        self.back_button.clicked.connect(self.back)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search this catalog")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.run_search)
        top = QHBoxLayout()
        top.addWidget(self.catalog)
        top.addWidget(self.address, 1)
        top.addWidget(self.back_button)
        top.addWidget(self.search, 1)

        self.entries = QListWidget()
        self.entries.setIconSize(COVER_SIZE)
        self.entries.itemActivated.connect(self._activated)
        self.entries.currentItemChanged.connect(lambda *_: self._show_entry())
        self.more_button = QPushButton("More…")
        self.more_button.clicked.connect(self.next_page)
        self.listing = QWidget()
        left_layout = QVBoxLayout(self.listing)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.entries, 1)
        left_layout.addWidget(self.more_button)
        # A catalog that cannot be opened: what went wrong and its Ref, in place of empty panes.
        self.problem = EmptyState(icon("downloads"), "", "")
        self.problem.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.try_again_button = self.problem.add_action("Try Again", lambda: self.open_feed(self._opening))
        left = QStackedWidget()
        left.addWidget(self.listing)
        left.addWidget(self.problem)
        self.left = left
        self.detail = QTextBrowser()
        self.detail.setOpenExternalLinks(False)
        self.formats = QComboBox()
        self.download_button = QPushButton("Download")
        self.download_button.clicked.connect(self.download)
        right = self.right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.formats, 1)
        actions.addWidget(self.download_button)
        right_layout.addLayout(actions)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([540, 360])
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self._catalog_chosen(0)

    # ----- moving around -------------------------------------------------------------------------

    def _catalog_chosen(self, index: int) -> None:
        url = self.catalog.itemData(index)
        self.address.setVisible(not url)
        if url:
            self.open_catalog(url, self.catalogs[index].name)
        else:
            self._show_feed(None)
            self.status.setText("Type the address of an OPDS catalog and press Enter.")
            self.address.setFocus()

    def open_catalog(self, url: str, name: str = "") -> None:
        if not url:
            return
        catalog = next((c for c in self.catalogs if c.name == name), None)
        self.catalog_name = name or url
        self._close_client()
        self.feed = None
        self._show_feed(None)  # nothing of the last catalog stays offered while this one is asked
        from bookdesk.core.net.factory import make_http

        # A client of its own (a catalog's cookies stay with it), pacing from the worker's one limiter.
        http, paced = make_http(), {"limiter": self.worker.net.limiter}
        self.client = (OpdsClient.for_catalog(http, catalog, self.secrets, **paced) if catalog is not None
                       else OpdsClient(http, catalog_url=url, **paced))
        self.history.clear()
        self.open_feed(url)

    def open_feed(self, url: str, *, remember: bool = True) -> None:
        if self.client is None:
            return
        if remember and self.feed is not None:
            self.history.append(self.feed.url)
        client, self._opening = self.client, url
        self._ask(lambda: client.feed(url), self._show_feed, f"Opening {url}…", failed=self._feed_failed)

    def _feed_failed(self, said: str) -> None:
        if self.feed is not None:  # a section or a search of a catalog that answered: what it showed stays
            if self.history and self.history[-1] == self.feed.url:
                self.history.pop()  # Back does not lead to the page still shown
            self.back_button.setEnabled(bool(self.history))
            self.status.setText(said)
            return
        self.problem.title.setText(f"{self.catalog_name} could not be opened")
        self.problem.hint.setText(said)
        self.left.setCurrentWidget(self.problem)
        self.right.setVisible(False)
        self.status.clear()

    def back(self) -> None:
        if self.history:
            self.open_feed(self.history.pop(), remember=False)

    def run_search(self) -> None:
        text = self.search.text().strip()
        if not text or self.client is None or self.feed is None:
            return
        if not self.feed.searchable:
            self.status.setText("This catalog cannot be searched; browse its sections instead.")
            return
        client, feed = self.client, self.feed
        self.history.append(feed.url)
        self._ask(lambda: client.search(feed, text), self._show_feed, f"Searching for {text}…")

    def next_page(self) -> None:
        if self.client is None or self.feed is None or not self.feed.next_url or self._paging == self.feed.next_url:
            return
        client, url = self.client, self.feed.next_url
        self._paging = url
        self.status.setText("Fetching the next page…")
        bridge.start(self._fetch_page(lambda: client.feed(url)), what="Ask the catalog", owner=self)

    async def _fetch_page(self, call: Callable[[], Awaitable[OpdsFeed]]) -> None:
        try:
            await self._answer(call, self._append_page, quiet=False)
        finally:  # answered or not, More may be asked again
            self._paging = None

    def _activated(self, item: QListWidgetItem) -> None:
        entry: OpdsEntry = item.data(ENTRY_ROLE)
        if entry.is_navigation and entry.navigation_url:
            self.open_feed(entry.navigation_url)
        elif entry.best_acquisition() is not None:
            self.download()

    # ----- showing -------------------------------------------------------------------------------

    def _show_feed(self, feed: OpdsFeed | None) -> None:
        self.feed = feed
        self._generation += 1
        self.entries.clear()
        self.left.setCurrentWidget(self.listing)
        self.right.setVisible(True)
        self.back_button.setEnabled(bool(self.history))
        self.search.setEnabled(bool(feed and feed.searchable))
        if feed is None:
            self.more_button.setVisible(False)
            self._show_entry()
            return
        self._add_entries(feed)
        self.status.setText(f"{feed.title or 'Catalog'} · {self._count_text()}")
        if self.entries.count():
            self.entries.setCurrentRow(0)

    def _append_page(self, page: OpdsFeed) -> None:
        if self.feed is None:
            return
        self.feed = OpdsFeed(**{**{f: getattr(self.feed, f) for f in self.feed.__dataclass_fields__},
                                "entries": self.feed.entries + page.entries, "next_url": page.next_url})
        self._add_entries(page)
        self.status.setText(f"{self.feed.title or 'Catalog'} · {self._count_text()}")

    def _count_text(self) -> str:
        shown = self.entries.count()
        total = self.feed.total_results if self.feed else None
        return f"{shown} of {total}" if total and total > shown else f"{shown} entries"

    def _add_entries(self, feed: OpdsFeed) -> None:
        generation = self._generation
        for number, entry in enumerate(feed.entries):
            text = entry.title
            if entry.authors:
                text += f"\n{', '.join(entry.authors)}"
            formats = sorted({a.format for a in entry.acquisitions if a.downloadable and a.format})
            if formats:
                text += f"   ·  {', '.join(f.upper() for f in formats)}"
            item = QListWidgetItem(icon("series" if entry.is_navigation else "cover-placeholder"), text)
            item.setData(ENTRY_ROLE, entry)
            self.entries.addItem(item)
            picture = entry.thumbnail_url or entry.cover_url
            if picture and number < MAX_COVERS and self.client is not None:
                client, row = self.client, self.entries.count() - 1
                self._ask(lambda u=picture, c=client: c.cover(u), lambda data, r=row: self._set_cover(generation, r, data),
                          quiet=True)
        self.more_button.setVisible(bool(feed.next_url))

    def _set_cover(self, generation: int, row: int, data: bytes) -> None:
        if generation != self._generation or row >= self.entries.count():
            return
        picture = QPixmap()
        if picture.loadFromData(data):
            self.entries.item(row).setIcon(QIcon(picture.scaled(COVER_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                                                                Qt.TransformationMode.SmoothTransformation)))

    def _show_entry(self) -> None:
        item = self.entries.currentItem()
        entry: OpdsEntry | None = item.data(ENTRY_ROLE) if item is not None else None
        self.formats.clear()
        if entry is None:
            self.detail.clear()
            self.download_button.setEnabled(False)
            return
        parts = [f"<h3>{_html(entry.title)}</h3>"]
        if entry.authors:
            parts.append(f"<p>{_html(', '.join(entry.authors))}</p>")
        if entry.series:
            index = f" #{entry.series_index:g}" if entry.series_index is not None else ""
            parts.append(f"<p><i>{_html(entry.series)}{index}</i></p>")
        if entry.summary:
            parts.append(f"<p>{_html(entry.summary)}</p>")
        if entry.is_navigation:
            parts.append("<p><i>A section of the catalog: double-click to open it.</i></p>")
        self.detail.setHtml("".join(parts))
        best = entry.best_acquisition()
        for acquisition in entry.acquisitions:
            if acquisition.downloadable:
                size = f" · {acquisition.size / 1_048_576:.1f} MB" if acquisition.size else ""
                self.formats.addItem(f"{(acquisition.format or '').upper()}{size}", acquisition)
                if acquisition is best:
                    self.formats.setCurrentIndex(self.formats.count() - 1)
        self.download_button.setEnabled(self.formats.count() > 0)

    def download(self) -> None:
        item = self.entries.currentItem()
        acquisition = self.formats.currentData()
        if item is None or acquisition is None:
            return
        entry: OpdsEntry = item.data(ENTRY_ROLE)
        self.download_requested.emit(entry, acquisition, self.catalog_name)
        self.status.setText(f"Queued {entry.title} ({(acquisition.format or '').upper()}) in Downloads.")

    # ----- asking the catalog on the worker ------------------------------------------------------

    def _ask(self, call: Callable[[], Awaitable[Any]], then: Callable[[Any], None], doing: str = "", *,
             quiet: bool = False, failed: Callable[[str], None] | None = None) -> None:
        if doing:
            self.status.setText(doing)
        bridge.start(self._answer(call, then, quiet, failed), what="Ask the catalog", owner=self)

    async def _answer(self, call: Callable[[], Awaitable[Any]], then: Callable[[Any], None], quiet: bool,
                      failed: Callable[[str], None] | None = None) -> None:
        """``then`` with the answer; a failure said in the status line, or handed to ``failed``."""
        try:
            result = await self.worker.run(call)
        except BookDeskError as exc:
            said = exc.message + (f" (Ref {exc.correlation_id})" if exc.correlation_id else "")
        except Exception as exc:  # a bug, said plainly and logged with its Ref; the dialog stays usable
            said = f"Unexpected error: {exc} (Ref {log_failure('Asking the catalog', exc)})"
        else:
            if self.isVisible() or not quiet:
                then(result)
            return
        if failed is not None:
            failed(said)
        elif not quiet:
            self.status.setText(said)

    def _close_client(self) -> None:
        if self.client is not None:
            client, self.client = self.client, None
            if self.worker.running:  # its requests still on their way are given up first, then it closes
                self.worker.run(client.close).detach()

    def done(self, result: int) -> None:
        self._close_client()
        super().done(result)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
