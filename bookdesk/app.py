"""Entry point: ``bookdesk`` opens the GUI, ``bookdesk <command>`` runs a command (DESIGN.md section 7).

Heavy modules (Qt, SQLAlchemy) are imported only by the path that needs them, so
``bookdesk --version`` and the CLI start fast: the commands are rows of a table
(bookdesk/cli/commands.py), and only the module of the command that runs is imported.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import bookdesk
from bookdesk.cli.commands import COMMANDS, Command

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def command_module(command: Command) -> ModuleType:
    """The module of ``command``: its ``add_arguments(parser)`` and ``main(args, library)``.

    Imported here, in the app, because a row may name a module of the GUI (``smoke``)."""
    return importlib.import_module(command.module)


class CommandParser(argparse.ArgumentParser):
    """A command's parser. It takes the command's own arguments from the command's module only
    when that command is the one parsed (``--help`` included), so no other command's module is
    imported; ``bookdesk --help`` needs only the names and help lines of the table."""

    def __init__(self, *args: object, command: Command | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._unloaded = command

    def parse_known_args(self, args: Sequence[str] | None = None,
                         namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        if self._unloaded is not None:
            command, self._unloaded = self._unloaded, None
            command_module(command).add_arguments(self)
        return super().parse_known_args(args, namespace)


class _VersionAction(argparse.Action):
    """``--version``: the version read only when asked for (bookdesk/__init__.py says why)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show program's version number and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"BookDesk {bookdesk.__version__}")  # on stdout, as argparse's own version action
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--library", type=Path, default=argparse.SUPPRESS,
                        help="library folder (default: $BOOKDESK_LIBRARY or BookDesk/Library in your data folder)")
    parser = argparse.ArgumentParser(prog="bookdesk", parents=[common],
                                     description="BookDesk: your ebooks and audiobooks, complete and correct.",
                                     epilog="bookdesk [--library DIR] FILE... opens the window and previews an "
                                            "import of the files, as dropping them on it does; when BookDesk is "
                                            "open already, it takes them.")
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument("--in-tray", action="store_true",
                        help="start in the system tray without opening the window (as at login)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    for command in COMMANDS:
        commands.add_parser(command.name, parents=[common], help=command.help, command=command)
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


def _files_to_open(parser: argparse.ArgumentParser, argv: list[str]) -> tuple[list[str], list[Path]]:
    """The command line left for the parser, and the files to open in the window (if any)."""
    opening = split_open_paths(argv, command_names(parser))
    if opening is None:
        return argv, []
    options, named = opening
    missing = [name for name in named if not os.path.exists(name)]
    if missing:
        parser.error(f"no such file or folder: {', '.join(missing)}")
    return options, [Path(os.path.abspath(name)) for name in named]


def _settings_library() -> Path | None:
    """The library folder the person chose (in the first-run wizard or Settings), if any."""
    from bookdesk.core.settings import load_settings

    folder = load_settings().library_folder
    return Path(folder).expanduser() if folder else None


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # the import's reader processes, in a frozen bundle
    parser = build_parser()
    argv, open_paths = _files_to_open(parser, sys.argv[1:] if argv is None else list(argv))
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
        [command] = [c for c in COMMANDS if c.name == args.command]
        return command_module(command).main(args, library)
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
