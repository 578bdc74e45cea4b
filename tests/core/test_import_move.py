"""Moving books in: a source goes only after its copy is in the library and in the catalog."""

from __future__ import annotations

from pathlib import Path

from bookdesk.data.work_repository import WorkRepository


def test_a_source_that_cannot_be_removed_stays_and_its_book_is_still_added(catalog, corpus, manifest,
                                                                           import_books, monkeypatch):
    stubborn = corpus / manifest[0]["file"]
    real_unlink = Path.unlink

    def unlink(self, missing_ok=False):  # noqa: ANN001
        if self == stubborn:
            raise PermissionError(13, "Permission denied")
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    result, report = import_books(catalog, [corpus], mode="move")

    assert result.state == "succeeded"
    assert report.count("added") == len(manifest) and not report.failed
    assert stubborn.exists()
    assert [p.name for p in corpus.glob("*.epub")] == [stubborn.name]
    with catalog.read() as session:
        assert len(WorkRepository(session).ids()) == len(manifest)
