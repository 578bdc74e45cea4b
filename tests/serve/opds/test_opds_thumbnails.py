"""The OPDS thumbnail of a book: its cover scaled down to a JPEG 200 px high, made on the first request and
kept beside the catalog (a new one when the cover changes), with a cover that is no image answered with
the cover itself and nothing half-written left behind."""

from __future__ import annotations

import io
import re

import httpx
from PIL import Image

from bookdesk.serve.opds.thumbnails import THUMBNAIL_FOLDER, THUMBNAIL_HEIGHT

COVER = "Le Guin/Wizard/cover.png"


def _picture(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def test_a_thumbnail_is_the_cover_scaled_to_200_px_high_and_kept(opds_server, opds_library):
    cover = opds_library.folder / COVER
    cover.write_bytes(_picture(600, 900, (30, 90, 200)))
    url = f"{opds_server}/opds/thumbnails/{opds_library.ids['wizard']}"
    answer = httpx.get(url)
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/jpeg"
    picture = Image.open(io.BytesIO(answer.content))
    assert picture.format == "JPEG" and picture.size == (THUMBNAIL_HEIGHT * 2 // 3, THUMBNAIL_HEIGHT)
    assert abs(picture.getpixel((60, 100))[2] - 200) < 12  # the cover's colour, not a blank
    kept = list((opds_library.folder / THUMBNAIL_FOLDER).iterdir())
    assert [path.suffix for path in kept] == [".jpg"]
    made = kept[0].stat().st_mtime_ns
    assert httpx.get(url).content == answer.content and kept[0].stat().st_mtime_ns == made  # read, not made again
    cover.write_bytes(_picture(600, 300, (220, 20, 20)))  # a new cover: a new thumbnail, the old one gone
    again = Image.open(io.BytesIO(httpx.get(url).content))
    assert again.size == (THUMBNAIL_HEIGHT * 2, THUMBNAIL_HEIGHT)
    assert again.getpixel((10, 10))[0] > 180
    assert len(list((opds_library.folder / THUMBNAIL_FOLDER).iterdir())) == 1


def test_the_feeds_give_the_thumbnail_as_a_jpeg(opds_server, opds_library):
    second = httpx.get(f"{opds_server}/opds/v2/recent").json()
    wizard = next(p for p in second["publications"] if p["metadata"]["title"] == "A Wizard of Earthsea")
    thumbnail = next(image for image in wizard["images"] if image["rel"] == "thumbnail")
    assert thumbnail["type"] == "image/jpeg"
    assert httpx.get(thumbnail["href"]).headers["content-type"] == "image/jpeg"
    atom = httpx.get(f"{opds_server}/opds/recent").text
    assert re.search(r'rel="http://opds-spec.org/image/thumbnail" href="[^"]+/thumbnails/\d+" type="image/jpeg"', atom)


def test_a_cover_that_is_no_image_is_answered_with_the_cover_itself(opds_server, opds_library):
    cover = opds_library.folder / COVER
    cover.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a picture" * 50)
    answer = httpx.get(f"{opds_server}/opds/thumbnails/{opds_library.ids['wizard']}")
    assert answer.status_code == 200 and answer.content == cover.read_bytes()
    folder = opds_library.folder / THUMBNAIL_FOLDER
    assert not folder.exists() or not list(folder.iterdir())  # no thumbnail, and no half-written file
