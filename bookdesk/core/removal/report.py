"""What a removal, merge or split did, and what an undo of one put back: plain records for the faces."""

from __future__ import annotations

from dataclasses import dataclass, field


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Failure:
    work_id: int
    title: str
    reason: str  # in words for the person; the book (or format) was left as it was


@dataclass
class RemovalReport:
    correlation_id: str
    action: str  # remove, remove-format, merge, split
    works: list[int] = field(default_factory=list)  # removed, merged away, or (split) the new book
    files_trashed: list[str] = field(default_factory=list)  # catalog paths, now in the system trash
    files_kept: list[str] = field(default_factory=list)  # left on disk (Keep the files), out of the catalog
    failures: list[Failure] = field(default_factory=list)

    def summary(self) -> str:
        if self.action == "merge":
            text = f"merged {plural(len(self.works) + 1, 'book')} into one" if self.works else "nothing merged"
        elif self.action == "split":
            text = f"split a format out into book {self.works[0]}" if self.works else "nothing split"
        elif self.action == "remove-format":
            text = f"removed {plural(len(self.files_trashed) + len(self.files_kept), 'format')}"
        elif not self.works and self.failures:  # Activity says why, not "Done — removed 0 books"
            why = self.failures[0].reason if len(self.failures) == 1 else "each book was left as it was"
            return f"nothing removed: {why}"
        else:
            text = f"removed {plural(len(self.works), 'book')}"
        if self.files_trashed:
            text += f", {plural(len(self.files_trashed), 'file')} moved to the trash"
        if self.files_kept:
            text += f", {plural(len(self.files_kept), 'file')} left on disk"
        if self.failures:
            text += f"; {plural(len(self.failures), 'book')} left as they were"
        return text


@dataclass
class RestoreReport:
    """An undo of removals, merges or splits: what came back, and what could not (each problem in words)."""

    works_restored: int = 0  # books back in the library (removed, or merged away)
    formats_restored: int = 0  # formats back under their book (Remove Format undone)
    rejoined: list[str] = field(default_factory=list)  # each split undone, in words
    files_restored: list[str] = field(default_factory=list)  # the books' files back from the trash (covers not counted)
    problems: list[str] = field(default_factory=list)  # what could not come back, and why
    without_files: list[str] = field(default_factory=list)  # titles of books back with none of their files

    def summary(self) -> str:
        parts = [plural(self.works_restored, "book") + " put back"] if self.works_restored else []
        parts += [f"“{title}” is back without its files" for title in self.without_files]
        if self.formats_restored:
            parts.append(plural(self.formats_restored, "format") + " put back")
        parts += self.rejoined
        if self.files_restored:
            parts.append(f"{plural(len(self.files_restored), 'file')} back from the trash")
        text = ", ".join(parts) or "nothing put back"
        if self.problems:
            text += f"; {plural(len(self.problems), 'thing')} could not be restored"
        return text
