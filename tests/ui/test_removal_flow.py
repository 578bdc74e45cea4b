"""Remove from Library, Remove Format, Merge Books and Split Format from the window: asked first, done
on the worker, said in the status bar with the Ref, and undone by Edit → Undo."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_rows import NewFile
from bookdesk.data.work_repository import WorkRepository
from bookdesk.ui.dialogs.removal_dialogs import FormatChooser, MergeDialog, RemoveBooksDialog
from bookdesk.ui.removal_flow import merge_books, remove_books, remove_format, split_format
from tests.ui.activity_harness import undo_in_activity
from tests.ui.test_book_actions import select_rows


def _trash() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "Trash" / "files"


def _asked(qtbot, window, kind):  # noqa: ANN001
    qtbot.waitUntil(lambda: window.findChild(kind) is not None and window.findChild(kind).isVisible())
    return window.findChild(kind)


def _press(qtbot, dialog) -> None:  # noqa: ANN001
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)


def _said(window) -> str:  # noqa: ANN001
    return window.jobs.label.text()


def _second_format(service: LibraryService, work_id: int) -> str:
    relative = f"{Path(service.detail(work_id).files[0].path).parent.as_posix()}/extra.pdf"
    place = service.absolute(relative)
    place.write_bytes(b"%PDF-1.4 extra")
    with service.catalog.write() as session:
        WorkRepository(session).add_file(work_id, NewFile(relative, "pdf", "ebook", 14, place.stat().st_mtime,
                                                          hashlib.sha256(b"%PDF-1.4 extra").hexdigest()))
    return relative


def test_remove_asks_naming_books_and_files_then_trashes_and_undo_brings_back(qtbot, make_window, filled_service):
    service = filled_service
    ids = service.work_ids()[:2]
    files = [service.absolute(service.detail(i).files[0].path) for i in ids]
    window = make_window(service)

    remove_books(window, ids)
    dialog = _asked(qtbot, window, RemoveBooksDialog)
    assert dialog.question.text() == "Remove 2 books from the library? Their 2 files go to the system trash."
    assert dialog.action_button.text() == "Remove"
    _press(qtbot, dialog)

    qtbot.waitUntil(lambda: "Ref BD-" in _said(window), timeout=20000)
    assert _said(window).startswith("Removed 2 books, 2 files moved to the trash (Ref BD-")
    assert not any(f.exists() for f in files) and {f.name for f in files} <= {p.name for p in _trash().iterdir()}
    assert not set(ids) & set(service.work_ids())
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() == len(service.work_ids()))
    assert window.edits.action.text() == "&Undo removal"

    window.edits.action.trigger()

    qtbot.waitUntil(lambda: set(ids) <= set(service.work_ids()), timeout=20000)
    qtbot.waitUntil(lambda: all(f.exists() for f in files), timeout=20000)
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() == len(service.work_ids()))


def test_keep_the_files_leaves_them_on_disk_and_the_question_says_so(qtbot, make_window, filled_service):
    service = filled_service
    work_id = service.work_ids()[0]
    file = service.absolute(service.detail(work_id).files[0].path)
    window = make_window(service)

    remove_books(window, [work_id])
    dialog = _asked(qtbot, window, RemoveBooksDialog)
    dialog.keep.setChecked(True)
    assert "Its file stays on disk where it is." in dialog.question.text()
    assert f"(“{service.detail(work_id).title}”)" in dialog.question.text()
    _press(qtbot, dialog)

    qtbot.waitUntil(lambda: work_id not in service.work_ids(), timeout=20000)
    assert file.exists() and not _trash().exists()


def test_cancel_removes_nothing(qtbot, make_window, filled_service):
    service = filled_service
    before = service.work_ids()
    window = make_window(service)

    remove_books(window, before[:3])
    dialog = _asked(qtbot, window, RemoveBooksDialog)
    dialog.reject()

    qtbot.waitUntil(lambda: window.findChild(RemoveBooksDialog) is None)
    assert service.work_ids() == before and not window.edits.action.isEnabled()


def test_a_book_that_cannot_go_is_named_with_the_ref_and_the_rest_go(qtbot, make_window, filled_service,
                                                                       immutable):
    service = filled_service
    stuck, goes = service.work_ids()[:2]
    immutable(service.absolute(service.detail(stuck).files[0].path).parent)
    window = make_window(service)

    remove_books(window, [stuck, goes])
    _press(qtbot, _asked(qtbot, window, RemoveBooksDialog))

    box = _asked(qtbot, window, QMessageBox)
    assert f"“{service.detail(stuck).title}” was not removed" in box.text() and "Ref BD-" in box.text()
    assert stuck in service.work_ids() and goes not in service.work_ids()
    assert "1 book left as they were" in _said(window)


def test_remove_format_chooses_the_file_and_the_book_stays(qtbot, make_window, filled_service):
    service = filled_service
    work_id = service.work_ids()[0]
    extra = _second_format(service, work_id)
    window = make_window(service)

    remove_format(window, work_id)
    chooser = _asked(qtbot, window, FormatChooser)
    assert chooser.files.count() == 2 and chooser.keep.isVisibleTo(chooser)
    chooser.files.setCurrentRow(next(r for r in range(2) if chooser.files.item(r).toolTip() == extra))
    _press(qtbot, chooser)

    qtbot.waitUntil(lambda: len(service.detail(work_id).files) == 1, timeout=20000)
    assert service.detail(work_id).files[0].format == "epub" and (_trash() / "extra.pdf").is_file()
    qtbot.waitUntil(lambda: "Removed 1 format, 1 file moved to the trash (Ref BD-" in _said(window))


def test_merge_keeps_the_chosen_record_and_undo_separates_them(qtbot, make_window, filled_service):
    service = filled_service
    first, second = service.work_ids()[:2]
    kept_title = service.detail(second).title
    window = make_window(service)

    merge_books(window, [first, second])
    dialog = _asked(qtbot, window, MergeDialog)
    assert dialog.action_button.text() == "Merge 2 Books"
    dialog.books.setCurrentRow(1)
    _press(qtbot, dialog)

    qtbot.waitUntil(lambda: first not in service.work_ids(), timeout=20000)
    assert service.detail(second).title == kept_title and len(service.detail(second).files) == 2
    qtbot.waitUntil(lambda: "Merged 2 books into one (Ref BD-" in _said(window))

    window.edits.action.trigger()

    qtbot.waitUntil(lambda: first in service.work_ids(), timeout=20000)
    assert len(service.detail(first).files) == 1 and len(service.detail(second).files) == 1


def test_split_makes_a_book_of_the_chosen_format(qtbot, make_window, filled_service):
    service = filled_service
    work_id = service.work_ids()[0]
    before = set(service.work_ids())
    extra = _second_format(service, work_id)
    window = make_window(service)

    split_format(window, work_id)
    chooser = _asked(qtbot, window, FormatChooser)
    assert not chooser.keep.isVisibleTo(chooser)
    chooser.files.setCurrentRow(next(r for r in range(2) if chooser.files.item(r).toolTip() == extra))
    _press(qtbot, chooser)

    qtbot.waitUntil(lambda: len(service.work_ids()) == len(before) + 1, timeout=20000)
    [new_id] = set(service.work_ids()) - before
    assert [f.path for f in service.detail(new_id).files] == [extra]
    assert service.detail(new_id).title == service.detail(work_id).title


@pytest.mark.parametrize("action", [remove_format, split_format])
def test_a_book_with_too_few_formats_is_said_and_nothing_asked(qtbot, make_window, filled_service, action):
    service = filled_service
    work_id = service.work_ids()[0]
    window = make_window(service)
    if action is remove_format:
        with service.catalog.write() as session:  # a book with no file left
            from sqlalchemy import delete

            from bookdesk.data.models import File

            session.execute(delete(File).where(File.work_id == work_id))

    action(window, work_id)

    qtbot.waitUntil(lambda: "nothing to split out" in _said(window) or "no format to remove" in _said(window))
    assert window.findChild(FormatChooser) is None


def test_merge_needs_two_books(qtbot, make_window, filled_service):
    window = make_window(filled_service)
    merge_books(window, filled_service.work_ids()[:1])
    assert _said(window) == "Select two or more books that are one work to merge them."


def test_activity_undoes_a_removal_and_names_a_file_the_trash_no_longer_has(qtbot, make_window, filled_service,
                                                                             monkeypatch):
    service = filled_service
    work_id = service.work_ids()[0]
    file = service.absolute(service.detail(work_id).files[0].path)
    window = make_window(service)
    remove_books(window, [work_id])
    _press(qtbot, _asked(qtbot, window, RemoveBooksDialog))
    qtbot.waitUntil(lambda: "Ref BD-" in _said(window), timeout=20000)
    [job] = [j for j in service.jobs() if j.kind == "remove"]
    (_trash() / file.name).unlink()  # the trash emptied since

    undo_in_activity(qtbot, window, job.correlation_id, monkeypatch)

    qtbot.waitUntil(lambda: work_id in service.work_ids(), timeout=20000)
    box = _asked(qtbot, window, QMessageBox)
    assert f"{file.name} is no longer in the trash" in box.text()
    assert service.detail(work_id).files == ()
    box.close()

    title = service.detail(work_id).title
    window.show_view("library")
    view = window.library_view
    view.refresh()
    qtbot.waitUntil(lambda: work_id in [view.model.work_id(r) for r in range(view.model.rowCount())])
    select_rows(view, [view.model.work_id(r) for r in range(view.model.rowCount())].index(work_id))
    window.book_actions.open.trigger()  # the book back without its files is not called wanted
    qtbot.waitUntil(lambda: "not in the library" in _said(window))
    assert title in _said(window) and "wanted" not in _said(window)


def test_the_format_chooser_shows_every_format_whole(qtbot, make_window, filled_service):
    service = filled_service
    work_id = service.work_ids()[0]
    first = service.detail(work_id).files[0].path
    deep = f"{Path(first).parent.as_posix()}/{'a long folder name ' * 6}/{'and a long file name ' * 4}.pdf"
    service.absolute(deep).parent.mkdir(parents=True)
    service.absolute(deep).write_bytes(b"%PDF-1.4 deep")
    with service.catalog.write() as session:
        WorkRepository(session).add_file(work_id, NewFile(deep, "pdf", "ebook", 13, 0.0, "0" * 64))
    window = make_window(service)

    split_format(window, work_id)
    chooser = _asked(qtbot, window, FormatChooser)

    qtbot.waitUntil(lambda: chooser.files.viewport().height() > 0)
    shown = chooser.files.viewport().rect()
    assert not chooser.files.horizontalScrollBar().isVisible()
    for row in range(chooser.files.count()):
        place = chooser.files.visualItemRect(chooser.files.item(row))
        assert shown.top() <= place.top() and place.bottom() <= shown.bottom(), row
    assert any(Path(deep).name in chooser.files.item(r).text() for r in range(chooser.files.count()))


def test_split_and_remove_format_are_offered_only_for_a_book_with_two_files(qtbot, make_window, filled_service):
    service = filled_service
    one_file, two_files = service.work_ids()[:2]
    _second_format(service, two_files)
    window = make_window(service)
    view, actions = window.library_view, window.book_actions

    for work_id, offered in ((one_file, False), (two_files, True)):
        view.table.selectRow(view.model.row_of(work_id))
        qtbot.waitUntil(lambda w=work_id: view.selected_ids() == [w])
        assert (actions.split.isEnabled(), actions.remove_format.isEnabled()) == (offered, offered), work_id
        assert actions.remove.isEnabled()
