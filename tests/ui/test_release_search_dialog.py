"""The Search for this book dialog on its own, over a search and a grab the test controls: one grab at a
time, and the buttons come back whatever the answer was."""

from __future__ import annotations

import asyncio
import sys

from bookdesk.core.acquisition.ranking import RankedRelease, WantedWork, rank
from bookdesk.core.acquisition.search_wanted import WorkSearch
from bookdesk.core.acquisition.torznab import Release
from bookdesk.ui.dialogs.release_search_dialog import ReleaseSearchDialog

KINDRED = WantedWork(1, "Kindred", ("Octavia E. Butler",), "ebook")


def two_releases() -> list[RankedRelease]:
    return rank([Release("Prowlarr", "Octavia E. Butler - Kindred [EPUB]", "g1", "http://x/1.torrent", seeders=5),
                 Release("Prowlarr", "Octavia E. Butler - Kindred [PDF]", "g2", "http://x/2.torrent", seeders=5)],
                KINDRED).releases


def test_a_release_is_grabbed_once_however_often_grab_is_asked_for_meanwhile(qtbot) -> None:
    ranked, grabs, answered = two_releases(), [], asyncio.Event()

    async def search(_wanted: WantedWork) -> WorkSearch:
        return WorkSearch(1, "Kindred", "ebook", ranked=ranked)

    async def grab(_wanted: WantedWork, release: RankedRelease) -> int:
        grabs.append(release.release.title)
        await answered.wait()  # the indexer and the client take their time
        return len(grabs)

    dialog = ReleaseSearchDialog(KINDRED, search, grab, 0.5)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.run()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    dialog.grab_button.click()
    qtbot.waitUntil(lambda: len(grabs) == 1)
    assert not dialog.grab_button.isEnabled()
    dialog.table.doubleClicked.emit(dialog.model.index(0, 1))  # a double-click on the row meanwhile
    dialog.table.selectRow(1)  # another row picked while the first grab is on its way
    assert not dialog.grab_button.isEnabled()
    dialog.grab_button.click()
    answered.set()  # a grab started above would have asked before this answer is read
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Grabbed"))
    assert grabs == ["Octavia E. Butler - Kindred [EPUB]"]
    assert dialog.grab_button.isEnabled()  # and the next grab may go


def test_search_again_comes_back_after_an_unexpected_failure(qtbot, monkeypatch) -> None:
    seen = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc_info: seen.append(exc_info))  # the app's shows a dialog

    async def search(_wanted: WantedWork) -> WorkSearch:
        raise ValueError("an indexer answered something nobody expected")

    async def grab(_wanted: WantedWork, _release: RankedRelease) -> int:
        return 1

    dialog = ReleaseSearchDialog(KINDRED, search, grab, 0.5)
    qtbot.addWidget(dialog)
    dialog.run()
    qtbot.waitUntil(lambda: seen != [])
    assert dialog.search_button.isEnabled()


def test_grab_comes_back_after_an_unexpected_failure(qtbot, monkeypatch) -> None:
    seen = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc_info: seen.append(exc_info))

    async def search(_wanted: WantedWork) -> WorkSearch:
        return WorkSearch(1, "Kindred", "ebook", ranked=two_releases())

    async def grab(_wanted: WantedWork, _release: RankedRelease) -> int:
        raise ValueError("the client answered something nobody expected")

    dialog = ReleaseSearchDialog(KINDRED, search, grab, 0.5)
    qtbot.addWidget(dialog)
    dialog.run()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    dialog.grab_button.click()
    qtbot.waitUntil(lambda: seen != [])
    assert dialog.grab_button.isEnabled()


def test_closing_the_dialog_while_a_grab_is_on_its_way_shows_nothing(qtbot, monkeypatch) -> None:
    seen, stopped = [], []
    monkeypatch.setattr(sys, "excepthook", lambda *exc_info: seen.append(exc_info))

    async def search(_wanted: WantedWork) -> WorkSearch:
        return WorkSearch(1, "Kindred", "ebook", ranked=two_releases())

    async def grab(_wanted: WantedWork, _release: RankedRelease) -> int:
        stopped.append("asked")
        try:
            await asyncio.Event().wait()  # never answered
        finally:
            stopped.append("grab")
        return 1

    dialog = ReleaseSearchDialog(KINDRED, search, grab, 0.5)
    dialog.run()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    dialog.grab_button.click()
    qtbot.waitUntil(lambda: stopped == ["asked"])
    dialog.deleteLater()  # the person closed it
    qtbot.waitUntil(lambda: stopped == ["asked", "grab"])
    assert seen == []
