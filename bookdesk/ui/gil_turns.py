"""The window's process hands the GIL over every millisecond instead of every five.

Qt calls into Python many times for one event: a table's paint asks the model's ``index``,
``rowCount`` and ``data`` for every cell, and each call takes the GIL and gives it back. While a
thread of the worker runs Python (an import matching 100,000 works, a view's rows read on the
worker), the GUI thread, to take it back, waits until that thread is told to let go: up to the
switch interval each time, CPython's 5 ms by default. A paint of a few hundred calls then held the
window for up to 1.3 s while the GUI thread itself did 20 to 50 ms of work (bench/ui_stalls.py,
import: py-spy showed the GUI thread in ``Shiboken::GilState::acquire`` under
``QTableView::paintEvent`` while a worker thread held the GIL in ``LibraryIndex.load_works``).
At 1 ms such a wait is a fifth as long (100,000 books, ``--only views,import``, eight runs each,
alternating, load 1.1-4: import's longest stall 79-1177 ms, five of eight over 440 ms, against
81-302 ms; views unchanged). Process-wide: the app sets it once; commands and tests keep CPython's.
"""

from __future__ import annotations

import sys

GUI_SWITCH_INTERVAL_S = 0.001


def quicken_gil_turns() -> None:
    """Let a thread waiting for the GIL (the GUI thread) have it after at most GUI_SWITCH_INTERVAL_S."""
    if sys.getswitchinterval() > GUI_SWITCH_INTERVAL_S:
        sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
