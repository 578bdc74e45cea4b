"""Writing a work's metadata from the catalog back into its files, one result per file.

Each file is written on its own: one that fails (read-only, gone, damaged) is reported and
left exactly as it was, and the others are still written. Before a file is first rewritten,
its original goes into the library's ``.backup`` folder. Rewriting a file changes its bytes,
so each written result carries the file's new size, time and hash for the catalog's File row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bookdesk.core.temp_ledger import note_temp_folder
from bookdesk.core.writeback.audio import AUDIO_FORMATS, PartlyWrittenError, audio_parts, write_audio_tags
from bookdesk.core.writeback.backup import BackupStore
from bookdesk.core.writeback.epub import write_epub_metadata
from bookdesk.core.writeback.errors import WritebackError
from bookdesk.core.writeback.files import FileState, describe, file_state
from bookdesk.core.writeback.metadata import WritableMetadata
from bookdesk.data.catalog_rows import FileRecord, WorkDetail
from bookdesk.errors import BookDeskError

log = logging.getLogger(__name__)

WRITTEN, SKIPPED, FAILED, RESTORED = "written", "skipped", "failed", "restored"
_LABELS = {"pdf": "PDF", "mobi": "MOBI", "azw3": "AZW3", "cbz": "CBZ"}


@dataclass(frozen=True, slots=True)
class WriteResult:
    file_id: int
    path: str  # library-relative, as in the catalog
    status: str  # written | skipped | failed | restored
    message: str
    # Set whenever the file's bytes changed (written, restored, and a book in parts that failed
    # midway): the catalog's File row must take these. None when the file is as it was.
    size: int | None = None
    mtime: float | None = None
    content_hash: str | None = None
    backups: tuple[str, ...] = ()  # library-relative paths of the backups this write made

    @property
    def changed(self) -> bool:
        return self.content_hash is not None


class WritebackService:
    def __init__(self, library_folder: Path) -> None:
        self.library = library_folder
        self.backups = BackupStore(library_folder)

    def write(self, work: WorkDetail) -> list[WriteResult]:
        """Write the work's current metadata into each of its EPUB and audio files.

        Blocking disk work (an audiobook is copied once, and once more for its first backup): run it
        on the worker, e.g. ``await asyncio.to_thread(service.write, work)``, never on the UI thread.
        """
        meta = WritableMetadata.from_work(work)
        return [self.write_file(record, meta) for record in work.files]

    def write_file(self, record: FileRecord, meta: WritableMetadata) -> WriteResult:
        if PurePosixPath(record.path).is_absolute():  # a calibre library's file, brought over in place
            return _result(record, SKIPPED, f"{PurePosixPath(record.path).name} is kept where another program has "
                                            "it (a calibre library brought over in place); BookDesk never writes "
                                            "into it, and its metadata stays in the catalog.")
        if record.format != "epub" and record.format not in AUDIO_FORMATS:
            label = _LABELS.get(record.format, record.format.upper())
            return _result(record, SKIPPED, f"BookDesk does not write into {label} files; their metadata stays "
                                            "in the catalog only.")
        if meta.is_empty():
            return _result(record, SKIPPED, "The catalog knows nothing about this book to write.")
        made: list[Path] = []

        def back_up(original: Path) -> None:
            backup = self.backups.ensure(original)
            if backup is not None:
                made.append(backup)

        path: Path | None = None
        try:
            path = self._absolute(record.path)
            for folder in {part.parent for part in (audio_parts(path) if path.is_dir() else [path])}:
                note_temp_folder(self.library, folder)  # its temporary file is made there, beside the file
            if record.format == "epub":
                written = [path] if write_epub_metadata(path, meta, before_replace=back_up) else []
            else:
                written = write_audio_tags(path, meta, before_replace=back_up)
            if not written:
                return _result(record, SKIPPED, "The file already says all that; it was not rewritten.")
            state = self._state(path)
            parts = f"{len(written)} parts of {PurePosixPath(record.path).name}" if path.is_dir() \
                else PurePosixPath(record.path).name
            return _result(record, WRITTEN, f"Metadata written into {parts}.", state, made, self.library)
        except PartlyWrittenError as exc:
            log.warning("write-back: %s: %s", record.path, exc.message)
            return _result(record, FAILED, exc.message, self._state_or_none(path), made, self.library)
        except BookDeskError as exc:
            log.warning("write-back: %s: %s", record.path, exc.message)
            return _result(record, FAILED, exc.message, None, made, self.library)
        except OSError as exc:
            message = describe(exc, path or Path(record.path))
            log.warning("write-back: %s: %s", record.path, message)
            return _result(record, FAILED, message, None, made, self.library)
        except Exception as exc:  # a bug must cost one file, not the work or the job
            log.exception("write-back: %s failed", record.path)
            return _result(record, FAILED, f"{PurePosixPath(record.path).name} could not be written (unexpected "
                                           f"error: {type(exc).__name__}); it was left as it was.",
                           None, made, self.library)

    def restore(self, record: FileRecord) -> WriteResult:
        """Put a file (or every part of a book in parts) back as it was before BookDesk first wrote it."""
        try:
            self.backups.restore(record.path)
            state = self._state(self._absolute(record.path, must_exist=False))
        except BookDeskError as exc:
            return _result(record, FAILED, exc.message)
        except OSError as exc:
            return _result(record, FAILED, describe(exc, Path(record.path)))
        return _result(record, RESTORED, f"{PurePosixPath(record.path).name} is back as it was before BookDesk "
                                         "wrote into it.", state)

    def _absolute(self, relative: str, *, must_exist: bool = True) -> Path:
        parts = PurePosixPath(relative).parts
        if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
            raise WritebackError(f"{relative!r} is not a path inside the library.")
        path = self.library.joinpath(*parts)
        if must_exist and not path.exists():
            raise WritebackError(f"{parts[-1]} is no longer where the library expects it; nothing was written.")
        return path

    def _state(self, path: Path) -> FileState:
        return file_state(audio_parts(path) if path.is_dir() else [path])

    def _state_or_none(self, path: Path | None) -> FileState | None:
        try:
            return self._state(path) if path is not None else None
        except (BookDeskError, OSError):
            return None


def _result(record: FileRecord, status: str, message: str, state: FileState | None = None,
            backups: list[Path] | None = None, library: Path | None = None) -> WriteResult:
    made = tuple(b.relative_to(library).as_posix() for b in backups or ()) if library else ()
    if state is None:
        return WriteResult(record.id, record.path, status, message, backups=made)
    return WriteResult(record.id, record.path, status, message, state.size, state.mtime, state.content_hash, made)
