"""Writing the catalog's metadata back into book files (EPUB package documents, audio tags),
with a backup of each original. An option, off by default: see Settings.write_back_to_files."""

from __future__ import annotations

from bookdesk.core.writeback.audio import audio_parts, write_audio_tags
from bookdesk.core.writeback.backup import BACKUP_FOLDER, BackupStore, restore
from bookdesk.core.writeback.epub import write_epub_metadata
from bookdesk.core.writeback.errors import WritebackError
from bookdesk.core.writeback.files import FileState
from bookdesk.core.writeback.metadata import WritableMetadata
from bookdesk.core.writeback.service import WritebackService, WriteResult

__all__ = ["BACKUP_FOLDER", "BackupStore", "FileState", "WritableMetadata", "WriteResult", "WritebackError",
           "WritebackService", "audio_parts", "restore", "write_audio_tags", "write_epub_metadata"]
