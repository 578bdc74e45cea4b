"""``bookdesk sync [--library DIR] [--json]``: run every scheduled job that is due, once, here and now.

The jobs run as the app would run them (each a Job with its reference, in the Activity view
afterwards), one after another; the command exits 1 when any failed. Jobs that need the network
are left due when it is down.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, progress, progress_listener, say
from bookdesk.core.jobs import JobRunner
from bookdesk.core.library_service import LibraryService
from bookdesk.core.scheduler.context import SchedulerContext
from bookdesk.core.scheduler.entries import SyncResult
from bookdesk.core.scheduler.launch import runner_launcher
from bookdesk.core.scheduler.network import NetworkProbe, provider_probe
from bookdesk.core.scheduler.scheduler import Scheduler
from bookdesk.core.secrets import SecretStore
from bookdesk.core.settings import Settings, load_settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_json_option(parser)


def main(args: argparse.Namespace, library: Path) -> int:
    return run(library, args.json)


def run(library: Path, as_json: bool, *, network_up: NetworkProbe | None = None,
         secrets: SecretStore | None = None) -> int:
    """``network_up`` and ``secrets`` are for tests; by default the first metadata provider's host is
    probed and secrets come from the keyring."""
    settings = load_settings()
    if secrets is None:
        from bookdesk.platform.keyring_store import system_secret_store

        secrets = system_secret_store()
    service = LibraryService.open(library, create=False)
    try:
        results = asyncio.run(_sync(service, settings, secrets, network_up or provider_probe(settings)))
    finally:
        service.close()
    if as_json:
        emit_json({"jobs": [result_json(r) for r in results]})
    else:
        for result in results:
            say(result_text(result))
        if not results:
            say("Nothing is due.")
    return 1 if any(r.status == "failed" for r in results) else 0


async def _sync(service: LibraryService, settings: Settings, secrets: SecretStore,
                network_up: NetworkProbe) -> list[SyncResult]:
    from bookdesk.core.acquisition.queue import DownloadQueue, QueueSettings
    from bookdesk.core.acquisition.sources import AcquisitionSources
    from bookdesk.core.net.factory import open_net
    from bookdesk.core.scheduler.acquisition_hooks import wire_acquisition

    async with open_net() as net:
        changed: list[int] = []
        context = SchedulerContext(service, settings, secrets, net=net, books_changed=changed.extend)
        made: list[AcquisitionSources] = []

        async def sources() -> AcquisitionSources:  # the indexers and clients, made once for this run
            if not made:
                # Direct-file releases are queued; the app or ``bookdesk fetch`` downloads them.
                made.append(AcquisitionSources(service, settings, secrets, net.http, limiter=net.limiter,
                                               queue=DownloadQueue(service, secrets=secrets,
                                                                   settings=QueueSettings.from_settings(settings))))
            return made[0]
        wire_acquisition(context, sources)
        runner = JobRunner(service.catalog, listeners=[progress_listener(), _announce])
        scheduler = Scheduler(context, launcher=runner_launcher(runner), network_up=network_up)
        try:
            results = await scheduler.sync()
        finally:
            context.close()
            for found in made:
                await found.aclose()
        if changed and settings.write_back_to_files:  # as ``bookdesk identify`` does after its changes
            from bookdesk.core.writeback.job import write_back_job

            await write_back_job(runner, service.catalog, changed)
        return results


def _announce(event) -> None:  # noqa: ANN001 - a JobEvent
    if event.state == "queued":
        progress(f"{event.title} ({event.correlation_id})")


def result_json(result: SyncResult) -> dict:
    return {"kind": result.kind, "status": result.status, "correlation_id": result.correlation_id,
            "summary": result.summary}


def result_text(result: SyncResult) -> str:
    ref = f" (Ref {result.correlation_id})" if result.correlation_id else ""
    return f"{result.kind:<17} {result.status:<10} {result.summary or ''}{ref}"
