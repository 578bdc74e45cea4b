"""Review Identifications ticks only what a candidate's score supports, and says when there is
nothing to review."""

from __future__ import annotations

from PySide6.QtCore import Qt

from bookdesk.core.candidate_scoring.decide import THRESHOLD
from tests.ui.test_identify_ui import fake_providers, library  # noqa: F401 - the fixtures, by name


def ticked(dialog) -> set[str]:  # noqa: ANN001
    return {dialog.fields.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(dialog.fields.rowCount())
            if dialog.fields.item(r, 0).checkState() == Qt.CheckState.Checked}


def proposed(dialog) -> set[str]:  # noqa: ANN001
    return {dialog.fields.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(dialog.fields.rowCount())}


def test_a_doubtful_candidate_has_only_the_fields_its_score_supports_ticked(
        qtbot, make_window, library, fake_providers) -> None:  # noqa: ANN001, F811
    service, (_wizard, tombs) = library
    window = make_window(service)
    window.library_view.table.selectAll()
    window.identify_action.trigger()
    qtbot.waitUntil(lambda: "to review" in window.status_label.text(), timeout=10000)
    window.review_action.trigger()
    dialog = window.review_dialog
    qtbot.addWidget(dialog)
    record = dialog.current_item()
    doubtful = [i for i, c in enumerate(record.candidates) if c["score"] < THRESHOLD]
    assert doubtful, [c["score"] for c in record.candidates]
    for index in doubtful:
        dialog.candidate.setCurrentIndex(index)
        # Another book's ISBN, description and publisher are not taken on a doubtful match unasked.
        assert "identifiers" in proposed(dialog)
        assert not {"identifiers", "description", "publisher"} & ticked(dialog)
        assert not dialog.use_cover.isChecked()
    # What the person ticks is applied all the same.
    dialog.candidate.setCurrentIndex(doubtful[0])
    title_row = next(r for r in range(dialog.fields.rowCount())
                     if dialog.fields.item(r, 0).data(Qt.ItemDataRole.UserRole) == "title")
    dialog.fields.item(title_row, 0).setCheckState(Qt.CheckState.Checked)
    wanted_title = dialog.fields.item(title_row, 2).text()
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: service.detail(tombs).title == wanted_title, timeout=10000)


def test_the_review_dialog_says_when_nothing_waits(qtbot, make_window, service) -> None:  # noqa: ANN001
    window = make_window(service)
    window.review_action.trigger()
    dialog = window.review_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.empty.isVisible()
    assert "Nothing to review" in dialog.empty.title.text()
    assert not dialog.fields.isVisible() and not dialog.apply_button.isVisible()
