"""Start-up benchmark: how quickly the program shows its first window and a usable profile
picker, against a bare PySide6 window measured in the same run.

    .venv/bin/python bench/bench_startup.py [--runs 7]

(a) `peer-trainer` until its first window is painted, (b) until the profile picker lists 30
profiles and is ready for a click, (c) a bare script that shows an empty QMainWindow.
Targets: (a) <= 1.5 x (c), (b) <= 3 x (c), peak memory at the picker <= 2 x (c)'s.
Each run is timed from process start to the moment it reports the state painted (its\nwindow repainted) and its peak
memory so far; each figure is the median of the runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# The program runs through bench/startup_runner.py (its real start-up, stopped once the state is
# painted); the baseline reports the same way: "ready <state> <peak memory KiB>", then it leaves at once.
RUNNER = Path(__file__).resolve().parent / "startup_runner.py"
BARE = """
import os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1180, 800); w.show()
def done():
    w.repaint()
    hwm = next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM'))
    print('ready bare', hwm, flush=True)
    os._exit(0)
QTimer.singleShot(0, done)
app.exec()
"""


def run(cmd: list[str], env: dict) -> tuple[float, float]:
    """Seconds from process start to its "ready" line, and its peak memory (MiB) then."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        if line.startswith("ready "):
            wall = time.perf_counter() - start
            hwm_kib = float(line.split()[2])
            break
    else:
        raise SystemExit(f"{cmd} never reported ready (exit {proc.wait()})")
    proc.wait()
    return wall, hwm_kib / 1024


def prepare(data_dir: Path, env: dict) -> None:
    code = (
        "from app.paths import resolve_locations\n"
        "from app.modules.records.database import Database\n"
        "from app.modules.records import accounts\n"
        "accounts.SCRYPT_LOG2_N = 4\n"
        f"db = Database.open(resolve_locations({str(data_dir)!r}))\n"
        "c = accounts.setup_school(db, 'Ms Rivera', 'password123', 'Riverside High')\n"
        "accounts.create_trainees_from_text(db, '\\n'.join(f'Trainee {i:02d}' for i in range(29)), '9B', c.id)\n"
        "db.close()\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=REPO)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        prepare(data, env)
        options = ["--data-dir", str(data), "--content", str(REPO / "content")]
        cases = {
            "bare": ([sys.executable, "-c", BARE], env),
            "window": ([sys.executable, str(RUNNER), "window", *options], env),
            "picker": ([sys.executable, str(RUNNER), "picker", *options], env),
        }
        results: dict[str, list[tuple[float, float]]] = {k: [] for k in cases}
        for cmd, e in cases.values():  # warm the file cache once
            run(cmd, e)
        for _ in range(args.runs):
            for name, (cmd, e) in cases.items():  # interleaved, so drift hits all alike
                results[name].append(run(cmd, e))
    med = {k: (statistics.median(w for w, _ in v), statistics.median(m for _, m in v)) for k, v in results.items()}
    print(f"runs: {args.runs} each, interleaved; medians of whole-process wall time and peak memory")
    for name, (wall, mem) in med.items():
        print(f"  {name:7s} {wall * 1000:7.0f} ms  {mem:6.0f} MiB")
    bare_wall, bare_mem = med["bare"]
    print(f"(a) first window / bare window : {med['window'][0] / bare_wall:.2f}  (target <= 1.5)")
    print(f"(b) picker ready / bare window : {med['picker'][0] / bare_wall:.2f}  (target <= 3.0)")
    print(f"    picker memory / bare memory: {med['picker'][1] / bare_mem:.2f}  (target <= 2.0)")


if __name__ == "__main__":
    main()
