"""Appearance and desktop life: light or dark, keeping BookDesk in the tray when its window closes,
and starting it when the person logs in."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.settings import Settings
from bookdesk.ui.settings.page import SettingsPage
from bookdesk.ui.settings.theme_choice import THEMES

HINT_STYLE = "color: palette(placeholder-text);"


class AppearancePage(SettingsPage):
    key = "appearance"
    title = "Appearance"

    def __init__(self, settings: Settings, parent: QWidget | None = None, *,
                 tray_available: bool | None = None) -> None:
        super().__init__(parent)
        self.theme = QComboBox()
        for value, text in THEMES.items():
            self.theme.addItem(text, value)
        chosen = self.theme.findData(settings.theme)
        self.theme.setCurrentIndex(max(chosen, 0))
        theme_form = QFormLayout()
        theme_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        theme_form.addRow("&Colours:", self.theme)
        theme_box = QGroupBox("Look")
        theme_box.setLayout(theme_form)

        if tray_available is None:
            tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        self.close_to_tray = QCheckBox("&Keep BookDesk running in the tray when its window is closed")
        self.close_to_tray.setToolTip("Scheduled jobs and downloads go on; quit from the tray menu")
        self.close_to_tray.setChecked(settings.close_to_tray)
        self.tray_note = QLabel("" if tray_available else
                                "This desktop shows no tray icons, so closing the window quits BookDesk.")
        self.tray_note.setWordWrap(True)
        self.tray_note.setStyleSheet(HINT_STYLE)
        self.tray_note.setVisible(not tray_available)
        self.close_to_tray.setEnabled(tray_available)
        self.start_at_login = QCheckBox("&Start BookDesk when I log in")
        self.start_at_login.setToolTip("BookDesk starts in the tray, so scheduled jobs run without opening it")
        self.start_at_login.setChecked(settings.start_at_login)
        life = QVBoxLayout()
        life.addWidget(self.close_to_tray)
        life.addWidget(self.tray_note)
        life.addWidget(self.start_at_login)
        life_box = QGroupBox("Running in the background")
        life_box.setLayout(life)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(theme_box)
        layout.addWidget(life_box)
        layout.addStretch(1)

    def values(self, settings: Settings) -> Settings:
        return replace(settings, theme=self.theme.currentData(), close_to_tray=self.close_to_tray.isChecked(),
                       start_at_login=self.start_at_login.isChecked())
