"""``bookdesk keys``: a key printed once, only its hash in the catalog, listed and revoked by name."""

from __future__ import annotations

import json
import sqlite3

import pytest

from bookdesk.app import main
from bookdesk.core.api_keys import KEY_PREFIX, key_for, key_hash
from bookdesk.data.catalog import CATALOG_NAME


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_a_key_is_printed_once_and_the_catalog_keeps_only_its_hash(filled_library, capsys):
    assert main(["keys", "add", "phone", "--library", str(filled_library), "--json"]) == 0
    made = _json(capsys)
    assert set(made) == {"name", "key", "scope"} and made["name"] == "phone" and made["scope"] == "read"
    assert made["key"].startswith(KEY_PREFIX) and len(made["key"]) > 40

    catalog = (filled_library / CATALOG_NAME).read_bytes()
    assert made["key"].encode() not in catalog
    with sqlite3.connect(filled_library / CATALOG_NAME) as connection:
        assert connection.execute("SELECT key_hash FROM api_keys").fetchall() == [(key_hash(made["key"]),)]
        assert key_for(connection, made["key"]).scope == "read"
        assert key_for(connection, made["key"] + "x") is None

    assert main(["keys", "list", "--library", str(filled_library), "--json"]) == 0
    [listed] = _json(capsys)["keys"]
    assert listed["name"] == "phone" and listed["scope"] == "read" and listed["revoked"] is None
    assert made["key"] not in json.dumps(listed)


def test_write_keys_names_in_force_once_and_revoking(filled_library, capsys):
    assert main(["keys", "add", "script", "--write", "--library", str(filled_library), "--json"]) == 0
    first = _json(capsys)
    assert first["scope"] == "write"

    assert main(["keys", "add", "script", "--library", str(filled_library), "--json"]) == 2
    assert "exists already" in capsys.readouterr().err

    assert main(["keys", "revoke", "script", "--library", str(filled_library)]) == 0
    capsys.readouterr()
    with sqlite3.connect(filled_library / CATALOG_NAME) as connection:
        assert key_for(connection, first["key"]) is None
    assert main(["keys", "revoke", "script", "--library", str(filled_library), "--json"]) == 1
    capsys.readouterr()

    assert main(["keys", "add", "script", "--library", str(filled_library), "--json"]) == 0  # the name is free again
    second = _json(capsys)
    assert main(["keys", "list", "--library", str(filled_library), "--json"]) == 0
    listed = _json(capsys)["keys"]
    assert [(k["name"], k["scope"], k["revoked"] is None) for k in listed] == [
        ("script", "read", True), ("script", "write", False)]
    assert second["key"] != first["key"]


@pytest.mark.parametrize("name", ["", "   ", "a" * 65, "tab\there"])
def test_a_name_that_is_no_name_is_refused(filled_library, capsys, name):
    assert main(["keys", "add", name, "--library", str(filled_library), "--json"]) == 2
    assert "printable characters" in capsys.readouterr().err
