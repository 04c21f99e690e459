"""Start-up benchmark: how quickly the program shows its first window and a usable profile
picker, against a bare PySide6 window measured in the same run.

    .venv/bin/python bench/bench_startup.py [--runs 7] [--language es]

(a) `peer-trainer` until its first window is painted, (b) until the profile picker lists 30
profiles and is ready for a click, (c) a bare script that shows an empty QMainWindow.
Targets: (a) <= 1.5 x (c), (b) <= 3 x (c), peak memory at the picker <= 2 x (c)'s.
With --language, (a) and (b) also run in that language (its catalogue and Qt's own translation
loaded, every word looked up): target within 5 % of English. Without a shipped catalogue for it
(app/locale/<lang>/LC_MESSAGES/peer_trainer.mo) a stand-in of 2500 messages is compiled (Babel).
Each run is timed from process start to the moment it reports the state painted (its\nwindow repainted) and its peak
memory so far; each figure is the median of the runs.
"""

from __future__ import annotations

import argparse
import os
import random
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


def run(cmd: list[str], env: dict) -> tuple[float, float, float]:
    """Seconds from process start to its "ready" line, its peak memory (MiB) then, and the CPU
    seconds it used (user + system: steadier than wall time on a busy machine)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
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
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, hwm_kib / 1024, cpu


def prepare(data_dir: Path, env: dict) -> None:
    code = (
        "from app.paths import resolve_locations\n"
        "from app.modules.records.database import Database\n"
        "from app.modules.records import class_lists, school_setup, secret_hashing\n"
        "secret_hashing.SCRYPT_LOG2_N = 4\n"
        f"db = Database.open(resolve_locations({str(data_dir)!r}))\n"
        "c = school_setup.setup_school(db, 'Ms Rivera', 'password123', 'Riverside High')\n"
        "class_lists.create_trainees_from_text(db, '\\n'.join(f'Trainee {i:02d}' for i in range(29)), '9B', c.id)\n"
        "db.close()\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=REPO)


STAND_IN_MESSAGES = 2500  # about the program's size once every string is translatable


def catalogue_folder(language: str, tmp: Path) -> Path | None:
    """None when the program ships the language; else a folder with a stand-in catalogue for it:
    the program's own messages (a fresh extraction) padded to STAND_IN_MESSAGES, each "translated"."""
    if (REPO / "app" / "locale" / language / "LC_MESSAGES" / "peer_trainer.mo").exists():
        return None
    import importlib.util

    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    spec = importlib.util.spec_from_file_location("i18n_script", REPO / "scripts" / "i18n.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    catalog = Catalog(locale=language)
    for message in script.extract_catalog():
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = tuple(f"«{text}»" for text in ids)
            catalog.add(message.id, strings if len(ids) > 1 else strings[0], context=message.context)
    for i in range(len(catalog), STAND_IN_MESSAGES):
        catalog.add(f"Stand-in message {i}, about as long as a sentence on a button or a label.", f"«{i}»")
    folder = tmp / "locale"
    (folder / language / "LC_MESSAGES").mkdir(parents=True)
    with open(folder / language / "LC_MESSAGES" / "peer_trainer.mo", "wb") as handle:
        write_mo(handle, catalog)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--language", metavar="CODE", help="also start in this language (e.g. es)")
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
        if args.language:
            folder = catalogue_folder(args.language, Path(tmp))
            translated = [*options, "--language", args.language]
            if folder is not None:
                translated = ["--locale-dir", str(folder), *translated]
            for state in ("window", "picker"):
                cases[f"{state}-{args.language}"] = ([sys.executable, str(RUNNER), state, *translated], env)
        results: dict[str, list[tuple[float, float, float]]] = {k: [] for k in cases}
        for cmd, e in cases.values():  # warm the file cache once
            run(cmd, e)
        for round_ in range(args.runs):
            # Interleaved, so drift hits all alike, in a new order each round: a process starting
            # right after a bigger one ends was measurably slower, which a fixed order turned into a bias.
            order = list(cases)
            random.Random(round_).shuffle(order)
            for name in order:
                cmd, e = cases[name]
                results[name].append(run(cmd, e))
    med = {k: tuple(statistics.median(run[i] for run in v) for i in range(3)) for k, v in results.items()}
    print(f"runs: {args.runs} each, interleaved, shuffled; medians of whole-process wall time, peak memory, CPU time")
    for name, (wall, mem, cpu) in med.items():
        print(f"  {name:10s} {wall * 1000:7.0f} ms  {mem:6.0f} MiB  {cpu * 1000:7.0f} ms CPU")
    bare_wall, bare_mem, _bare_cpu = med["bare"]
    print(f"(a) first window / bare window : {med['window'][0] / bare_wall:.2f}  (target <= 1.5)")
    print(f"(b) picker ready / bare window : {med['picker'][0] / bare_wall:.2f}  (target <= 3.0)")
    print(f"    picker memory / bare memory: {med['picker'][1] / bare_mem:.2f}  (target <= 2.0)")
    if args.language:
        for state in ("window", "picker"):
            wall = med[f"{state}-{args.language}"][0] / med[state][0]
            cpu = med[f"{state}-{args.language}"][2] / med[state][2]
            print(f"    {state} in {args.language} / in English: {wall:.3f} wall, {cpu:.3f} CPU  (target <= 1.05)")


if __name__ == "__main__":
    main()
