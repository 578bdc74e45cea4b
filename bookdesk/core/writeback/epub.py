"""Writing metadata into an EPUB: only the package document (OPF) changes.

The new EPUB is written beside the old one under a hidden name: ``mimetype`` first and
stored, the OPF rewritten, every other member copied as its raw compressed bytes. It is
then read back with BookDesk's own EPUB reader, and replaces the original (an atomic rename)
only if every written field reads back as written and the original has not changed meanwhile.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from bookdesk.core.importer import book_xml
from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.core.importer.readers import safe_zip
from bookdesk.core.importer.readers.epub import MAX_DESCRIPTION_CHARS, MAX_XML_BYTES, NS, read_epub
from bookdesk.core.importer.readers.tag_values import language_code, published_from
from bookdesk.core.writeback import opf, opf_xml, zip_copy
from bookdesk.core.writeback.errors import WritebackError
from bookdesk.core.writeback.files import describe, discard, finish, snapshot, temp_beside
from bookdesk.core.writeback.metadata import WritableMetadata
from bookdesk.data.catalog_rows import SeriesRef
from bookdesk.errors import BookDeskError
from bookdesk.vocabulary.positions import position_label

log = logging.getLogger(__name__)

_TAGS = re.compile(r"<[^>]+>")  # as the reader strips them from descriptions


def write_epub_metadata(path: Path, meta: WritableMetadata, *,
                        before_replace: Callable[[Path], object] | None = None) -> bool:
    """Write ``meta`` into the EPUB at ``path``. Returns False (and leaves the file alone) when the
    file already says all that.

    ``before_replace(path)`` is called once the new version has been checked, just before it
    takes the original's place (the library's backup hook); if it raises, nothing is replaced.
    Raises WritebackError naming the file; the original is then exactly as it was.
    """
    before = snapshot(path)
    temp: Path | None = None
    try:
        with safe_zip.open_zip(path, "EPUB") as archive, path.open("rb") as raw:
            package = _package_name(archive)
            original = safe_zip.read_member(archive, archive.getinfo(package), MAX_XML_BYTES, "package document")
            tree = opf_xml.parse(original)
            expected_series = opf.OpfEditor(tree).apply(meta)
            if not mismatches(read_epub(path), meta, expected_series):
                return False
            new_package = opf_xml.serialize(tree, original)
            copied = {i.filename: (i.CRC, i.compress_size, i.file_size) for i in archive.infolist()
                      if i.filename not in (package, zip_copy.MIMETYPE)}
            temp = temp_beside(path)
            with temp.open("xb") as out:
                zip_copy.rewrite(archive, raw, out, package, new_package,
                                 lambda info: safe_zip.read_member(archive, info, 1024, "mimetype"))
        _check_archive(temp, copied)
        wrong = mismatches(read_epub(temp), meta, expected_series)
        if wrong:
            raise WritebackError(f"the rewritten book did not read back as written ({', '.join(wrong)})")
        if before_replace is not None:
            before_replace(path)
        finish(temp, path, before)
        temp = None
        log.info("wrote metadata into %s", path.name)
        return True
    except BookDeskError as exc:  # ours, or the readers' ImportFailedError (damaged zip, oversized members)
        raise _named(exc, path) from exc
    except zipfile.BadZipFile as exc:
        raise WritebackError(f"{path.name} is not a valid EPUB ({exc}); it was left as it was.") from exc
    except OSError as exc:
        raise WritebackError(describe(exc, path)) from exc
    finally:
        discard(temp)


def mismatches(book: BookMetadata, meta: WritableMetadata, series: list[SeriesRef]) -> list[str]:
    """The fields of ``meta`` that ``book`` (as BookDesk's EPUB reader read it) does not say."""
    wrong = []
    if meta.title and book.title != _line(meta.title):
        wrong.append("title")
    if meta.authors and [(a.name, a.sort_name) for a in book.authors] != [
            (_line(a.name), _line(a.sort_name)) for a in meta.authors]:
        wrong.append("authors")
    if series and [(s.name, s.label) for s in book.series] != [(_line(s.name), position_label(s.label))
                                                              for s in series]:
        wrong.append("series")
    if meta.isbn and book.identifiers.get("isbn") != meta.isbn:
        wrong.append("isbn")
    if meta.asin and book.identifiers.get("asin") != meta.asin:
        wrong.append("asin")
    if meta.language and book.language != language_code(meta.language):
        wrong.append("language")
    if meta.publisher and book.publisher != _line(meta.publisher):
        wrong.append("publisher")
    if meta.date and book.published != (published_from(meta.date) or meta.date):
        wrong.append("date")
    if meta.description and book.description != _description(meta.description):
        wrong.append("description")
    return wrong


def _package_name(archive: zipfile.ZipFile) -> str:
    try:
        info = archive.getinfo("META-INF/container.xml")
    except KeyError:
        raise WritebackError("it has no META-INF/container.xml, so it is not a valid EPUB") from None
    container = book_xml.parse(safe_zip.read_member(archive, info, MAX_XML_BYTES, "EPUB container"),
                               "EPUB container")
    rootfile = container.find(".//c:rootfile", NS)
    name = rootfile.get("full-path") if rootfile is not None else None
    if not name:
        raise WritebackError("its container does not name its package document")
    try:
        archive.getinfo(name)
    except KeyError:
        raise WritebackError(f"its package document {name} is missing") from None
    return name


def _check_archive(temp: Path, copied: dict[str, tuple[int, int, int]]) -> None:
    """The new archive holds every member the old one did, unchanged, with ``mimetype`` first and stored."""
    with zipfile.ZipFile(temp) as archive:
        infos = archive.infolist()
        if not infos or infos[0].filename != zip_copy.MIMETYPE or infos[0].compress_type != zipfile.ZIP_STORED:
            raise WritebackError("the rewritten book did not start with a stored mimetype")
        now = {i.filename: (i.CRC, i.compress_size, i.file_size) for i in infos}
        lost = [name for name, facts in copied.items() if now.get(name) != facts]
        if lost:
            raise WritebackError(f"the rewritten book lost or changed {lost[0]}")


def _line(value: str) -> str:
    return " ".join(value.split())


def _description(value: str) -> str:
    return _TAGS.sub("", _line(value))[:MAX_DESCRIPTION_CHARS].strip()


def _named(exc: BookDeskError, path: Path) -> WritebackError:
    """One sentence naming the file: checks raise fragments ("its package document ..."), file
    operations whole sentences that already name it."""
    if exc.message.startswith(path.name):
        return WritebackError(exc.message, detail=exc.detail)
    return WritebackError(f"{path.name}: {exc.message.rstrip('.')}; the file was left as it was.", detail=exc.detail)
