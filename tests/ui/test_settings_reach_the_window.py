"""Settings saved in the Settings dialog reach what uses them at once, without a restart."""

from __future__ import annotations

from bookdesk.data.work_repository import WorkRepository
from tests.ui.settings_dialog_harness import save
from tests.ui.test_series_views import add_book, show_earthsea_checked_twice


def move_to_top(page, provider: str) -> None:  # noqa: ANN001 - the Providers page
    """As a person does it: select the provider and press Move Up until it is first."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    up = next(b for b in page.findChildren(QPushButton) if b.text() == "Move &Up")
    row = next(r for r in range(page.order.count())
               if page.order.item(r).data(Qt.ItemDataRole.UserRole) == provider)
    page.order.setCurrentRow(row)
    for _ in range(row):
        up.click()
    assert page.order.item(0).data(Qt.ItemDataRole.UserRole) == provider


def test_a_changed_provider_order_reaches_the_series_view_without_a_restart(qtbot, make_window, service, loaded):
    with service.catalog.write() as session:
        repo = WorkRepository(session)
        add_book(repo, "A Wizard of Earthsea", "1")
    window = make_window(service)
    detail = show_earthsea_checked_twice(window, loaded)
    assert detail.confidence.text().startswith("Hardcover lists")  # the default order: Hardcover first

    dialog = window.edit_settings("providers")
    qtbot.addWidget(dialog)
    move_to_top(dialog.providers_page, "openlibrary")
    save(dialog)

    qtbot.waitUntil(lambda: detail.confidence.text().startswith("Open Library lists"), timeout=10_000)
    assert window.series.summaries()[0].sources[0] == "openlibrary"
