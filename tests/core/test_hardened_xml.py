"""The one hardened XML parser refuses what XML attacks are made of, and is the only parser BookDesk builds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bookdesk
from bookdesk.core import hardened_xml

BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                  b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
                  b"<r>&d;</r>")
EXTERNAL_ENTITY = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion laughs", "external entity"])
@pytest.mark.parametrize("options", [{}, {"recover": True}, {"keep_formatting": True}], ids=["strict", "recover",
                                                                                            "keep formatting"])
def test_entity_declarations_are_refused(document, options):
    with pytest.raises(hardened_xml.XmlRefused):
        hardened_xml.parse(document, **options)


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion laughs", "external entity"])
def test_entity_declarations_hidden_in_utf16_are_refused(document):
    utf16 = document.decode().replace('version="1.0"', 'version="1.0" encoding="utf-16"').encode("utf-16")
    assert b"<!ENTITY" not in utf16
    with pytest.raises(hardened_xml.XmlRefused):
        hardened_xml.parse(utf16)


def test_an_external_dtd_is_never_fetched():
    root = hardened_xml.parse(b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/r.dtd"><r>plain</r>')
    assert root.text == "plain"


def test_a_broken_document_is_unreadable_when_strict_and_recovered_on_request():
    broken = b"<r><t>Tom & Jerry</t></r>"
    with pytest.raises(hardened_xml.XmlUnreadable):
        hardened_xml.parse(broken)
    assert hardened_xml.parse(broken, recover=True).tag == "r"


def test_keep_formatting_keeps_comments_and_cdata():
    root = hardened_xml.parse(b"<r><!-- kept --><t><![CDATA[a<b]]></t></r>", keep_formatting=True)
    assert b"<!-- kept -->" in hardened_xml.etree.tostring(root)
    assert b"<![CDATA[a<b]]>" in hardened_xml.etree.tostring(root)


def test_no_other_module_builds_an_xml_parser():
    package = Path(bookdesk.__file__).parent
    # Building a parser, or parsing with lxml's default one (which expands internal entities), anywhere else.
    builders = re.compile(r"\betree\.(XMLParser|XMLPullParser|iterparse|fromstring|fromstringlist|XML|parse)\s*\("
                          r"|\bfrom lxml\.etree import|\bfrom lxml import (html|objectify)|\blxml\.html"
                          r"|^\s*(import|from) xml\.(etree|dom|sax)\b", re.MULTILINE)
    offenders = [str(path.relative_to(package)) for path in package.rglob("*.py")
                 if path.name != "hardened_xml.py"
                 and builders.search(path.read_text(encoding="utf-8"))]
    assert offenders == [], f"XML parsers built outside bookdesk/core/hardened_xml.py: {offenders}"
