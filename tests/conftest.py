"""Shared fixtures for the data, core and CLI tests. No Qt here: tests/ui has its own conftest.

Every test gets its own user folders (logs, config, default library) under a temporary
directory, so nothing is ever written to the real ones, and real SQLite catalogs and
real EPUB files in ``tmp_path``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS_SIZE = 12


@pytest.fixture(autouse=True)
def user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point logs, settings and the default library at throwaway folders, and put logging back after."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("BOOKDESK_LOG_DIR", str(base / "logs"))
    monkeypatch.setenv("BOOKDESK_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("BOOKDESK_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "xdg-config"))  # autostart entries, never the real ones
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "xdg-data"))  # the trash removed books go to, never the real one
    monkeypatch.setenv("BOOKDESK_LIBRARY", str(base / "default-library"))
    from bookdesk.core import logging_setup

    root = logging.getLogger("bookdesk")
    installed, level = logging_setup._installed, root.level
    yield base
    if logging_setup._installed is not installed:  # a test (or app.main) installed a file handler
        root.removeHandler(logging_setup._installed)
        logging_setup._installed.close()
        logging_setup._installed = installed
    root.setLevel(level)


@pytest.fixture(autouse=True)
def no_dropped_submission() -> Iterator[None]:
    """Fail the test that dropped a worker submission unconsumed (never awaited, no ``result()``, not
    ``detach()``ed): its failure would have reached nobody. Costs nothing where no worker ran."""
    yield
    submission = sys.modules.get("bookdesk.core.submission")
    if submission is not None and (dropped := submission.take_dropped()):
        pytest.fail("worker submissions dropped unconsumed: " + "; ".join(dropped), pytrace=False)


# ----- libraries ---------------------------------------------------------------------------


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    """Where the test's library lives; not created yet."""
    return tmp_path / "Library"


@pytest.fixture
def catalog(library_dir: Path):
    from bookdesk.data.catalog import open_catalog

    opened = open_catalog(library_dir)
    yield opened
    opened.close()


@pytest.fixture
def worker(request: pytest.FixtureRequest):
    """A running worker over the test's library (its ``service`` when the test has one, else its
    ``catalog``: one library, opened once); stopped after the test."""
    from bookdesk.core.worker import Worker

    if "service" in request.fixturenames:
        catalog = request.getfixturevalue("service").catalog
    else:
        catalog = request.getfixturevalue("catalog")
    running = Worker(catalog)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def service(library_dir: Path):
    from bookdesk.core.library_service import LibraryService

    opened = LibraryService.open(library_dir)
    yield opened
    opened.close()


_HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from bookdesk.data.catalog import open_catalog
    catalog = open_catalog(Path(sys.argv[1]))
    print("ready", flush=True)
    sys.stdin.read()
    catalog.close()
