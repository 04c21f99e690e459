"""Starting the program: the Qt application, the theme, the main window."""

from __future__ import annotations

import os
import sys


def run_gui(args) -> int:
    """Open the program's window and run until it is closed."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    window = open_window(args)
    if not claim_data_folder(window):
        return QApplication.instance().exec()  # the window says another copy is open; nothing is started
    QTimer.singleShot(0, window.start)  # the records and content load after the first paint
    QTimer.singleShot(0, set_icon)  # the task bar icon: not needed for the first paint
    return QApplication.instance().exec()


def open_window(args):
    """The Qt application, its theme and the main window, shown but not yet started.

    `run_gui` starts it on the next turn of the event loop; a tool (bench/startup_runner.py)
    may listen to `window.ready` first.
    """
    os.environ.setdefault("LANG", "C.UTF-8")
    from PySide6.QtWidgets import QApplication

    from app import APP_NAME
    from app.paths import resolve_locations
    from app.ui.common import theme
    from app.ui.common.context import AppContext
    from app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Peer Helper Trainer")
    app.setDesktopFileName("peer-helper-trainer")
    theme.apply(app, 1.0, theme.resolve(theme.SYSTEM))  # light or dark, as the computer is set
    locations = resolve_locations(args.data_dir, args.content, args.database_url)
    ctx = AppContext(locations)
    ctx.forced_language = getattr(args, "language", None)  # peer-trainer --language, for this session
    window = MainWindow(ctx)
    window.show()
    return window


def claim_data_folder(window) -> bool:
    """Take the data folder's single-instance lock for this window; else show why not and return False."""
    from app.modules.instance_lock import AlreadyRunning, InstanceLock

    try:
        window.ctx.instance_lock = InstanceLock.acquire(window.ctx.locations.data_dir, "a window")
    except AlreadyRunning as exc:
        window._show_error(exc.message, exc.advice)
        return False
    except OSError:
        return True  # a folder that cannot hold the lock file: opening the records says why
    return True


def set_icon() -> None:
    from PySide6.QtWidgets import QApplication

    from app.ui.common.app_icon import app_icon

    QApplication.instance().setWindowIcon(app_icon())
