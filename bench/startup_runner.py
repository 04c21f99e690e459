"""The program as bench/bench_startup.py measures it: the real start-up (app.ui.application.open_window,
then MainWindow.start, as `peer-trainer` does), stopped once the asked-for state is painted.

    python bench/startup_runner.py window|picker [--locale-dir DIR] [peer-trainer options, e.g. --language es]

It prints "ready <state> <peak memory KiB>" and leaves at once with os._exit: the background
start-up work that would follow (the records' full open, the daily backup) is not part of what
is measured. The hooks live here, so the program itself carries none: --locale-dir points the
program at another folder of catalogues (bench_startup.py's stand-in when none is shipped yet).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # this checkout's app, whatever is installed

STATES = ("window", "picker")


def peak_memory_kib() -> int:
    """The process's peak resident memory so far (VmHWM), in KiB."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in STATES:
        print(f"usage: startup_runner.py {'|'.join(STATES)} [peer-trainer options]", file=sys.stderr)
        return 2
    state, rest = argv[0], argv[1:]
    if "--locale-dir" in rest:
        at = rest.index("--locale-dir")
        from app.core import i18n

        i18n.LOCALE_DIR = Path(rest[at + 1])
        del rest[at : at + 2]
    from app.cli import build_parser, set_language

    set_language(rest)  # as `peer-trainer` does first: --language, else the computer's
    args = build_parser(with_commands=False).parse_args(rest)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.application import open_window, set_icon

    window = open_window(args)

    def report(reached: str) -> None:
        window.repaint()
        print(f"ready {reached} {peak_memory_kib()}", flush=True)
        os._exit(0)

    if state == "window":
        QTimer.singleShot(0, lambda: report("window"))
    else:
        window.ready.connect(report)  # "picker" (or "setup", "error": reported as they are)
        QTimer.singleShot(0, window.start)
    QTimer.singleShot(0, set_icon)
    return QApplication.instance().exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
