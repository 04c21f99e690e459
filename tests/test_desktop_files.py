"""The desktop integration files: icon sizes drawn from the SVG, the Windows and macOS icon files,
the Linux menu entry and AppStream metadata, and the spec shipping what the program loads from disk."""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parent.parent
ICONS = REPO / "app" / "resources" / "icons"
LINUX = REPO / "packaging" / "linux"
METAINFO = LINUX / "io.github.peerhelpertrainer.PeerHelperTrainer.metainfo.xml"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@pytest.mark.parametrize("size", SIZES)
def test_each_png_size_is_the_svg_drawn_at_that_size(qapp, size):
    import sys

    sys.path.insert(0, str(REPO / "scripts"))
    from make_icons import render_png

    committed = QImage(str(ICONS / f"peer-helper-trainer-{size}.png"))
    assert (committed.width(), committed.height()) == (size, size)
    fresh = QImage.fromData(render_png(size))
    differing = sum(1 for y in range(size) for x in range(size) if committed.pixel(x, y) != fresh.pixel(x, y))
    assert differing <= size * size // 50, "the PNGs are out of date: run scripts/make-icons"


def test_the_windows_icon_holds_sizes_16_to_256():
    data = (REPO / "packaging" / "icons" / "peer-helper-trainer.ico").read_bytes()
    _reserved, kind, count = struct.unpack("<HHH", data[:6])
    sizes = []
    for i in range(count):
        w, _h, _c, _r, _planes, _bpp, length, offset = struct.unpack("<BBBBHHII", data[6 + 16 * i : 22 + 16 * i])
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + length <= len(data)
        sizes.append(w or 256)
    assert kind == 1 and sizes == [16, 24, 32, 48, 64, 128, 256]


def test_the_macos_icon_is_a_valid_icns():
    data = (REPO / "packaging" / "icons" / "peer-helper-trainer.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    kinds, at = [], 8
    while at < len(data):
        kind, length = data[at : at + 4], struct.unpack(">I", data[at + 4 : at + 8])[0]
        assert data[at + 8 : at + 16] == b"\x89PNG\r\n\x1a\n"
        kinds.append(kind)
        at += length
    assert at == len(data) and {b"ic07", b"ic08", b"ic09"} <= set(kinds)  # 128, 256 and 512 pixels


def test_the_menu_entry_starts_the_program_with_its_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(LINUX / "peer-helper-trainer.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    assert d["Type"] == "Application" and d["Exec"] == "peer-trainer" and d["Terminal"] == "false"
    assert d["Icon"] == "peer-helper-trainer" and "Education" in d["Categories"].split(";")
    from app import APP_ID

    assert APP_ID == "peer-helper-trainer"  # Qt's desktop file name (application.py) matches the entry


def test_appstream_metadata_is_valid_and_points_at_the_menu_entry():
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == "io.github.peerhelpertrainer.PeerHelperTrainer"
    assert root.find("launchable").text == "peer-helper-trainer.desktop"
    assert root.find("provides/binary").text == "peer-trainer"
    if shutil.which("appstreamcli") is None:
        pytest.skip("appstreamcli is not installed (Debian: apt install appstream); the XML itself was checked")
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_spec_ships_what_the_program_reads_from_disk():
    spec = (REPO / "packaging" / "peer-trainer.spec").read_text(encoding="utf-8")
    for folder in ('tree("content")', 'tree("app/resources")', 'tree("app/modules/records/migrations")'):
        assert folder in spec
    assert "COMMAND_MODULES" in spec and "pyttsx3.drivers.espeak" in spec and "BUNDLE(" in spec
    from app.paths import bundled_content, resources_dir

    assert (bundled_content() / "program.yaml").is_file() and (
        resources_dir() / "icons" / "peer-helper-trainer.svg"
    ).is_file()
