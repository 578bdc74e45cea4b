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


def test_moving_in_a_link_takes_the_link_and_leaves_the_file_it_points_to(catalog, corpus, manifest,
                                                                          import_books, tmp_path, monkeypatch):
    """A link names the file; moving it in must not take away the real file elsewhere (an archive),
    however the link is named: by an absolute path, or relative to the folder the command runs in."""
    archive = tmp_path / "archive"
    archive.mkdir()
    books = [corpus / entry["file"] for entry in manifest[:2]]
    real = [archive / f"Real Book {n}.epub" for n in range(2)]
    for book, target in zip(books, real, strict=True):
        book.rename(target)
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    links = [downloads / f"link{n}.epub" for n in range(2)]
    for link, target in zip(links, real, strict=True):
        link.symlink_to(target)
    monkeypatch.chdir(tmp_path)

    result, report = import_books(catalog, [links[0], Path("Downloads") / links[1].name], mode="move")

    assert result.state == "succeeded" and report.count("added") == 2, report
    assert all(p.is_file() and not p.is_symlink() for p in real)
    assert not any(link.is_symlink() for link in links)
