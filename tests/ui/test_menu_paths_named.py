"""Every "Menu → Item" a message or hint names is in the menu bar, and every "Settings → Page" a page of the
Settings dialog: a person told to look in "File → Sources…" finds nothing there when it is under Tools. The
strings are read from the source, the menus and pages from the window."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import bookdesk

PACKAGE = Path(bookdesk.__file__).resolve().parent
MENUS = ("File", "Edit", "Book", "Tools", "View", "Help", "Settings")
NAMED = re.compile(rf"\b({'|'.join(MENUS)}) (?:→|->|>) ")
OUTSIDE = re.compile(r"[\w-]+\.[a-z]{2,} (?:→|->|>) $")  # a path at a web site ("hardcover.app → Settings → API")


def _plain(text: str) -> str:
    return text.replace("&", "").rstrip("…").rstrip(".").strip()


def _strings(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
    return found


def named_paths() -> list[tuple[str, str, str]]:
    """(where, menu, what follows the arrow) for each menu path named in a string of the package."""
    named = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for line, text in _strings(path):
            text = " ".join(text.split())  # a path may be split over the lines of a docstring
            for match in NAMED.finditer(text):
                if OUTSIDE.search(text[:match.start()]):
                    continue
                named.append((f"{path.relative_to(PACKAGE.parent)}:{line}", match.group(1), text[match.end():]))
    return named


def test_the_source_names_menu_paths_at_all() -> None:
    assert any(menu == "File" and rest.startswith("Import Files") for _, menu, rest in named_paths())


def test_every_menu_path_named_in_a_message_is_in_the_menu_bar(make_window, service) -> None:
    window = make_window(service)
    items = {_plain(menu.title()): [_plain(a.text()) for a in menu.actions() if a.text()]
             for menu in (a.menu() for a in window.menuBar().actions()) if menu is not None}
    settings = window.edit_settings()
    tabs = settings.sources_page.tabs
    items["Settings"] = [page.title for key, page in settings.pages.items() if key != "sources"] + [
        f"{settings.sources_page.title} → {tabs.tabText(i)}" for i in range(tabs.count())]
    settings.reject()

    wrong = [f"{where}: {menu} → {rest[:40]}" for where, menu, rest in named_paths()
             if not any(item and rest.startswith(item) for item in items.get(menu, []))]

    assert not wrong, f"menu paths that are not in the menu bar ({items}):\n" + "\n".join(wrong)
