"""One of each network thing: only ``core/net/factory.py`` builds an httpx client or spells out the
User-Agent, and only ``core/net/retry_after.py`` reads a Retry-After. This test reads the source of
every module under ``bookdesk/`` and fails on a second one."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3] / "bookdesk"
FACTORY = "core/net/factory.py"
CLIENTS = {"AsyncClient", "Client"}


def _called_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def second_ones(package: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        where = path.relative_to(package).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _called_name(node) in CLIENTS and where != FACTORY:
                found.append(f"{where}:{node.lineno}: builds an HTTP client outside the net factory")
            elif isinstance(node, ast.Assign) and where != FACTORY and any(
                    isinstance(t, ast.Name) and t.id == "USER_AGENT" for t in node.targets):
                found.append(f"{where}:{node.lineno}: a User-Agent of its own")
            elif isinstance(node, ast.Call) and _called_name(node) == "parsedate_to_datetime" and _near_retry(path):
                found.append(f"{where}:{node.lineno}: reads Retry-After outside core/net/retry_after.py")
    return found


def _near_retry(path: Path) -> bool:
    """A module that parses an HTTP date and speaks of Retry-After is reading it itself."""
    text = path.read_text(encoding="utf-8").lower()
    return "retry-after" in text and not path.as_posix().endswith("core/net/retry_after.py")


def test_every_http_client_and_retry_after_comes_from_core_net() -> None:
    assert second_ones() == []


def test_the_guard_sees_a_second_client_user_agent_and_retry_after_reader(tmp_path: Path) -> None:
    (tmp_path / "indexer.py").write_text(
        "import httpx\n"
        "from email.utils import parsedate_to_datetime\n"
        "USER_AGENT = 'mine'\n"
        "def make():\n"
        "    return httpx.AsyncClient(headers={'User-Agent': USER_AGENT})\n"
        "def wait(headers):\n"
        "    return parsedate_to_datetime(headers['retry-after'])\n", encoding="utf-8")

    found = second_ones(tmp_path)

    assert [f.split(": ", 1)[0] for f in found] == ["indexer.py:3", "indexer.py:5", "indexer.py:7"]
