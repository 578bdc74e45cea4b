"""OPF people with more than one role: an author who narrates their own book is both, in an EPUB's
package document and in calibre's metadata.opf alike."""

from __future__ import annotations

import pytest

from bookdesk.core.importer.readers.epub import read_epub
from bookdesk.core.importer.sidecars import read_sidecars
from bookdesk.data.catalog_rows import Contributor

TWO_REFINES = """
    <dc:title>Born a Crime</dc:title>
    <dc:creator id="c1">Trevor Noah</dc:creator>
    <meta refines="#c1" property="role" scheme="marc:relators">aut</meta>
    <meta refines="#c1" property="role" scheme="marc:relators">nrt</meta>
    <meta refines="#c1" property="file-as">Noah, Trevor</meta>"""
ATTRIBUTE_AND_REFINE = """
    <dc:title>Born a Crime</dc:title>
    <dc:creator id="c1" opf:role="aut" opf:file-as="Noah, Trevor">Trevor Noah</dc:creator>
    <meta refines="#c1" property="role" scheme="marc:relators">nrt</meta>"""
SAME_ROLE_TWICE = """
    <dc:title>Born a Crime</dc:title>
    <dc:creator id="c1" opf:role="aut" opf:file-as="Noah, Trevor">Trevor Noah</dc:creator>
    <meta refines="#c1" property="role" scheme="marc:relators">aut</meta>
    <dc:contributor id="c2">Jane Doe</dc:contributor>
    <meta refines="#c2" property="role" scheme="marc:relators">edt</meta>
    <meta refines="#c2" property="role" scheme="marc:relators">bkp</meta>"""

BOTH = [Contributor("Trevor Noah", "author", "Noah, Trevor"), Contributor("Trevor Noah", "narrator", "Noah, Trevor")]


@pytest.mark.parametrize("metadata", [TWO_REFINES, ATTRIBUTE_AND_REFINE], ids=["two refines", "opf:role and a refine"])
def test_a_creator_listed_with_two_roles_in_an_epub_keeps_both(tmp_path, make_epub, metadata):
    book = read_epub(make_epub(tmp_path / "crime.epub", metadata))

    assert book.contributors == BOTH
    assert [c.name for c in book.authors] == ["Trevor Noah"] and [c.name for c in book.narrators] == ["Trevor Noah"]


def test_a_role_given_twice_is_one_role_and_an_unknown_role_is_left_out(tmp_path, make_epub):
    book = read_epub(make_epub(tmp_path / "crime.epub", SAME_ROLE_TWICE))

    assert book.contributors == [Contributor("Trevor Noah", "author", "Noah, Trevor"), Contributor("Jane Doe", "editor")]


@pytest.mark.parametrize("metadata", [TWO_REFINES, ATTRIBUTE_AND_REFINE], ids=["two refines", "opf:role and a refine"])
def test_a_creator_with_two_roles_in_calibres_metadata_opf_keeps_both(tmp_path, metadata):
    (tmp_path / "metadata.opf").write_text(
        '<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">'
        f"{metadata}</metadata></package>", encoding="utf-8")

    book = read_sidecars(tmp_path)

    assert book is not None and book.contributors == BOTH
