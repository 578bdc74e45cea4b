"""A book changed both in calibre and in BookDesk goes to review with calibre's side proposed: calibre's cover
of it is shown there, not "no cover". The library is made by the real calibredb."""

from __future__ import annotations

from bookdesk.core.calibre.plan import CALIBRE_ID
from bookdesk.core.calibre.service import CalibreImportService
from tests.calibre_library import calibre_copy_fixture, calibre_made_fixture, calibredb  # noqa: F401 - fixtures


def test_calibres_side_in_review_shows_calibres_cover(qtbot, make_window, service, calibre_copy, run_job,
                                                      tmp_path) -> None:
    folder, _ = calibre_copy
    importer = CalibreImportService(service.catalog)
    run_job(service.catalog, lambda ctx: importer.run(ctx, folder))
    first = next(d for d in service.details(service.work_ids()) if d.identifiers.get(CALIBRE_ID) == "1")
    service.edit(first.id, "publisher", "Our Press")
    calibredb(tmp_path / "home", "set_metadata", "--with-library", str(folder), "--field", "publisher:Their Press",
              "1")
    run_job(service.catalog, lambda ctx: importer.run(ctx, folder))
    window = make_window(service)

    window.review_action.trigger()
    dialog = window.review_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.current_item() is not None, timeout=10000)

    assert dialog.proposed_cover.text() != "no cover"
    assert not dialog.proposed_cover.pixmap().isNull()
