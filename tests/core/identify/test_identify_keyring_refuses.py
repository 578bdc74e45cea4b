"""A keyring that refuses to give a provider's token (locked, its prompt cancelled) leaves that provider
out of the identify run, said once in the job's summary (which the window's status bar, Activity, the
scheduled job and ``bookdesk identify`` all show); the other providers identify the books."""

from __future__ import annotations

from bookdesk.core.secrets import GOOGLEBOOKS_KEY, HARDCOVER_TOKEN
from tests.fakes.refusing_secrets import RefusingFor


def test_hardcover_is_left_out_and_the_others_identify_the_books(library, run_job):
    report, _ = library.identify(run_job, secrets_store=RefusingFor(HARDCOVER_TOKEN))

    assert "Hardcover skipped: your keyring did not give its token" in report.summary()
    assert not any("Hardcover" in note for note in report.notes), report.notes  # said once, not twice
    assert library.world.requests("hardcover") == []
    assert library.wrong(report) == []
    assert report.count("applied") >= len(library.truth) - 1


def test_google_books_key_refused_too_leaves_open_library_to_ask(library, run_job):
    report, _ = library.identify(run_job, secrets_store=RefusingFor(HARDCOVER_TOKEN, GOOGLEBOOKS_KEY))

    summary = report.summary()
    assert "Hardcover skipped: your keyring did not give its token" in summary
    assert "Google Books skipped: your keyring did not give its API key" in summary
    assert library.world.requests("googlebooks") == [] and library.world.requests("openlibrary")
    assert report.count("applied") + report.count("review") > 0
