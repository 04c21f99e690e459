"""The program's icon for windows and the task bar, from the PNG sizes drawn by scripts/make-icons."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from app.paths import resources_dir

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    folder = resources_dir() / "icons"
    icon = QIcon()
    for size in SIZES:
        path = folder / f"peer-helper-trainer-{size}.png"
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    return icon
