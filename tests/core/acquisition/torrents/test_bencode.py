"""Bencoding and info hashes, and .torrent files that are not."""

from __future__ import annotations

import hashlib

import pytest

from bookdesk.core.acquisition.bencode import BencodeError, decode, encode, info_hash, torrent_name
from bookdesk.core.acquisition.clients.base import magnet_info_hash


def test_values_round_trip_with_sorted_keys() -> None:
    value = {"b": [1, -2, b"x"], "a": {"z": b"", "y": 0}}
    data = encode(value)
    assert data == b"d1:ad1:yi0e1:z0:e1:bli1ei-2e1:xee"
    assert decode(data) == {b"a": {b"y": 0, b"z": b""}, b"b": [1, -2, b"x"]}


def test_the_info_hash_is_the_sha1_of_the_info_bytes_as_written() -> None:
    info = encode({"name": "Dune.epub", "length": 5, "piece length": 16384, "pieces": b"\x00" * 20})
    torrent = b"d8:announce3:url4:info" + info + b"e"
    assert info_hash(torrent) == hashlib.sha1(info).hexdigest()
    assert torrent_name(torrent) == "Dune.epub"


@pytest.mark.parametrize("data", [b"", b"<html>", b"d4:infoi1ee", b"d3:abc", b"l" * 100 + b"e" * 100, b"i12",
                                  b"d8:announce3:urle", b"5:abc", b"di1ei2ee", b"i1ei2e"])
def test_what_is_not_a_torrent_is_a_clear_error(data: bytes) -> None:
    with pytest.raises(BencodeError):
        info_hash(data)


def test_magnet_links_give_their_hash_in_hex() -> None:
    assert magnet_info_hash("magnet:?xt=urn:btih:" + "AB" * 20 + "&dn=x") == "ab" * 20
    assert magnet_info_hash("magnet:?xt=urn:btih:" + "A" * 32) == "00" * 20
    with pytest.raises(ValueError):
        magnet_info_hash("magnet:?dn=nothing")
