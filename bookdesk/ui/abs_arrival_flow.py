"""An audiobook a download brought, sent on to the Audiobookshelf server whose settings say "Send downloaded
audiobooks to" (``core/audiobookshelf/arrivals.py``): once the download's import completes, as a job with its
own Ref that names the download's; what became of it is said in the status bar, a book not sent with why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bookdesk.core.acquisition.progress import DownloadProgress
from bookdesk.core.audiobookshelf.arrivals import arrivals_server, audiobook_title, send_arrival
from bookdesk.ui import bridge

if TYPE_CHECKING:
    from bookdesk.ui.acquisition_flow import AcquisitionFlow


def send_downloaded(flow: AcquisitionFlow, progress: DownloadProgress, sent: set[int]) -> None:
    """Called for each download now imported; ``sent``: the downloads handled already (its news may come
    more than once)."""
    if progress.work_id is None or progress.id in sent:
        return
    config = arrivals_server(flow.settings.audiobookshelf_servers)
    if config is None:
        return
    sent.add(progress.id)
    bridge.start(_send(flow, config, progress), what="Send the downloaded audiobook to Audiobookshelf",
                 presenter=flow.presenter)


async def _send(flow: AcquisitionFlow, config, progress: DownloadProgress) -> None:  # noqa: ANN001 - AbsServerConfig
    catalog, work_id, ref = flow.service.catalog, progress.work_id, progress.correlation_id
    title = await flow.worker.call(audiobook_title, catalog, work_id)
    if title is None:
        return  # an ebook: nothing for the server's audiobooks
    secrets, worker = flow.secrets, flow.worker
    result = await worker.submit(  # the limiter asked for on the worker: it loads httpx, not for the GUI thread
        "abs-send", f"Send “{title}” to {config.name} (downloaded, Ref {ref})",
        lambda ctx: send_arrival(ctx, catalog, config, secrets, work_id, ref, limiter=worker.net.limiter))
    if result.state != "succeeded":
        return  # the status bar and the error dialog say why, with its Ref (JobStatus)
    report = result.value
    if report.failed:
        failure = report.failed[0]
        flow.status.emit(f"“{title}” was downloaded, but not sent to {config.name}: {failure['error']} "
                         f"(Ref {failure['ref']})")
        return
    flow.library_changed.emit()  # its "On server" column shows the server now
    flow.status.emit(f"{report.summary()} (Ref {report.correlation_id})")
