"""Render the app icon (resources/icons/bookdesk.svg) for every platform's installer.

Writes into OUT (default build/icons):
  hicolor/SIZExSIZE/apps/bookdesk.png and hicolor/scalable/apps/bookdesk.svg   the Linux icon theme
  bookdesk.ico    Windows: the executable and the installer (PNG images inside, as Vista and later read)
  bookdesk.icns   macOS: the .app (PNG images inside, as macOS 10.7 and later read)
Drawn with Qt's own SVG renderer, so no other tool is needed on any build machine.

Usage: render_icons.py [OUT]
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a build machine has no display

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "resources" / "icons" / "bookdesk.svg"
NAME = "bookdesk"  # the Icon= of the .desktop entry and the name the window sets
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types that hold a PNG, by pixel size; the @2x types reuse the larger images.
ICNS_TYPES = ((b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512),
              (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512))


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"cannot encode a {size}px PNG")
    return bytes(data)


def ico(images: dict[int, bytes]) -> bytes:
    """An ICO file holding PNG images: a header, one directory entry per image, the images."""
    sizes = sorted(images)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = images[size]
        side = size if size < 256 else 0  # 0 means 256 in an ICO directory
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    return header + entries + blobs


def icns(images: dict[int, bytes]) -> bytes:
    """An ICNS file: 'icns', the total length, then (type, length, PNG) elements."""
    body = b"".join(kind + struct.pack(">I", 8 + len(images[size])) + images[size] for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "build" / "icons"
    _app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - kept alive while drawing
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"render_icons: cannot read {SOURCE}", file=sys.stderr)
        return 1
    sizes = sorted(set(HICOLOR_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES})
    images = {size: render_png(renderer, size) for size in sizes}
    for size in HICOLOR_SIZES:
        target = out / "hicolor" / f"{size}x{size}" / "apps" / f"{NAME}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(images[size])
    scalable = out / "hicolor" / "scalable" / "apps" / f"{NAME}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable)
    (out / f"{NAME}.ico").write_bytes(ico({size: images[size] for size in ICO_SIZES}))
    (out / f"{NAME}.icns").write_bytes(icns(images))
    print(f"render_icons: {len(HICOLOR_SIZES)} PNG sizes, SVG, ICO and ICNS in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
