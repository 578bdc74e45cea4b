"""Problems and warnings said in words read on either theme: a red and an amber at WCAG AA on the
window, whichever theme was in force when they were said."""

from __future__ import annotations

import pytest

from bookdesk.errors import BookDeskError
from bookdesk.ui.look_check import check_window
from bookdesk.ui.theme import set_palette
from tests.ui import settings_dialog_harness
from tests.ui.test_settings_dialog_scheduler import FakeScheduler

secrets, make_dialog = settings_dialog_harness.secrets, settings_dialog_harness.make_dialog
PROBLEM = "The schedule is kept in a catalog that cannot be read"


class Unreadable(FakeScheduler):
    def entries(self):  # noqa: ANN201 - as the real one
        raise BookDeskError(PROBLEM)


@pytest.mark.parametrize("dark", [False, True])
def test_a_problem_on_the_scheduler_page_reads_in_both_themes(qtbot, qapp, make_dialog, dark: bool) -> None:  # noqa: ANN001
    set_palette(qapp, dark=dark)
    try:
        dialog = make_dialog(scheduler=Unreadable(), page="scheduler")
        status = dialog.scheduler_page.status
        qtbot.waitUntil(lambda: status.isVisible() and status.text() == PROBLEM)
        assert [str(f) for f in check_window(dialog) if PROBLEM[:40] in f.what] == []
    finally:
        set_palette(qapp, dark=False)
