"""Watch a content folder and say, once things settle, that something in it changed.

QFileSystemWatcher watches the folder, every folder below it and every file. Editors often
save by writing a new file and renaming it over the old one, which silently drops the old
file from the watch list: every change re-scans and re-adds what is there. Changes are
debounced (DEBOUNCE_MS) so a save that touches several files gives one signal.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

DEBOUNCE_MS = 200
WATCHED_SUFFIXES = (".md", ".yaml", ".yml")


class ContentWatcher(QObject):
    changed = Signal()

    def __init__(self, root: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.root = Path(root)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._touched)
        self._watcher.fileChanged.connect(self._touched)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._settled)
        self.rescan()

    def rescan(self) -> None:
        """Watch every folder and content file that exists now."""
        if not self.root.is_dir():
            return
        wanted: list[str] = [str(self.root)]
        for here, dirs, files in os.walk(self.root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            wanted += [os.path.join(here, d) for d in dirs]
            wanted += [os.path.join(here, f) for f in files if f.endswith(WATCHED_SUFFIXES) and not f.startswith(".")]
        have = set(self._watcher.files()) | set(self._watcher.directories())
        missing = [p for p in wanted if p not in have]
        if missing:
            self._watcher.addPaths(missing)

    def watched(self) -> list[str]:
        return self._watcher.files() + self._watcher.directories()

    def _touched(self, _path: str) -> None:
        self._timer.start()  # restart: wait until the saving is over

    def _settled(self) -> None:
        self.rescan()
        self.changed.emit()
