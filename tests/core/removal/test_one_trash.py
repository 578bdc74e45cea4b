"""One way to the system trash: only core/removal/trash.py talks to send2trash, so every removal finds
its files there again for undo (a second caller would trash files nobody could put back)."""

from __future__ import annotations

from pathlib import Path

import bookdesk

PACKAGE = Path(bookdesk.__file__).parent
THE_ONE = PACKAGE / "core" / "removal" / "trash.py"


def test_only_the_trash_module_uses_send2trash():
    users = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                   if "send2trash" in p.read_text(encoding="utf-8") and p != THE_ONE)
    assert users == []
    assert "from send2trash import send2trash" in THE_ONE.read_text(encoding="utf-8")
