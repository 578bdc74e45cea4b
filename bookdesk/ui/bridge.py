"""The one door from the worker thread to the widgets.

Core listeners are called on whatever thread the job runs on; this object lives on the
main thread, so emitting its signals from elsewhere queues them to the main thread.
Nothing else touches widgets off the main thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from bookdesk.core.jobs import JobEvent


class JobBridge(QObject):
    job_event = Signal(object)  # JobEvent
    job_result = Signal(str, object)  # correlation id, JobResult

    def listener(self, event: JobEvent) -> None:
        self.job_event.emit(event)
