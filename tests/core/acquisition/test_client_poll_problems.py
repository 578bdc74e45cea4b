"""What a poll of the download clients finds wrong reaches the poller's problem listeners, in the words the
status bar shows: "<title>: <reason>" for one download, "Download clients: <reason>" when the poll itself
could not be made."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from bookdesk.core.acquisition.client_poller import ClientPoller
from bookdesk.core.acquisition.completed import CompletedOutcome
from bookdesk.errors import UsageError


def _sources(outcomes=None, fails: Exception | None = None):  # noqa: ANN001, ANN202 - a stand-in
    async def poll() -> list[CompletedOutcome]:
        if fails is not None:
            raise fails
        return list(outcomes or [])

    async def current():  # noqa: ANN202
        return SimpleNamespace(completed=SimpleNamespace(poll=poll))

    return current


def test_each_download_a_poll_found_in_trouble_is_told_with_its_title(service):
    poller = ClientPoller(service, _sources([
        CompletedOutcome(1, "Kindred", "running", error="NAS (qBittorrent) cannot be reached"),
        CompletedOutcome(2, "Dune", "completed", error="No path mapping covers /downloads/Dune"),
        CompletedOutcome(3, "Emma", "running")]))
    told: list[str] = []
    poller.add_problem_listener(told.append)
    asyncio.run(poller.poll())
    assert told == ["Kindred: NAS (qBittorrent) cannot be reached", "Dune: No path mapping covers /downloads/Dune"]


def test_a_poll_that_could_not_be_made_is_told_for_the_clients_and_still_raised(service):
    poller = ClientPoller(service, _sources(fails=UsageError("The password of Seedbox is not in the keyring.")))
    told: list[str] = []
    poller.add_problem_listener(told.append)
    with pytest.raises(UsageError):
        asyncio.run(poller.poll())
    assert told == ["Download clients: The password of Seedbox is not in the keyring."]


def test_a_listener_that_breaks_does_not_stop_the_others_nor_the_poll(service):
    poller = ClientPoller(service, _sources([CompletedOutcome(1, "Kindred", "running", error="refused")]))
    told: list[str] = []

    def broken(_text: str) -> None:
        raise RuntimeError("a listener's bug")

    poller.add_problem_listener(broken)
    poller.add_problem_listener(told.append)
    assert len(asyncio.run(poller.poll())) == 1
    assert told == ["Kindred: refused"]
    poller.remove_problem_listener(told.append)
    asyncio.run(poller.poll())
    assert told == ["Kindred: refused"]
