"""An interval as a person says it: a number and a unit (every 6 hours, every 7 days)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QSpinBox, QWidget

from bookdesk.core.scheduler.timing import MAX_INTERVAL
from bookdesk.ui.settings.schedule_text import UNITS, interval_parts


class IntervalEdit(QWidget):
    changed = Signal(int)  # seconds

    def __init__(self, seconds: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count = QSpinBox()
        self.count.setMinimum(1)
        self.count.setAccelerated(True)
        # As wide as four digits (up to 9999 minutes), not as the 525,600 a year of minutes allows: the
        # Scheduler table's job names need the room.
        four_digits = QSpinBox()
        four_digits.setMaximum(9999)
        self.count.setFixedWidth(four_digits.sizeHint().width())
        self.unit = QComboBox()
        for name, unit in UNITS:
            self.unit.addItem(name, unit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 2, 0)
        layout.setSpacing(4)
        layout.addWidget(self.count)
        layout.addWidget(self.unit)
        self.set_seconds(seconds)
        self.count.valueChanged.connect(lambda _v: self.changed.emit(self.seconds()))
        self.unit.currentIndexChanged.connect(self._unit_changed)
        self.setFocusProxy(self.count)

    def seconds(self) -> int:
        return self.count.value() * int(self.unit.currentData())

    def set_seconds(self, seconds: int) -> None:
        count, unit = interval_parts(seconds)
        blocked = self.count.blockSignals(True), self.unit.blockSignals(True)
        self.unit.setCurrentIndex(self.unit.findData(unit))
        self.count.setMaximum(MAX_INTERVAL // unit)
        self.count.setValue(count)
        self.count.blockSignals(blocked[0])
        self.unit.blockSignals(blocked[1])

    def _unit_changed(self) -> None:
        # The longest interval the scheduler takes is a year, whatever the unit.
        self.count.setMaximum(MAX_INTERVAL // int(self.unit.currentData()))
        self.changed.emit(self.seconds())
