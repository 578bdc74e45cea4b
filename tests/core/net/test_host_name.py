"""A server is named one way (bookdesk.core.net.host_name.host_key): what a download counts against,
what the rate limiter keys, what a message names. Never the login an address carries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bookdesk.core.net.host_name import host_key

BOOKDESK = Path(__file__).resolve().parents[3] / "bookdesk"


@pytest.mark.parametrize(("url", "name"), [
    ("https://Books.Example/a.epub", "books.example"),
    ("http://ann:pw@books.example:8080/a.epub?apikey=K", "books.example:8080"),
    ("http://ann:p@ss@books.example/a.epub", "books.example"),  # an unencoded "@" in the password
    ("https://tok@books.example:443/x", "books.example"),  # the default port is no part of the name
    ("http://[::1]:9117/api", "[::1]:9117"),
])
def test_a_server_is_named_by_its_host_and_port_never_its_login(url, name):
    assert host_key(url) == name


def test_an_address_that_cannot_be_read_still_names_its_server_without_the_login():
    assert host_key("http://ann:pw@Books.example:notaport/x") == "books.example:notaport"


# The shapes the server's name was built in before it had one home.
_OTHER_WAYS = re.compile(r"netloc\.r?partition\(\"@\"\)|"
                         r"f\"\{parsed\.host\}:\{parsed\.port\}\"|def (?:_host|origin|_where)\(")


def test_no_other_module_builds_a_server_name_of_its_own():
    others = [f"{path.relative_to(BOOKDESK.parent)}: {match.group(0)}"
              for path in sorted(BOOKDESK.rglob("*.py")) if path.name != "host_name.py"
              for match in _OTHER_WAYS.finditer(path.read_text(encoding="utf-8"))]
    assert others == []
