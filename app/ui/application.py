"""Starting the program: the Qt application, the theme, the main window."""

from __future__ import annotations

import os
import sys


def run_gui(args) -> int:
    os.environ.setdefault("LANG", "C.UTF-8")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app import APP_NAME
    from app.paths import resolve_locations

    from . import theme
    from .context import AppContext
    from .main_window import MainWindow, exit_at

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Peer Helper Trainer")
    app.setDesktopFileName("peer-helper-trainer")
    theme.apply(app, 1.0, theme.resolve(theme.SYSTEM))  # light or dark, as the computer is set
    locations = resolve_locations(args.data_dir, args.content, args.database_url)
    ctx = AppContext(locations)
    window = MainWindow(ctx)
    window.show()
    if not claim_data_folder(window):
        return app.exec()  # the window says another copy is open; nothing is started

    stop_at = exit_at()
    if stop_at:
        # Benchmarks: report when the asked-for state is painted, then quit.
        def report(state: str) -> None:
            window.repaint()
            print(f"ready {state} {_peak_memory_kib()}", flush=True)
            os._exit(0)  # at once: background start-up work is not part of what is measured

        if stop_at == "window":
            QTimer.singleShot(0, lambda: report("window"))
        else:
            window.ready.connect(report)
            QTimer.singleShot(0, window.start)
    else:
        QTimer.singleShot(0, window.start)
    QTimer.singleShot(0, _set_icon)  # the task bar icon: not needed for the first paint
    return app.exec()


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


def _set_icon() -> None:
    from PySide6.QtWidgets import QApplication

    from .app_icon import app_icon

    QApplication.instance().setWindowIcon(app_icon())


def _peak_memory_kib() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
