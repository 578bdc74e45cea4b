"""``bookdesk keys add|list|revoke``: the keys scripts send to the local API (``Authorization: Bearer KEY``).

- ``bookdesk keys add NAME [--write] [--json]`` makes a key (read-only unless ``--write``) and prints it
  this once: ``{"name", "key", "scope"}``. The catalog keeps only its hash, the keyring the key.
- ``bookdesk keys list [--json]``: ``{"keys": [{"name", "scope", "created", "revoked"}]}``, never a key.
- ``bookdesk keys revoke NAME``: refused from the next request on.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, progress, say


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="keys_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="make a key and print it once")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--write", action="store_true", help="the key may also change things (start jobs)")
    listing = actions.add_parser("list", help="list the keys (never the keys themselves)")
    revoke = actions.add_parser("revoke", help="revoke a key")
    revoke.add_argument("name", metavar="NAME")
    for sub in (add, listing, revoke):
        sub.add_argument("--library", type=Path, default=argparse.SUPPRESS, help="library folder")
        add_json_option(sub)


@contextmanager
def _written(library: Path) -> Iterator:
    """The catalog's own connection in one transaction, shared with a running BookDesk."""
    from bookdesk.data.catalog import open_catalog

    catalog = open_catalog(library, exclusive=False, create=False)
    try:
        with catalog.write() as session:
            yield session.connection().connection.driver_connection
    finally:
        catalog.close()


def main(args: argparse.Namespace, library: Path) -> int:
    from bookdesk.core import api_keys
    from bookdesk.platform.keyring_store import system_secret_store

    if args.keys_action == "add":
        with _written(library) as connection:
            made = api_keys.add_key(connection, system_secret_store(), args.name, "write" if args.write else "read")
        _show_once(made, args.json)
        return 0
    if args.keys_action == "revoke":
        with _written(library) as connection:
            api_keys.revoke(connection, system_secret_store(), args.name)
        emit_json({"revoked": args.name}) if args.json else say(f"Revoked the key “{args.name}”.")
        return 0
    with _written(library) as connection:
        rows = api_keys.all_keys(connection)
    if args.json:
        emit_json({"keys": [{"name": r.name, "scope": r.scope, "created": r.created_at, "revoked": r.revoked_at}
                            for r in rows]})
        return 0
    for r in rows:
        say(f"{r.name}  {r.scope}  made {r.created_at}" + (f"  revoked {r.revoked_at}" if r.revoked_at else ""))
    say(f"{sum(r.revoked_at is None for r in rows)} key(s) in force")
    return 0


def _show_once(made, as_json: bool) -> None:  # noqa: ANN001 - api_keys.NewKey
    # Written straight to stdout: output.py masks every secret this run knows, and this one is the
    # answer the person asked for. It is shown this once; the catalog has only its hash.
    if as_json:
        sys.stdout.write(json.dumps({"name": made.name, "key": made.key, "scope": made.scope}) + "\n")
    else:
        sys.stdout.write(f"{made.key}\n")
        progress(f"Key “{made.name}” ({made.scope}); send it as Authorization: Bearer KEY. Shown this once.")
    sys.stdout.flush()
    if not made.kept:
        progress("The keyring would not keep it: copy it now, the Sharing page cannot show it again.")
