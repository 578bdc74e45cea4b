"""``bookdesk abs add|servers|pull``: BookDesk and Audiobookshelf servers as one library.

- ``bookdesk abs add NAME URL [--abs-library NAME]... [--map SERVER_DIR=LOCAL_DIR]... [--user NAME]
  [--trust-fingerprint SHA256] [--json]`` keeps a
  server in the settings and tries it (its version and libraries; a library it is told to read that the
  server answers without is refused, and nothing is kept). Its API key comes from
  ``$BOOKDESK_AUDIOBOOKSHELF_<NAME>`` (read for each run, never stored) or, in a terminal, from a prompt
  and then lives in the keyring (where there is none, for that run only, as it says). With ``--user``, the same
  way gives the user's password, which is exchanged for the server's tokens; the keyring keeps only those.
  An https server whose certificate this computer does not trust is refused with the certificate's SHA-256
  fingerprint; run again with ``--trust-fingerprint`` to accept that certificate, and only it, from then on.
- ``bookdesk abs servers [--json]`` lists the servers.
- ``bookdesk abs pull [NAME] [--json]`` reads what the servers hold and links it to the library's books:
  ``{"correlation_id", "items", "linked", "new", "updated", "removed"}``; ``bookdesk undo REF`` reverts
  the read states it set.
- ``bookdesk abs push [NAME] [--dry-run] [--json]`` sends the corrections made here to the linked items
  (``cli/abs_push.py``).
- ``bookdesk abs send WORK_ID... [--server NAME] [--to LIBRARY] [--json]`` sends books' files to a library
  of a server through its upload API and links them once the server lists them:
  ``{"correlation_id", "sent": [{"work_id", "item_id"}], "failed": [{"work_id", "title", "error", "ref"}]}``;
  exit 1 when a book was not sent.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from pathlib import Path

from bookdesk.cli.abs_push import add_push_arguments, push
from bookdesk.cli.output import add_json_option, emit_json, progress, say
from bookdesk.core.audiobookshelf.config import AbsServerConfig, find, servers, unusable, with_server
from bookdesk.core.secrets import SecretStore
from bookdesk.core.settings import load_settings, save_settings, settings_path
from bookdesk.errors import BookDeskError, UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="abs_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="keep a server in the settings and try it")
    add.add_argument("name", metavar="NAME")
    add.add_argument("url", metavar="URL")
    add.add_argument("--abs-library", action="append", default=[], metavar="NAME",
                     help="a library of the server to read (by name or id; default: every one)")
    add.add_argument("--map", action="append", default=[], metavar="SERVER_DIR=LOCAL_DIR",
                     help="a folder as the server sees it and as this machine does, when both see one disk")
    add.add_argument("--user", metavar="NAME", help="log in as this user with a password, instead of an API key")
    add.add_argument("--trust-fingerprint", metavar="SHA256",
                     help="accept the server's self-signed certificate of this SHA-256 fingerprint (and no other)")
    listing = actions.add_parser("servers", help="list the servers")
    pull = actions.add_parser("pull", help="read what the servers hold and link it to the library's books")
    pull.add_argument("name", nargs="?", metavar="NAME", help="one server (default: every one)")
    send = actions.add_parser("send", help="send books' files to a library of a server")
    send.add_argument("work_ids", nargs="+", type=int, metavar="WORK_ID")
    send.add_argument("--server", metavar="NAME", help="the server (needed when there are several)")
    send.add_argument("--to", metavar="LIBRARY", help="its library, by name or id (needed when it has several)")
    add_push_arguments(actions)
    for sub in (add, listing, pull, send):
        sub.add_argument("--library", type=Path, default=argparse.SUPPRESS, help="library folder")
        add_json_option(sub)


def main(args: argparse.Namespace, library: Path) -> int:
    if args.abs_action == "add":
        return add(args.name, args.url, args.abs_library, args.map, args.json, user=args.user,
                   fingerprint=args.trust_fingerprint)
    if args.abs_action == "servers":
        return list_servers(args.json)
    if args.abs_action == "send":
        from bookdesk.cli.abs_send import send

        return send(library, args.work_ids, args.server, args.to, args.json)
    if args.abs_action == "push":
        return push(library, args.name, args.dry_run, args.json)
    return pull(library, args.name, args.json)


def add(name: str, url: str, libraries: list[str], maps: list[str], as_json: bool, *, user: str | None = None,
        fingerprint: str | None = None) -> int:
    from bookdesk.core.audiobookshelf.client import AbsNoSuchLibrary, AbsUntrustedCertificate
    from bookdesk.core.secrets import InMemorySecretStore
    from bookdesk.platform.keyring_store import system_secret_store

    mappings = []
    for mapping in maps:
        remote, sep, local = mapping.partition("=")
        if not sep:
            raise UsageError(f"A mapping is SERVER_DIR=LOCAL_DIR, not {mapping!r}.")
        mappings.append({"remote": remote, "local": local})
    settings = load_settings()
    raw = {"name": name, "url": url, "libraries": libraries, "path_mappings": mappings, "enabled": True,
           **({"username": user} if user else {}), **({"tls_fingerprint": fingerprint} if fingerprint else {})}
    settings.audiobookshelf_servers = with_server(settings.audiobookshelf_servers, raw)
    config = find(settings.audiobookshelf_servers, name)[0]
    secrets = system_secret_store()
    typed = None
    what = f"password of {user} on {name}" if user else f"API key of {name}"
    if not os.environ.get(config.variable):
        if not sys.stdin.isatty():
            raise UsageError(f"Give the {what} in {config.variable}, or run this in a terminal to type it"
                             + ("." if user else " (Audiobookshelf makes one in its settings, under API Keys)."))
        typed = getpass.getpass(f"{what[0].upper()}{what[1:]}: ")
        typed = typed if user else typed.strip()  # a password is as typed; a key pasted with a space is not
    # A password typed here is exchanged for tokens in this store, and only they go to the keyring.
    trying = InMemorySecretStore({config.secret: typed}) if typed else secrets
    problem, shown = None, None
    try:
        version, names = asyncio.run(_check(config, trying.get(config.secret), trying))
    except AbsNoSuchLibrary as exc:
        raise UsageError(exc.message) from None  # the server answered: a library it lacks is refused, nothing kept
    except AbsUntrustedCertificate as exc:  # kept unpinned (refused each time) until the person accepts one
        problem, shown = exc.message, exc.fingerprint
    except BookDeskError as exc:  # down, or a wrong key: kept as given, said so, and it can be fixed later
        problem = exc.message
    if typed:
        secrets.set(config.secret, trying.get(config.secret) or typed)
    # Typed, or given in the variable for this run (and a password's tokens got from it): with no keyring
    # none of it outlives the command, and the next pull would find nothing; said as keys add says it.
    if not secrets.persistent:
        progress(f"bookdesk abs add: there is no keyring here, so the {what} is kept only while "
                 f"this command runs; give it in {config.variable} for each run")
    kept = save_settings(settings)
    if kept is not None:  # never written over unseen: the person's own file is still there to mend
        progress(f"bookdesk abs add: the settings file could not be used as it was, so it is kept as {kept}")
    if problem is not None:
        progress(f"bookdesk abs add: {name} is kept, but: {problem}")
        if as_json:
            emit_json({"server": _server_json(config), "error": problem,
                       **({"fingerprint": shown} if shown is not None else {})})
        return 1
    if as_json:
        emit_json({"server": _server_json(config), "version": version, "libraries": names})
    else:
        say(f"{name}: Audiobookshelf {version}, libraries: {', '.join(names) or 'none'}")
    return 0


async def _check(config: AbsServerConfig, key: str | None, secrets: SecretStore) -> tuple[str, list[str]]:
    from bookdesk.core.audiobookshelf.client import check_server

    status, libraries = await check_server(config, key, secrets)
    return status.version, [library.name for library in libraries]


def list_servers(as_json: bool) -> int:
    raw = load_settings().audiobookshelf_servers
    found = servers(raw, skip_unusable=True)
    for problem in unusable(raw):
        progress(f"bookdesk abs servers: {problem} That server is left out until this is mended in "
                 f"{settings_path()}.")
    if as_json:
        emit_json({"servers": [_server_json(config) for config in found]})
    elif not found:
        say("No Audiobookshelf server yet: bookdesk abs add NAME URL")
    for config in [] if as_json else found:
        say(f"{config.name}  {config.url}{'' if config.enabled else '  (off)'}")
    return 0


def pull(library: Path, name: str | None, as_json: bool) -> int:
    from bookdesk.cli.abs_job import chosen_servers, run_abs_job
    from bookdesk.core.audiobookshelf.pull import AbsPull
    from bookdesk.platform.keyring_store import system_secret_store

    chosen = chosen_servers(name)
    # Made on a fresh install, as bookdesk import does: a pull brings books.
    report = run_abs_job(library, "abs-pull", f"Pull from {', '.join(c.name for c in chosen)}",
                         lambda catalog: AbsPull(catalog, chosen, system_secret_store()).run, create=True)
    if report is None:
        return 1
    if as_json:
        emit_json(report.to_json())
    else:
        say(f"{report.summary()} (Ref {report.correlation_id})")
    return 0


def _server_json(config: AbsServerConfig) -> dict:
    return {**config.to_dict(), "key_variable": config.variable}
