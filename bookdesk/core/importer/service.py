"""The import pipeline: discover, read (in parallel), detect duplicates, plan, apply, commit.

Each file is one item: a file that cannot be read fails alone, with its reason and the
job's correlation id, and the batch goes on. Files are copied to the library's staging
folder and renamed into place, so a crash never leaves a half-written book; the
catalog is committed in batches, and a source is removed (``move``) only after its
copy is committed.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.core.importer.readers.epub import read_epub
from bookdesk.core.jobs import JobContext
from bookdesk.core.path_template import DEFAULT_TEMPLATE, PathFields, render
from bookdesk.data.catalog import Catalog
from bookdesk.data.records import Contributor, NewFile, NewWork
from bookdesk.data.sort_keys import author_sort
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import BookDeskError, ImportFailedError, UsageError

log = logging.getLogger(__name__)

SUPPORTED = {".epub": ("epub", "ebook")}
MODES = ("copy", "move", "link")
STAGING = ".staging"
_COMMIT_BATCH = 200
_HASH_CHUNK = 1024 * 1024


@dataclass(slots=True)
class ImportItem:
    path: str
    status: str  # added, duplicate, failed
    work_id: int | None = None
    error: str | None = None
    correlation_id: str | None = None


@dataclass(slots=True)
class ImportReport:
    correlation_id: str
    items: list[ImportItem] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def failed(self) -> list[ImportItem]:
        return [item for item in self.items if item.status == "failed"]

    def summary(self) -> str:
        parts = [f"{self.count('added')} added"]
        if self.count("duplicate"):
            parts.append(f"{self.count('duplicate')} already in the library")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        return ", ".join(parts)


@dataclass(slots=True)
class _Read:
    source: Path
    content_hash: str
    size: int
    mtime: float
    metadata: BookMetadata
    format: str
    media_kind: str


class ImportService:
    def __init__(self, catalog: Catalog, template: str = DEFAULT_TEMPLATE) -> None:
        self.catalog = catalog
        self.template = template

    @staticmethod
    def job_title(sources: Sequence[Path]) -> str:
        """What the Activity view calls an import of ``sources``."""
        if len(sources) == 1:
            return f"Import {Path(sources[0]).name or sources[0]}"
        return f"Import {len(sources)} items"

    @staticmethod
    def discover(paths: Iterable[Path]) -> tuple[list[Path], list[ImportItem]]:
        """Book files under ``paths`` (folders walked without following links), and items for what
        could not be used at all."""
        found: list[Path] = []
        problems: list[ImportItem] = []
        seen: set[Path] = set()
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                for folder, dirs, files in os.walk(path, followlinks=False):
                    dirs.sort()
                    for name in sorted(files):
                        candidate = Path(folder) / name
                        if candidate.suffix.lower() in SUPPORTED and not candidate.is_symlink():
                            found.append(candidate)
            elif path.is_file():
                if path.suffix.lower() in SUPPORTED:
                    found.append(path)
                else:
                    problems.append(ImportItem(str(path), "failed", error=f"{path.name}: this kind of file "
                                               "is not supported yet (EPUB only)."))
            else:
                problems.append(ImportItem(str(path), "failed", error=f"{path} does not exist."))
        unique = []
        for path in found:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                unique.append(path)
        return unique, problems

    async def run(self, ctx: JobContext, paths: Sequence[Path], mode: str = "copy") -> ImportReport:
        if mode not in MODES:
            raise UsageError(f"Import mode must be one of {', '.join(MODES)}.")
        started = time.perf_counter()
        report = ImportReport(ctx.correlation_id)
        files, problems = self.discover(paths)
        for problem in problems:
            problem.correlation_id = ctx.correlation_id
            log.warning("import skipped: %s", problem.error)
        report.items.extend(problems)
        total = len(files)
        ctx.report(0.0, f"Found {total} book files")
        loop = asyncio.get_running_loop()
        pending: list[tuple[_Read, str]] = []
        seen_hashes: dict[str, ImportItem] = {}
        copies: list[tuple[ImportItem, ImportItem]] = []  # (duplicate, the item of this batch it copies)
        with self.catalog.read() as session:
            taken = WorkRepository(session).file_paths()  # grows with every file staged in this batch
        with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
            futures = [loop.run_in_executor(pool, _read_file, path) for path in files]
            try:
                for done, (path, future) in enumerate(zip(files, futures, strict=True), start=1):
                    ctx.check_cancelled()
                    try:
                        read = await future
                        item = self._place(read, ctx, seen_hashes, taken, pending, mode)
                        if item.status == "staged":
                            taken.add(pending[-1][1])
                        elif item.work_id is None:  # a second copy of a file staged in this batch
                            copies.append((item, seen_hashes[read.content_hash]))
                    except BookDeskError as exc:
                        item = ImportItem(str(path), "failed", error=exc.message,
                                          correlation_id=ctx.correlation_id)
                        log.warning("import failed for %s: %s", path, exc.message)
                    except OSError as exc:
                        item = ImportItem(str(path), "failed", error=f"{path.name}: {exc.strerror or exc}",
                                          correlation_id=ctx.correlation_id)
                        log.warning("import failed for %s: %s", path, exc)
                    report.items.append(item)
                    if len(pending) >= _COMMIT_BATCH:
                        self._commit(pending, report, mode)
                    ctx.report(done / max(total, 1), f"{done} of {total} files")
            except BaseException:
                # Cancelled (or stopped): read no more files, and catalog the copies already whole in
                # the library rather than leave files there that the library does not know.
                pool.shutdown(wait=False, cancel_futures=True)
                self._commit(pending, report, mode)
                raise
        self._commit(pending, report, mode)
        for duplicate, original in copies:
            duplicate.work_id = original.work_id
        report.seconds = time.perf_counter() - started
        ctx.summary = report.summary()
        return report

    def _place(self, read: _Read, ctx: JobContext, seen: dict[str, ImportItem], taken: set[str],
               pending: list[tuple[_Read, str]], mode: str) -> ImportItem:
        """Decide what one read file becomes: a duplicate, or a file staged for the next commit."""
        source = str(read.source)
        if read.content_hash in seen:
            return ImportItem(source, "duplicate", work_id=seen[read.content_hash].work_id,
                              correlation_id=ctx.correlation_id)
        with self.catalog.read() as session:
            repo = WorkRepository(session)
            existing = repo.find_by_file_hash(read.content_hash)
            isbn = read.metadata.identifiers.get("isbn")
            same_work = repo.find_by_identifier("isbn", isbn) if isbn and existing is None else None
            if same_work is not None and read.format in {f.format for f in repo.detail(same_work).files}:
                existing = (same_work, "")
        if existing is not None:
            item = ImportItem(source, "duplicate", work_id=existing[0], correlation_id=ctx.correlation_id)
            seen[read.content_hash] = item
            return item
        target = _unique(self._plan(read), taken, self.catalog.folder)
        self._apply(read.source, target, mode)
        item = ImportItem(source, "staged", correlation_id=ctx.correlation_id)
        seen[read.content_hash] = item
        pending.append((read, target))
        return item

    def _plan(self, read: _Read) -> str:
        meta = read.metadata
        author = meta.authors[0] if meta.authors else None
        series = meta.series[0] if meta.series else None
        return render(self.template, PathFields(
            author=author.name if author else "Unknown Author",
            author_sort=(author.sort_name or author_sort(author.name)) if author else "Unknown Author",
            title=meta.title or read.source.stem, ext=read.format,
            series=series.name if series else "", series_position=series.label if series else "",
            year=(meta.published or "")[:4], language=meta.language or "", media=read.media_kind))

    def _apply(self, source: Path, target: str, mode: str) -> None:
        """Put the file at ``target`` through the staging folder, so it appears whole or not at all."""
        final = self.catalog.folder / target
        final.parent.mkdir(parents=True, exist_ok=True)
        if mode == "link":
            try:
                os.link(source, final)
                return
            except OSError as exc:
                raise ImportFailedError(f"{source.name}: cannot hard-link into the library "
                                        f"({exc.strerror}); use copy instead.") from exc
        staging = self.catalog.folder / STAGING
        staging.mkdir(exist_ok=True)
        temp = staging / f"{uuid.uuid4().hex}.part"
        try:
            shutil.copyfile(source, temp)
            if temp.stat().st_size != source.stat().st_size:
                raise ImportFailedError(f"{source.name}: the copy in the library is incomplete.")
            os.replace(temp, final)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def _commit(self, pending: list[tuple[_Read, str]], report: ImportReport, mode: str) -> None:
        if not pending:
            return
        by_source = {str(read.source): read for read, _ in pending}
        added: dict[str, int] = {}
        covers: list[Path] = []  # written for this batch, to take back out if the catalog says no
        try:
            with self.catalog.write() as session:
                repo = WorkRepository(session)
                for read, target in pending:
                    added[str(read.source)] = repo.add(self._new_work(read, target, covers))
        except Exception:
            for _, target in pending:  # the catalog said no: take the copies back out
                (self.catalog.folder / target).unlink(missing_ok=True)
            for cover in covers:
                cover.unlink(missing_ok=True)
            pending.clear()
            raise
        for item in report.items:
            if item.status == "staged" and item.path in added:
                item.status, item.work_id = "added", added[item.path]
                if mode == "move":
                    by_source[item.path].source.unlink(missing_ok=True)
        pending.clear()

    def _new_work(self, read: _Read, target: str, covers: list[Path]) -> NewWork:
        meta = read.metadata
        cover_path = None
        if meta.cover and meta.cover_ext:
            # Books may share a folder (two editions, or a template without a folder per book):
            # each keeps its own cover, and the same picture is written once.
            book_file, n = PurePosixPath(target), 2
            cover_rel = book_file.with_name(f"cover.{meta.cover_ext}").as_posix()
            cover_file = self.catalog.folder / cover_rel
            while cover_file.exists() and cover_file.read_bytes() != meta.cover:
                cover_rel = book_file.with_name(f"cover ({n}).{meta.cover_ext}").as_posix()
                cover_file, n = self.catalog.folder / cover_rel, n + 1
            if not cover_file.exists():
                temp = self.catalog.folder / STAGING / f"{uuid.uuid4().hex}.part"
                temp.write_bytes(meta.cover)
                os.replace(temp, cover_file)
                covers.append(cover_file)
            cover_path = cover_rel
        contributors = meta.contributors or [Contributor("Unknown Author")]
        return NewWork(
            title=meta.title or read.source.stem, contributors=contributors, series=meta.series,
            identifiers=meta.identifiers, tags=meta.subjects, subtitle=meta.subtitle,
            description=meta.description, language=meta.language, publisher=meta.publisher,
            first_published=meta.published, cover_path=cover_path,
            files=[NewFile(path=target, format=read.format, media_kind=read.media_kind, size=read.size,
                           mtime=read.mtime, content_hash=read.content_hash, source_path=str(read.source))],
        )


def _read_file(path: Path) -> _Read:
    """Runs in a pool thread: hash and parse one file."""
    fmt, kind = SUPPORTED[path.suffix.lower()]
    stat = path.stat()
    if stat.st_size == 0:
        raise ImportFailedError(f"{path.name} is empty.")
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            digest.update(chunk)
    try:
        metadata = read_epub(path)
    except ImportFailedError as exc:
        if exc.message.startswith(path.name):
            raise
        raise ImportFailedError(f"{path.name}: {exc.message}") from exc
    return _Read(path, digest.hexdigest(), stat.st_size, stat.st_mtime, metadata, fmt, kind)


def _unique(target: str, taken: set[str], folder: Path) -> str:
    """``target``, or ``target (2)``, ... : never a name the catalog or the disk already has."""
    def free(name: str) -> bool:
        return name not in taken and not (folder / name).exists()

    if free(target):
        return target
    stem, dot, ext = target.rpartition(".")
    n = 2
    while not free(f"{stem} ({n}){dot}{ext}"):
        n += 1
    return f"{stem} ({n}){dot}{ext}"
