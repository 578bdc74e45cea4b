"""``bookdesk serve [--library DIR] [--host 127.0.0.1] [--port 8585] [--tls] [--cert FILE --key FILE]
[--opds-user NAME]``: the
OPDS feeds and the API until stopped (Ctrl+C or SIGTERM end it cleanly), for a machine without a window
such as a home server. The library is opened as the window opens it (its worker runs the API's jobs).

Listening past this machine (``--host 0.0.0.0`` or an address of the local network) is the person
allowing it, and is served over TLS: their own certificate, or one made on first use, whose SHA-256
fingerprint is printed. One line per request on stderr (its id, address, method, path, status, time).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bookdesk.cli.output import progress
from bookdesk.errors import UsageError

DEFAULT_PORT = 8585


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0: the network)")
    parser.add_argument("--port", type=int, default=None, help=f"port (default: Settings' or {DEFAULT_PORT})")
    # One listener, so past this machine it is HTTPS for every client, this computer's own included.
    parser.add_argument("--tls", action="store_true",
                        help="HTTPS for 127.0.0.1 too; past this machine (--host 0.0.0.0) it is always HTTPS, and "
                             "this computer too uses https://127.0.0.1:PORT")
    parser.add_argument("--cert", metavar="FILE", help="your own certificate (PEM), with --key")
    parser.add_argument("--key", metavar="FILE", help="the certificate's private key (PEM)")
    parser.add_argument("--opds-user", metavar="NAME",
                        help="e-readers on other machines log in as NAME (default: Settings'); the password "
                             "comes from $BOOKDESK_SHARING_OPDS_PASSWORD or the keyring")


def main(args: argparse.Namespace, library: Path) -> int:
    from bookdesk.core import paths
    from bookdesk.core.logging_setup import install
    from bookdesk.core.settings import load_settings
    from bookdesk.data.library_lock import SERVE, holding_as
    from bookdesk.platform.keyring_store import system_secret_store
    from bookdesk.serve.addresses import urls
    from bookdesk.serve.guard import is_loopback
    from bookdesk.serve.open_library import opened_library
    from bookdesk.serve.server import listening_socket
    from bookdesk.serve.tls import certificate

    settings = load_settings()
    port = args.port if args.port is not None else settings.sharing_port
    if not 0 < port < 65536:
        raise UsageError(f"A port is between 1 and 65535, not {port}.")
    local = is_loopback(args.host)
    tls = None
    if args.tls or args.cert or args.key or not local:
        tls = certificate(paths.config_dir(), args.cert or settings.sharing_cert_file,
                          args.key or settings.sharing_key_file)
    secrets = system_secret_store()
    # The library's lock says it is held by serve, so a window refused it says so (no window to use).
    with holding_as(SERVE), opened_library(library, secrets, settings, progress) as services:  # no library: said now
        sock = listening_socket(args.host, port)
        _requests_to_stderr(install)
        at = ", ".join(urls(args.host, sock.getsockname()[1], tls is not None))
        progress(f"Serving {library} at {at} (OPDS at /opds, API at /api/v1){_past_settings(args.host, local, settings)}; "
                 "Ctrl+C stops.")
        if tls is not None:
            progress(f"Certificate SHA-256 fingerprint: {tls.fingerprint}")
        try:
            _serve(sock, services, args.opds_user or settings.sharing_opds_user, secrets, library, tls, local,
                   given=bool(args.opds_user))
        finally:
            sock.close()
    progress("Stopped.")
    return 0


def _past_settings(host: str, local: bool, settings) -> str:  # noqa: ANN001 - Settings
    """Said on the first line when --host opens the library to the network although Settings → Sharing
    keeps it to this machine: the flag is the person's explicit choice, and is followed, but not silently."""
    if local or settings.sharing_lan:
        return ""
    return (f"; the local network can reach it because --host {host} asks it, although Settings → Sharing "
            "keeps sharing to this machine")


def _serve(sock, services, opds_user: str, secrets, library: Path, tls, local: bool,  # noqa: ANN001 - see main
           given: bool) -> None:
    """``given``: the user came with --opds-user, so refusals point to the command, not to Settings."""
    from bookdesk.serve.addresses import lan_names
    from bookdesk.serve.app import build_app
    from bookdesk.serve.context import ServeContext
    from bookdesk.serve.policy import ServePolicy
    from bookdesk.serve.server import make_server

    ctx = ServeContext(library=library, secrets=secrets, services=services,
                       policy=ServePolicy(opds_user=opds_user or None, host_names=() if local else lan_names(tls),
                                         login_given_to_serve=given),
                       sync=_sync_starter(services))
    options = {"ssl_certfile": str(tls.cert_file), "ssl_keyfile": str(tls.key_file)} if tls else {}
    make_server(build_app(ctx), **options).run(sockets=[sock])  # ends on SIGINT and SIGTERM


def _sync_starter(services):  # noqa: ANN001, ANN202 - LibraryServices; the ServeContext's ``sync``
    """Sync Now for the API: every scheduled job that is due, once, as ``bookdesk sync`` runs them, as a
    job of its own on the worker; its Ref is answered at once."""
    async def start() -> str:
        from bookdesk.cli.sync_command import _sync
        from bookdesk.core.scheduler.network import provider_probe

        def job(ctx):  # noqa: ANN001, ANN202 - JobContext; the sync's coroutine
            return _sync(services.library, services.settings, services.secrets, provider_probe(services.settings))

        handle = services.worker.submit("sync", "Sync Now", job)
        handle.detach()  # followed through GET /api/v1/jobs/REF
        return handle.correlation_id

    return start


def _requests_to_stderr(install) -> None:  # noqa: ANN001 - logging_setup.install
    handler = install(logging.StreamHandler(sys.stderr))
    handler.setFormatter(logging.Formatter("%(message)s"))
    requests = logging.getLogger("bookdesk.serve.requests")
    requests.addHandler(handler)
    requests.setLevel(logging.INFO)
