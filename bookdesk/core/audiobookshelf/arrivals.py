"""Downloaded audiobooks sent on to Audiobookshelf by themselves: a server whose settings name one of its
libraries under ``send_downloads_to`` ("Send downloaded audiobooks to" in Settings) gets each audiobook a
download brings, once its import has completed, as a job of its own (``send.py``'s AbsSend) whose title and
summary name the download's Ref, so the two are found together in Activity and the log.

A send that fails (the server down, its disk full) fails that job alone, said with its Ref: the book stays in
the library as the download left it, and Send to Audiobookshelf… sends it later."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from bookdesk.core.audiobookshelf.config import AbsServerConfig, servers
from bookdesk.core.audiobookshelf.send import AbsSend, SendReport
from bookdesk.core.net.rate_limiter import RateLimiter
from bookdesk.core.secrets import SecretStore
from bookdesk.data.catalog import Catalog
from bookdesk.data.work_repository import WorkRepository

log = logging.getLogger(__name__)


def arrivals_server(raw: Sequence[Mapping]) -> AbsServerConfig | None:
    """The first server switched on that downloaded audiobooks go to, or None."""
    return next((config for config in servers(raw, skip_unusable=True)
                 if config.enabled and config.send_downloads_to), None)


def audiobook_title(catalog: Catalog, work_id: int) -> str | None:
    """The work's title when it has an audiobook file here (what a download of an ebook does not bring)."""
    with catalog.read() as session:
        details = WorkRepository(session).details([work_id])
    if not details or not any(f.media_kind == "audiobook" for f in details[0].files):
        return None
    return details[0].title


async def send_arrival(ctx, catalog: Catalog, config: AbsServerConfig, secrets: SecretStore,  # noqa: ANN001 - a JobContext
                       work_id: int, download_ref: str | None, *, limiter: RateLimiter | None = None) -> SendReport:
    """The job: the downloaded book to the server's ``send_downloads_to`` library."""
    log.info("sending the audiobook of download %s (book %d) to %s", download_ref or "?", work_id, config.name)
    report = await AbsSend(catalog, config, secrets, [work_id], library=config.send_downloads_to,
                           limiter=limiter).run(ctx)
    if download_ref:
        ctx.summary = f"{report.summary()}; downloaded under Ref {download_ref}"
    return report
