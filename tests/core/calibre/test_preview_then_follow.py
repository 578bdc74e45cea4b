"""A preview left open while the scheduled follow job runs the same library: carried out after, the import
plans again and says plainly what the other run brought meanwhile (with its Ref), never a bare "nothing added"."""

from __future__ import annotations

from bookdesk.core.calibre.service import CalibreImportService
from tests.calibre_library import calibredb


def _preview(run_job, catalog, folder):
    importer = CalibreImportService(catalog)
    result, _ = run_job(catalog, lambda ctx: importer.preview(ctx, folder))
    assert result.state == "succeeded", result.error
    return result.value


def _carry_out(run_job, catalog, plan):
    importer = CalibreImportService(catalog)
    result, _ = run_job(catalog, lambda ctx: importer.run(ctx, plan.folder, previewed=plan), kind="calibre-import")
    assert result.state == "succeeded", result.error
    return result.value


def test_books_another_run_brought_meanwhile_are_said_with_its_ref(catalog, calibre_copy, bring_over, run_job):
    folder, listed = calibre_copy
    plan = _preview(run_job, catalog, folder)
    other = bring_over(catalog, folder)  # the follow job, while the preview is open

    report = _carry_out(run_job, catalog, plan)

    assert report.count("added") == 0
    summary = report.summary()
    assert summary.startswith(f"nothing added: {len(listed)} books the preview offered were brought over "
                              f"meanwhile (Ref {other.correlation_id})"), summary


def test_a_change_another_run_brought_meanwhile_is_said_and_a_later_one_comes(catalog, calibre_copy, bring_over,
                                                                              run_job, tmp_path):
    folder, _ = calibre_copy
    home = tmp_path / "home"
    bring_over(catalog, folder)
    calibredb(home, "set_metadata", "--with-library", str(folder), "--field", "title:Renamed", "2")
    plan = _preview(run_job, catalog, folder)
    other = bring_over(catalog, folder)
    calibredb(home, "set_metadata", "--with-library", str(folder), "--field", "title:Renamed again", "3")

    report = _carry_out(run_job, catalog, plan)

    assert report.updated == 1  # calibre's change since the preview: planned again, it comes
    assert f"1 change the preview offered was brought over meanwhile (Ref {other.correlation_id})" in report.summary()


def test_a_run_without_another_between_says_nothing_of_meanwhile(catalog, calibre_copy, run_job):
    folder, listed = calibre_copy
    report = _carry_out(run_job, catalog, _preview(run_job, catalog, folder))
    assert report.count("added") == len(listed) and "meanwhile" not in report.summary()
