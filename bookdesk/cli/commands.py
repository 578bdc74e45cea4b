"""The commands of ``bookdesk <command>``, one row each, in the order ``bookdesk --help`` lists them.

A row names the module that holds the command: its ``add_arguments(parser)``, which gives the
command's parser its own arguments (``--library`` every command has already), and its
``main(args, library) -> int``, which runs it and gives the exit code. The table imports none of
them: ``bookdesk.app`` imports only the module of the command that runs, so ``bookdesk list`` does
not load the HTTP client or the importer's readers just to start.

``smoke`` opens the main window, so its module lies in ``bookdesk.ui``, which ``bookdesk.cli`` may
not import: the row only names it, and the app, above both faces, imports it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    help: str  # the line ``bookdesk --help`` shows beside the name
    module: str  # dotted name of the module with add_arguments(parser) and main(args, library)


COMMANDS: tuple[Command, ...] = (
    Command("smoke", "open the main window offscreen and exit", "bookdesk.ui.smoke_command"),
    Command("import", "import book files or folders", "bookdesk.cli.import_command"),
    Command("calibre", "bring a calibre library over (calibre import DIR)", "bookdesk.cli.calibre_command"),
    Command("identify", "find what books really are and correct them", "bookdesk.cli.identify_command"),
    Command("history", "every change to one book's metadata", "bookdesk.cli.history_command"),
    Command("undo", "revert everything one job did (an import, edits)", "bookdesk.cli.undo_command"),
    Command("edit", "change books' metadata by hand (title, authors, series, tags, read state...)",
            "bookdesk.cli.edit_command"),
    Command("list", "list the books in the library", "bookdesk.cli.list_command"),
    Command("remove", "remove books from the library (their files to the trash)", "bookdesk.cli.remove_command"),
    Command("gaps", "which books of each series are missing", "bookdesk.cli.gaps_command"),
    Command("wanted", "list the wanted books", "bookdesk.cli.wanted_command"),
    Command("authors", "authors with what is owned and missing", "bookdesk.cli.authors_command"),
    Command("opds", "browse or search an OPDS catalog", "bookdesk.cli.opds_command"),
    Command("fetch", "download books by URL and import them", "bookdesk.cli.fetch_command"),
    Command("downloads", "list downloads and their state", "bookdesk.cli.downloads_command"),
    Command("search-wanted", "search indexers for every wanted book and grab the best release",
            "bookdesk.cli.search_wanted_command"),
    Command("schedule", "the scheduled jobs and when they run next", "bookdesk.cli.schedule_command"),
    Command("sync", "run every scheduled job that is due, once", "bookdesk.cli.sync_command"),
    Command("abs", "Audiobookshelf servers: add, servers, pull, push", "bookdesk.cli.abs_command"),
    Command("serve", "serve the library to e-readers (OPDS) and scripts (API) until stopped",
            "bookdesk.cli.serve_command"),
    Command("keys", "keys of the local API: add, list, revoke", "bookdesk.cli.keys_command"),
)
