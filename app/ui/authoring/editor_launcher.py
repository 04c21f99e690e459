"""Open a content file in the trainer's own text editor, at a given line when the editor allows.

$VISUAL, then $EDITOR, decide the editor; the line is passed in the syntax that editor
understands. Without either (or for an editor we do not know), the file opens with the
system's default application, without the line. Nothing here waits for the editor: the UI
never blocks. `launch` is injectable so tests can see the command instead of running it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QProcess, QUrl
from PySide6.QtGui import QDesktopServices

from app.core.i18n import _


def _colon(f: str, n: int) -> list[str]:
    return [f"{f}:{n}"]


def _goto(f: str, n: int) -> list[str]:
    return ["-g", f"{f}:{n}"]


def _plus(f: str, n: int) -> list[str]:
    return [f"+{n}", f]


def _long_line(f: str, n: int) -> list[str]:
    return ["--line", str(n), f]


# editor program name (without .exe) -> how to ask for a line
_LINE_SYNTAX: dict[str, Callable[[str, int], list[str]]] = {
    **dict.fromkeys(("code", "code-insiders", "codium"), _goto),
    **dict.fromkeys(("subl", "sublime_text", "atom", "zed"), _colon),
    **dict.fromkeys(
        (
            "gedit",
            "gnome-text-editor",
            "vim",
            "vi",
            "nvim",
            "gvim",
            "nano",
            "emacs",
            "emacsclient",
            "micro",
            "kak",
            "mousepad",
            "pluma",
            "xed",
            "geany",
            "bbedit",
        ),
        _plus,
    ),
    **dict.fromkeys(("kate", "kwrite", "notepadqq"), _long_line),
    "notepad++": lambda f, n: [f"-n{n}", f],
    "mate": lambda f, n: ["-l", str(n), f],  # TextMate
}
TERMINAL_EDITORS = {"vim", "vi", "nvim", "nano", "emacs", "micro", "kak"}


def editor_command(path: Path | str, line: int | None = None, env: dict[str, str] | None = None) -> list[str] | None:
    """The command that opens `path` (at `line`) in the user's editor; None means "use the system default"."""
    env = os.environ if env is None else env
    spec = (env.get("VISUAL") or env.get("EDITOR") or "").strip()
    if not spec:
        return None
    try:
        parts = shlex.split(spec, posix=os.name != "nt")
    except ValueError:
        return None
    if not parts:
        return None
    name = re.split(r"[\\/]", parts[0])[-1].lower()  # a Windows path may reach us on any system
    if name.endswith(".exe"):
        name = name[:-4]
    name = name.removesuffix("-wait")
    target = str(path)
    syntax = _LINE_SYNTAX.get(name)
    if line and line > 0 and syntax is not None:
        return parts + syntax(target, int(line))
    return parts + [target]


def _start_detached(command: list[str]) -> bool:
    ok, _pid = QProcess.startDetached(command[0], command[1:])
    return bool(ok)


def _open_url(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class EditorLauncher:
    """Opens files; `start` and `open_url` default to Qt's and are replaced in tests."""

    def __init__(
        self,
        start: Callable[[list[str]], bool] = _start_detached,
        open_url: Callable[[Path], bool] = _open_url,
        env: dict[str, str] | None = None,
    ):
        self.start = start
        self.open_url = open_url
        self.env = env
        self.last_command: list[str] | None = None

    def open(self, path: Path | str, line: int | None = None) -> str:
        """Open the file; returns a short sentence for the status line saying what happened."""
        path = Path(path)
        command = editor_command(path, line, self.env)
        self.last_command = command
        if command is not None:
            name = Path(command[0]).name
            if Path(command[0]).stem.lower() in TERMINAL_EDITORS:
                # Started without a terminal it would be invisible: give it one, or use the system's default.
                terminal = shutil.which("x-terminal-emulator") if os.name != "nt" else None
                command = [terminal, "-e", *command] if terminal else None
            if command is not None and self.start(command):
                if line:
                    return _("Opened {file} in {editor} at line {line}.").format(file=path.name, editor=name, line=line)
                return _("Opened {file} in {editor}.").format(file=path.name, editor=name)
        if self.open_url(path):
            if line:
                return _("Opened {file} with the system's editor; go to line {line}.").format(file=path.name, line=line)
            return _("Opened {file} with the system's editor.").format(file=path.name)
        if line:
            return _("Could not open {file}. Open it yourself: {path}, line {line}.").format(
                file=path.name, path=path, line=line
            )
        return _("Could not open {file}. Open it yourself: {path}.").format(file=path.name, path=path)
