"""A small corpus of real EPUBs with known metadata, made by the tests themselves.

Like ../shared/tools/make_corpus.py (which the benchmarks use), it writes N books and a
manifest.json of the truth, so a clone anywhere runs every import test.
"""

from __future__ import annotations

import json
import random
import struct
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

FIRST = ["Ada", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Inès", "Søren", "Zoë"]
LAST = ["Brontë", "Castellanos", "Dupont", "Eklund", "García Márquez", "Jørgensen", "Le Guin", "O'Brien"]
WORDS = ["Shadow", "River", "Empire", "Glass", "Winter", "Crown", "Ember", "Tide", "Lantern", "Orchard"]


def png(rgb: tuple[int, int, int], width: int = 24, height: int = 36) -> bytes:
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def isbn13(rng: random.Random) -> str:
    digits = [9, 7, 8] + [rng.randrange(10) for _ in range(9)]
    total = sum(d * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
    return "".join(map(str, digits + [(10 - total % 10) % 10]))


def write_book(path: Path, title: str, author: str, series: str | None, index: float | None, isbn: str,
               rng: random.Random) -> None:
    first, last = author.split(" ", 1)
    series_meta = ""
    if series:
        # Half the books say their series the calibre way, half the EPUB 3 way.
        if rng.random() < 0.5:
            series_meta = (f'<meta name="calibre:series" content="{escape(series)}"/>'
                           f'<meta name="calibre:series_index" content="{index}"/>')
        else:
            series_meta = (f'<meta property="belongs-to-collection" id="c1">{escape(series)}</meta>'
                           f'<meta refines="#c1" property="collection-type">series</meta>'
                           f'<meta refines="#c1" property="group-position">{index:g}</meta>')
    opf = (f'<?xml version="1.0" encoding="utf-8"?>'
           f'<package xmlns="http://www.idpf.org/2007/opf" unique-identifier="id" version="3.0">'
           f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">'
           f'<dc:title>{escape(title)}</dc:title>'
           f'<dc:creator opf:role="aut" opf:file-as="{escape(last)}, {escape(first)}">{escape(author)}</dc:creator>'
           f'<dc:identifier id="id">urn:isbn:{isbn}</dc:identifier><dc:language>en</dc:language>'
           f'<meta name="cover" content="cover"/>{series_meta}</metadata>'
           f'<manifest><item id="c1x" href="c1.xhtml" media-type="application/xhtml+xml"/>'
           f'<item id="cover" href="cover.png" media-type="image/png"/></manifest>'
           f'<spine><itemref idref="c1x"/></spine></package>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml",
                   '<?xml version="1.0"?><container version="1.0" '
                   'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
                   '<rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
                   '</rootfiles></container>', compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.opf", opf, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("cover.png", png((rng.randrange(256), rng.randrange(256), rng.randrange(256))))
        body = " ".join(rng.choice(WORDS).lower() for _ in range(300))
        z.writestr("c1.xhtml", f'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>{body}</p></body></html>',
                   compress_type=zipfile.ZIP_DEFLATED)


def build_corpus(out: Path, count: int, seed: int = 7) -> list[dict]:
    """``count`` EPUBs in ``out`` and their truth in ``out/manifest.json``."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(max(3, count // 4))]
    series_of: dict[str, str] = {}
    truth = []
    for k in range(count):
        author = rng.choice(authors)
        title = f"The {rng.choice(WORDS)} of {rng.choice(WORDS)} {k}"
        series = index = None
        if rng.random() < 0.6:
            series = series_of.setdefault(author, f"{rng.choice(WORDS)} Saga {len(series_of) + 1}")
            index = rng.choice([1, 2, 3, 4, 1.5])
        isbn = isbn13(rng)
        name = f"book-{k:05d}.epub"
        write_book(out / name, title, author, series, index, isbn, rng)
        truth.append({"file": name, "title": title, "author": author, "series": series, "index": index,
                      "isbn": isbn})
    (out / "manifest.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth
