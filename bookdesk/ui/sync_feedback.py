"""What Sync Now (the Tools menu, Ctrl+Shift+S, the tray) tells the person: that it runs, in the status bar
and the tray's tooltip, and at the end which jobs ran and what they found, or that nothing was due. Hidden
in the tray, the window cannot say it: the tray's message does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from bookdesk.core.scheduler.entries import SyncResult
    from bookdesk.ui.automation_flow import AutomationFlow
    from bookdesk.ui.job_status import JobStatus
    from bookdesk.ui.tray_flow import TrayFlow

RUNNING = "Sync Now: running the scheduled jobs that are due…"
NOTHING_DUE = "Sync Now: nothing was due."
OUTCOMES = {"succeeded": "", "failed": "failed", "cancelled": "cancelled", "skipped": "skipped",
            "offline": "waiting for the network", "running": "already running",
            "waiting": "waiting for your go-ahead"}


def sync_words(results: Sequence[SyncResult]) -> str:
    """One line: each job that was due, with what it found ("Back up the catalog: Backed up …")."""
    if not results:
        return NOTHING_DUE
    from bookdesk.core.scheduler.kinds import by_name

    kinds = by_name()
    parts = []
    ran_first = sorted(results, key=lambda r: r.status not in ("succeeded", "failed", "cancelled"))
    for result in ran_first:
        title = kinds[result.kind].title if result.kind in kinds else result.kind
        outcome = OUTCOMES.get(result.status, result.status)
        summary = result.summary if result.summary and result.summary != outcome.capitalize() else ""
        said = f"{outcome} ({summary})" if outcome and summary else outcome or summary
        ref = f" (Ref {result.correlation_id})" if result.status == "failed" and result.correlation_id else ""
        parts.append(f"{title}: {said or 'done'}{ref}")
    ran = sum(1 for r in results if r.status in ("succeeded", "failed", "cancelled"))
    return f"Sync Now ran {ran} job{'s' if ran != 1 else ''}. " + " · ".join(parts)


class SyncFeedback(QObject):
    def __init__(self, automation: AutomationFlow, jobs: JobStatus, tray_flow: TrayFlow) -> None:
        super().__init__(automation)
        self.jobs, self.tray_flow = jobs, tray_flow
        automation.sync_started.connect(self._started)
        automation.synced.connect(self._done)
        automation.sync_failed.connect(self._failed)

    def _started(self) -> None:
        self.jobs.say(RUNNING)
        self.tray_flow.show_syncing(True)

    def _done(self, results: list[SyncResult]) -> None:
        words = sync_words(results)
        self.jobs.say(words)
        library = self.jobs.label.toolTip().split("\n")[-1]  # "Library: …", kept last
        self.jobs.label.setToolTip("\n".join([*words.split(" · "), "", library]))  # the line is cut at the edge
        self.tray_flow.show_syncing(False, words)

    def _failed(self, why: str) -> None:
        self.jobs.say(f"Sync Now failed: {why}")
        self.tray_flow.show_syncing(False)