""")


@contextmanager
def _held_by_another_process(folder: Path) -> Iterator[subprocess.Popen]:
    child = subprocess.Popen([sys.executable, "-c", _HOLDER, str(folder)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=10)
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture
def held_by_another_process():
    """``with held_by_another_process(folder) as child:`` another BookDesk process holds the library."""
    return _held_by_another_process


@pytest.fixture
def run_cli() -> Callable[..., subprocess.CompletedProcess]:
    """Run ``bookdesk ARGS...`` in a fresh process, as a person or a script would."""
    def run(*args: object, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bookdesk", *map(str, args)], capture_output=True,
                              text=True, cwd=REPO, timeout=timeout, env={**os.environ, "PYTHONIOENCODING": "utf-8"})

    return run


# ----- running jobs in the foreground ------------------------------------------------------


@pytest.fixture
def run_job():
    """Run one job to the end with a JobRunner, as the CLI does; returns (JobResult, events)."""
    from bookdesk.core.jobs import JobRunner

    def run(catalog, fn, kind: str = "test", title: str = "Test job", before=None):
        events = []
        runner = JobRunner(catalog, listeners=[events.append])
        ctx = runner.create(kind, title)
        if before is not None:
            before(ctx)
        return asyncio.run(runner.run(ctx, fn)), events

    return run


@pytest.fixture
def import_books(run_job):
    """Import ``paths`` into ``catalog`` through the ImportService; returns (JobResult, ImportReport)."""
    from bookdesk.core.importer.service import ImportService

    def run(catalog, paths, mode: str = "copy", service_class=ImportService):
        importer = service_class(catalog)
        result, _ = run_job(catalog, lambda ctx: importer.run(ctx, [Path(p) for p in paths], mode),
                            kind="import", title="Import")
        return result, result.value

    return run


# ----- books on disk -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def _corpus_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.corpus import build_corpus

    out = tmp_path_factory.mktemp("corpus-master")
    build_corpus(out, CORPUS_SIZE)
    return out


@pytest.fixture
def corpus(_corpus_master: Path, tmp_path: Path) -> Path:
    """A folder of real EPUBs (a private copy per test) with manifest.json holding the truth."""
    target = tmp_path / "incoming"
    shutil.copytree(_corpus_master, target)
    return target


@pytest.fixture
def manifest(corpus: Path) -> list[dict]:
    return json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))


CONTAINER = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
             '<rootfiles><rootfile full-path="{opf}" media-type="application/oebps-package+xml"/></rootfiles>'
             '</container>')


def write_epub(path: Path, metadata: str, *, version: str = "3.0", manifest: str = "",
               opf_name: str = "OEBPS/content.opf", members: dict[str, bytes] | None = None,
               opf: str | bytes | None = None) -> Path:
    """A small but real EPUB whose package document holds ``metadata`` (the inside of <metadata>)."""
    if opf is None:
        opf = (f'<?xml version="1.0" encoding="utf-8"?>\n'
               f'<package xmlns="http://www.idpf.org/2007/opf" version="{version}" unique-identifier="id">'
               f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">'
               f'{metadata}</metadata>'
               f'<manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>{manifest}</manifest>'
               f'<spine><itemref idref="c1"/></spine></package>')
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", CONTAINER.format(opf=opf_name), compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(opf_name, opf, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(str(Path(opf_name).parent / "c1.xhtml"),
                   '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Chapter one.</p></body></html>')
        for name, data in (members or {}).items():
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


@pytest.fixture
def make_epub() -> Callable[..., Path]:
    return write_epub


def simple_metadata(title: str, author: str = "Test Author", isbn: str | None = None) -> str:
    isbn_xml = f'<dc:identifier opf:scheme="ISBN">{isbn}</dc:identifier>' if isbn else ""
    return (f'<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>'
            f'<dc:language>en</dc:language>{isbn_xml}')


@pytest.fixture
def make_book(tmp_path: Path) -> Callable[..., Path]:
    """``make_book("Title", author=..., isbn=..., folder=...)``: a minimal valid EPUB."""
    def make(title: str, author: str = "Test Author", isbn: str | None = None, folder: Path | None = None,
             name: str | None = None) -> Path:
        target = (folder or tmp_path / "incoming") / (name or f"{title}.epub")
        return write_epub(target, simple_metadata(title, author, isbn))

    return make


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def snapshot() -> Callable[[Path], dict[str, bytes]]:
    return tree


# ----- a file even root cannot write ----------------------------------------------------------


# Set by .ci/run: there a fault test that cannot make its fault (no tmpfs, no chattr) fails, so a
# machine that lost the means cannot turn the fault tests into silent skips.
REQUIRE_FAULTS = "BOOKDESK_REQUIRE_FAULTS"


def cannot_make_fault(reason: str) -> None:
    """Skip the test, saying why; fail it instead where the fault tests are required."""
    if os.environ.get(REQUIRE_FAULTS) == "1":
        pytest.fail(f"{reason} ({REQUIRE_FAULTS}=1: the fault tests must run here)")
    pytest.skip(reason)


@pytest.fixture
def immutable() -> Iterator[Callable[[Path], None]]:
    """``make(path)``: mark a file immutable (chattr +i), which stops root as chmod 444 stops a user."""
    marked: list[Path] = []

    def make(path: Path) -> None:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True) \
            if shutil.which("chattr") else None
        if done is None or done.returncode != 0:
            cannot_make_fault(f"cannot mark a file immutable here: {done.stderr.strip() if done else 'no chattr'}")
        marked.append(path)

    yield make
    for path in marked:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
