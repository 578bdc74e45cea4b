"""The user's choices the gap rules follow, and the flags they raise on odd data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class GapPolicy:
    """What counts as missing for this user."""

    language: str | None = None  # the user's language in any form ("en", "eng", "English"); None: every language
    novellas: bool = False  # listed fractional positions (novellas) count as missing too
    today: date | None = None  # None: the real date; a test passes its own

    def day(self) -> date:
        return self.today or date.today()


DEFAULT_POLICY = GapPolicy()


@dataclass(frozen=True, slots=True)
class Flag:
    """Something odd in the data, said plainly; ``code`` is for filtering.

    Codes: renamed, duplicate_position, edition, normalised_label, skipped_position,
    count_mismatch, sources_disagree, year_like_positions, long_range, beyond_listing.
    """

    code: str
    message: str
