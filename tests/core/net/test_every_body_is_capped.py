"""Every HTTP body BookDesk reads comes through the one capped reader (``core/net/capped_read.py``),
under a size limit and a total deadline; downloads stream to disk in ``http_fetch.py`` alone.

httpx reads a body whole, with no limit, in two ways: its eager request methods (``client.get``,
``.post``, ``.request``, ``.send`` ...) and a streamed response's readers (``aread``, ``aiter_bytes``
...). This test reads the source of every module under ``bookdesk/`` and fails on either, outside
the places allowed to hold them. An eager call is recognised by its receiver's name: an httpx
client is always called ``http``, ``_http`` or ``httpx`` here (and a test below keeps it so).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3] / "bookdesk"
EAGER = {"get", "post", "put", "patch", "delete", "head", "options", "request", "send"}
READERS = {"aread", "aiter_bytes", "aiter_raw", "aiter_text", "aiter_lines", "iter_bytes", "iter_raw", "iter_text",
           "iter_lines", "read"}
HTTP_NAMES = re.compile(r"^_?(http|httpx|http_client)$")
# Where a response is opened as a stream, and read: the capped reader, the OPDS client (it checks
# the status before reading, through read_capped) and the download to disk.
STREAMS = {"core/net/capped_read.py", "core/acquisition/opds/client.py", "core/acquisition/http_fetch.py"}
BODY_READERS = {"core/net/capped_read.py", "core/acquisition/http_fetch.py"}


def _receiver(node: ast.expr) -> str:
    """The last name of a call's receiver: ``self._http.get`` -> ``_http``."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _calls(path: Path):  # noqa: ANN202
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            yield node.func.attr, _receiver(node.func.value), node.lineno


def uncapped_reads(package: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        where = path.relative_to(package).as_posix()
        streams_in_text = "stream" in path.read_text(encoding="utf-8")
        for method, receiver, line in _calls(path):
            if HTTP_NAMES.match(receiver) and method in EAGER:
                found.append(f"{where}:{line}: {receiver}.{method}() reads the whole body with no limit")
            elif HTTP_NAMES.match(receiver) and method == "stream" and where not in STREAMS:
                found.append(f"{where}:{line}: {receiver}.stream() outside the capped reader")
            elif method in READERS - {"read"} and where not in BODY_READERS:
                found.append(f"{where}:{line}: .{method}() reads a body outside the capped reader")
            elif method == "read" and receiver in ("response", "resp", "reply") and streams_in_text:
                found.append(f"{where}:{line}: {receiver}.read() reads a body outside the capped reader")
    return found


def test_every_http_body_is_read_through_the_capped_reader() -> None:
    assert uncapped_reads() == []


def test_the_guard_sees_the_ways_a_body_is_read_whole(tmp_path: Path) -> None:
    (tmp_path / "indexer.py").write_text(
        "async def search(self, http):\n"
        "    a = await self._http.get(self.url)\n"
        "    b = await http.request('GET', url)\n"
        "    async with self.http.stream('GET', url) as response:\n"
        "        c = await response.aread()\n"
        "    return a.content\n", encoding="utf-8")

    found = uncapped_reads(tmp_path)

    assert [f.split(": ", 1)[0] for f in found] == ["indexer.py:2", "indexer.py:3", "indexer.py:4", "indexer.py:5"]


def test_an_httpx_client_goes_by_one_of_the_names_the_guard_knows() -> None:
    """``x = httpx.AsyncClient(...)`` binds it to ``http``/``_http`` (or passes it straight on)."""
    odd = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.withitem):
                value = node.context_expr if isinstance(node, ast.withitem) else node.value
                targets = [node.optional_vars] if isinstance(node, ast.withitem) else (
                    node.targets if isinstance(node, ast.Assign) else [node.target])
                made = isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                    and value.func.attr == "AsyncClient"
                for target in targets:
                    if made and target is not None and not HTTP_NAMES.match(_receiver(target)):
                        odd.append(f"{path.relative_to(PACKAGE)}:{value.lineno}: {ast.unparse(target)}")
    assert odd == []
