"""Draw the program's icon in every size a desktop wants, from its one SVG.

app/resources/icons/peer-helper-trainer.svg is the source. This writes, beside it, a PNG for
each size Linux desktops and Qt use, and for the packagers a Windows .ico and a macOS .icns,
each holding several PNG-compressed sizes (both formats allow PNG images inside). The results
are committed, so building the bundle never needs this script; run it after editing the SVG.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ICONS = REPO / "app" / "resources" / "icons"
SVG = ICONS / "peer-helper-trainer.svg"
PACKAGING = REPO / "packaging" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# The .icns chunk type for each pixel size (the @2x types share pixel sizes with larger 1x ones).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def png_name(size: int) -> str:
    return f"peer-helper-trainer-{size}.png"


def render_png(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"make-icons: {SVG} is not an SVG that Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows icon: a directory of entries, each a PNG (valid since Windows Vista)."""
    sizes = [s for s in ICO_SIZES if s in pngs]
    out = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    blobs = b""
    for s in sizes:
        data = pngs[s]
        dim = 0 if s >= 256 else s  # 0 means 256 in an ICO directory
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(blobs))
        blobs += data
    return out + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    """A macOS icon: 'icns', the total length, then (type, length, PNG) chunks."""
    chunks = b"".join(kind + struct.pack(">I", 8 + len(pngs[s])) + pngs[s] for kind, s in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - painting needs it
    pngs = {s: render_png(s) for s in PNG_SIZES}
    for s, data in pngs.items():
        (ICONS / png_name(s)).write_bytes(data)
    PACKAGING.mkdir(parents=True, exist_ok=True)
    (PACKAGING / "peer-helper-trainer.ico").write_bytes(ico(pngs))
    (PACKAGING / "peer-helper-trainer.icns").write_bytes(icns(pngs))
    print(
        f"make-icons: {len(pngs)} PNG sizes in {ICONS.relative_to(REPO)}, .ico and .icns in "
        f"{PACKAGING.relative_to(REPO)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
