"""The Send to Audiobookshelf dialog as a person reads it: every line of its text shown whole, a server
that did not answer said under the choice."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from bookdesk.core.audiobookshelf.send import SendTarget
from bookdesk.ui.dialogs.abs_send_dialog import AbsSendDialog

DOWN = "Audiobookshelf server Cabin cannot be reached at http://cabin:13378: is it running, and is the address right?"


def test_its_text_is_shown_whole_beside_the_libraries_offered(qtbot) -> None:
    dialog = AbsSendDialog([SendTarget("Home NAS", "Audiobooks"), SendTarget("Home NAS", "Ebooks")], 3, [DOWN])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    labels = dialog.findChildren(QLabel)
    assert [label.text() for label in labels][1:] == [DOWN]
    for label in labels:  # neither cut at the dialog's edge nor squeezed under the next line
        assert label.geometry().right() <= dialog.width()
        assert label.height() >= label.heightForWidth(label.width()) if label.wordWrap() else \
            label.sizeHint().width() <= label.width()
    assert dialog.chosen() == SendTarget("Home NAS", "Audiobooks")
