"""Sources & Clients: OPDS catalogs, indexers (Torznab/Newznab), download clients (qBittorrent,
Transmission) with their path mappings, how much is downloaded at once, and Audiobookshelf servers. Passwords and API keys
go to the keyring, never to the settings file; a Test button asks the source itself (whoever shows
this page answers ``test_requested`` through ``show_test_result``)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QTabWidget, QVBoxLayout, QWidget

from bookdesk.core.secrets import SecretStore
from bookdesk.core.settings import Settings
from bookdesk.ui.settings.page import SettingsPage
from bookdesk.ui.settings.source_list import TITLES, SourceList


class SourcesPage(SettingsPage):
    key = "sources"
    title = "Sources & Clients"
    test_requested = Signal(str, dict, str)  # kind, the source as the settings keep it, its secret

    def __init__(self, settings: Settings, secrets: SecretStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.secrets = secrets
        self.tabs = QTabWidget()
        self.lists = {"opds": SourceList("opds", settings.opds_catalogs, secrets),
                      "indexer": SourceList("indexer", settings.indexers, secrets),
                      "client": SourceList("client", settings.download_clients, secrets),
                      "audiobookshelf": SourceList("audiobookshelf", settings.audiobookshelf_servers, secrets)}
        for kind, widget in self.lists.items():
            self.tabs.addTab(widget, TITLES[kind])
            widget.test_requested.connect(self.test_requested.emit)
        self.concurrency = _spin(1, 20, settings.download_concurrency)
        self.per_host = _spin(1, 20, settings.download_per_host)
        self.threshold = _spin(0, 100, round(settings.grab_threshold * 100))
        self.threshold.setSuffix(" %")
        self.threshold.setToolTip("A release must score at least this to be grabbed without asking you")
        limits = QHBoxLayout()
        for text, box in (("Downloads &at once:", self.concurrency), ("from &one server:", self.per_host),
                          ("&Grab releases scoring at least:", self.threshold)):
            label = QLabel(text)
            label.setBuddy(box)
            limits.addWidget(label)
            limits.addWidget(box)
        limits.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(limits)

    def values(self, settings: Settings) -> Settings:
        return replace(settings, opds_catalogs=self.lists["opds"].values(),
                       indexers=self.lists["indexer"].values(),
                       download_clients=self.lists["client"].values(),
                       audiobookshelf_servers=self.lists["audiobookshelf"].values(),
                       download_concurrency=self.concurrency.value(), download_per_host=self.per_host.value(),
                       grab_threshold=self.threshold.value() / 100)

    def commit_secrets(self) -> None:
        for widget in self.lists.values():
            widget.commit_secrets()

    commit = commit_secrets

    def show_test_result(self, kind: str, ok: bool, text: str, fingerprint: str = "") -> None:
        self.lists[kind].show_result(ok, text, fingerprint)


def _spin(low: int, high: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    return box
