"""Entry point: ``bookdesk`` opens the GUI, ``bookdesk <command>`` runs a command (DESIGN.md section 7).

Heavy modules (Qt, SQLAlchemy) are imported only by the path that needs them, so
``bookdesk --version`` and the CLI start fast.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from pathlib import Path

from bookdesk import __version__
from bookdesk.ui.views import VIEW_NAMES

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--library", type=Path, default=argparse.SUPPRESS,
                        help="library folder (default: $BOOKDESK_LIBRARY or BookDesk/Library in your data folder)")
    parser = argparse.ArgumentParser(prog="bookdesk", parents=[common],
                                     description="BookDesk: your ebooks and audiobooks, complete and correct.",
                                     epilog="bookdesk [--library DIR] FILE... opens the window and previews an "
                                            "import of the files, as dropping them on it does; when BookDesk is "
                                            "open already, it takes them.")
    parser.add_argument("--version", action="version", version=f"BookDesk {__version__}")
    parser.add_argument("--in-tray", action="store_true",
                        help="start in the system tray without opening the window (as at login)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    smoke = commands.add_parser("smoke", parents=[common], help="open the main window offscreen and exit")
    smoke.add_argument("--view", choices=VIEW_NAMES, default="library")
    smoke.add_argument("--screenshot", type=Path, help="save a PNG of the window")
    smoke.add_argument("--tray", action="store_true",
                       help="show the tray icon too, and say whether the desktop has a tray and the icon shows")

    imp = commands.add_parser("import", parents=[common], help="import book files or folders")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument("--mode", choices=("copy", "move", "link"), default="copy")
    imp.add_argument("--dry-run", action="store_true",
                     help="show what would be added, where, and what is already there; change nothing")
    imp.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    ident = commands.add_parser("identify", parents=[common], help="find what books really are and correct them")
    ident.add_argument("work_ids", nargs="*", type=int, metavar="WORK_ID")
    ident.add_argument("--all", action="store_true", help="every book in the library")
    ident.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    hist = commands.add_parser("history", parents=[common], help="every change to one book's metadata")
    hist.add_argument("work_id", type=int, metavar="WORK_ID")
    hist.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    undo = commands.add_parser("undo", parents=[common], help="revert everything one job did (an import, edits)")
    undo.add_argument("correlation_id", metavar="CORRELATION_ID", help="the job's reference, e.g. BD-7K3Q9")
    undo.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    lst = commands.add_parser("list", parents=[common], help="list the books in the library")
    lst.add_argument("--search", metavar="TEXT")
    lst.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    gaps = commands.add_parser("gaps", parents=[common], help="which books of each series are missing")
    gaps.add_argument("--series", metavar="NAME", help="only this series (case and accents aside)")
    gaps.add_argument("--language", metavar="CODE",
                      help="leave out listed books in other languages than this one (e.g. en)")
    gaps.add_argument("--novellas", action="store_true", help="count listed novellas (2.5) as missing too")
    gaps.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    wanted = commands.add_parser("wanted", parents=[common], help="list the wanted books")
    wanted.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    authors = commands.add_parser("authors", parents=[common], help="authors with what is owned and missing")
    authors.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    opds = commands.add_parser("opds", parents=[common], help="browse or search an OPDS catalog")
    opds.add_argument("url", metavar="URL")
    opds.add_argument("--search", metavar="TEXT", help="search the catalog (its OpenSearch description)")
    opds.add_argument("--user", metavar="NAME", help="user name for a catalog that asks for one "
                      "(the password comes from $BOOKDESK_OPDS_PASSWORD or the keyring)")
    opds.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    fetch = commands.add_parser("fetch", parents=[common], help="download books by URL and import them")
    fetch.add_argument("urls", nargs="*", metavar="URL",
                       help="addresses of book files; none: finish every download left unfinished")
    fetch.add_argument("--no-import", action="store_true", help="keep the files in the library's staging folder")
    fetch.add_argument("--work", type=int, metavar="WORK_ID", help="the wanted book these files are")
    fetch.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    downloads = commands.add_parser("downloads", parents=[common], help="list downloads and their state")
    downloads.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    search_wanted = commands.add_parser("search-wanted", parents=[common],
                                        help="search indexers for every wanted book and grab the best release")
    search_wanted.add_argument("--dry-run", action="store_true", help="rank the releases, grab nothing")
    search_wanted.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    schedule = commands.add_parser("schedule", parents=[common], help="the scheduled jobs and when they run next")
    schedule.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    sync = commands.add_parser("sync", parents=[common], help="run every scheduled job that is due, once")
    sync.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    return parser


def command_names(parser: argparse.ArgumentParser) -> set[str]:
    """The names of the subcommands (``list``, ``import``, ...)."""
    return {name for action in parser._actions if isinstance(action, argparse._SubParsersAction)
            for name in action.choices}


def split_open_paths(argv: list[str], commands: set[str]) -> tuple[list[str], list[str]] | None:
    """``bookdesk [--library DIR] FILE...`` ("Open with BookDesk"): the options and the files,
    or None when ``argv`` is a command line for the parser as it is.

    Files are taken when the first word that is not an option is no command: ``list`` stays
    the command even beside a file of that name (``./list`` is the file). After ``--`` every
    word is a file. A word that is neither a command nor a file nor looks like one (no folder,
    no extension) is left to the parser, which calls it a mistyped command.
    """
    options: list[str] = []
    paths: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--":
            paths.extend(words)
            return (options, paths) if paths else None
        if word == "--library":
            options.append(word)
            options.extend(itertools.islice(words, 1))  # its folder, whatever it is called
        elif word.startswith("--library="):
            options.append(word)
        elif word.startswith("-") and word != "-":
            if not paths:
                return None  # --version, --help, ...: the parser's business
            options.append(word)  # the parser refuses what it does not know
        else:
            if not paths and word in commands:
                return None
            paths.append(word)
    if not paths:
        return None
    first = paths[0]
    looks_like_a_file = os.path.exists(first) or os.sep in first or "/" in first or bool(Path(first).suffix)
    return (options, paths) if looks_like_a_file else None


def _settings_library() -> Path | None:
    """The library folder the person chose (in the first-run wizard or Settings), if any."""
    from bookdesk.core.settings import load_settings

    folder = load_settings().library_folder
    return Path(folder).expanduser() if folder else None


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # the import's reader processes, in a frozen bundle
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    open_paths: list[Path] = []
    opening = split_open_paths(argv, command_names(parser))
    if opening is not None:
        argv, named = opening
        missing = [name for name in named if not os.path.exists(name)]
        if missing:
            parser.error(f"no such file or folder: {', '.join(missing)}")
        open_paths = [Path(os.path.abspath(name)) for name in named]
    args = parser.parse_args(argv)
    from bookdesk.core.logging_setup import setup_logging
    from bookdesk.core.paths import default_library
    from bookdesk.errors import UsageError

    chosen: Path | None = getattr(args, "library", None)
    library: Path = chosen or default_library(_settings_library())
    try:
        setup_logging()
    except OSError as exc:  # logging is a help, never a reason not to start
        print(f"bookdesk: cannot write logs ({exc}); going on without them", file=sys.stderr)
    try:
        if args.command is None:
            from bookdesk.ui.application import run_gui

            return run_gui(library, open_paths=open_paths, in_tray=args.in_tray,
                           may_welcome=chosen is None and not os.environ.get("BOOKDESK_LIBRARY"))
        if args.command == "smoke":
            from bookdesk.ui.smoke import run_smoke

            return run_smoke(library, view=args.view, screenshot=args.screenshot, tray=args.tray)
        if args.command == "import":
            from bookdesk.cli import import_command

            if args.dry_run:
                return import_command.preview(library, args.paths, args.json)
            return import_command.run(library, args.paths, args.mode, args.json)
        if args.command == "identify":
            from bookdesk.cli import identify_command

            return identify_command.run(library, args.work_ids, args.all, args.json)
        if args.command == "history":
            from bookdesk.cli import identify_command

            return identify_command.history(library, args.work_id, args.json)
        if args.command == "undo":
            from bookdesk.cli import undo_command

            return undo_command.run(library, args.correlation_id, args.json)
        if args.command == "list":
            from bookdesk.cli import list_command

            return list_command.run(library, args.search, args.json)
        if args.command in ("gaps", "wanted", "authors"):
            from bookdesk.cli import gaps_command

            if args.command == "gaps":
                return gaps_command.run_gaps(library, args.series, args.json, args.language, args.novellas)
            if args.command == "wanted":
                return gaps_command.run_wanted(library, args.json)
            return gaps_command.run_authors(library, args.json)
        if args.command == "opds":
            from bookdesk.cli import opds_command

            return opds_command.run(args.url, args.search, args.user, args.json)
        if args.command == "fetch":
            from bookdesk.cli import fetch_command

            return fetch_command.run(library, args.urls, not args.no_import, args.work, args.json)
        if args.command == "downloads":
            from bookdesk.cli import fetch_command

            return fetch_command.list_downloads(library, args.json)
        if args.command == "search-wanted":
            from bookdesk.cli import search_wanted_command

            return search_wanted_command.run(library, args.dry_run, args.json)
        if args.command in ("schedule", "sync"):
            from bookdesk.cli import schedule_command

            if args.command == "schedule":
                return schedule_command.list_schedule(library, args.json)
            return schedule_command.sync(library, args.json)
    except UsageError as exc:
        print(f"bookdesk: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `bookdesk list | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return EXIT_OK
    except Exception as exc:  # a BookDeskError, or a bug: said plainly with a Ref, the traceback in the log
        from bookdesk.cli.output import command_failed

        command_failed(exc, library, as_json=getattr(args, "json", False))
        return EXIT_FAILED
    return EXIT_USAGE
