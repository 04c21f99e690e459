"""Benchmark: open the dashboard on a district-sized cohort (database on disk).

Generates 2,000 trainees with 100,000 recorded role-play steps (Core bulk inserts), then
measures, median of several runs, the time from asking the dashboard to load until its first
rows are painted. Target: 300 ms. Baselines measured in the same run: a bare
`SELECT count(*)` of the steps, and a bare QTableView over an empty model shown and painted.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_dashboard.py [--trainees 2000] [--steps 100000] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cohort_seed import seed  # noqa: E402
from PySide6.QtCore import QThreadPool  # noqa: E402
from PySide6.QtGui import QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402

from app.modules.content import load_content  # noqa: E402
from app.modules.records.database import Database  # noqa: E402
from app.paths import bundled_content, resolve_locations  # noqa: E402

TARGET_MS = 300.0


def ms(seconds: float) -> float:
    return seconds * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app = QApplication([])
    from app.ui.common import theme
    from app.ui.common.context import AppContext
    from app.ui.staff.progress_tab import ProgressTab

    theme.apply(app)
    with tempfile.TemporaryDirectory() as tmp:
        locations = resolve_locations(data_dir=Path(tmp) / "data", content_dir=bundled_content())
        db = Database.open(locations)
        content = load_content(locations.content_dir)
        t = time.perf_counter()
        seed(db, content, args.trainees, args.steps)
        seeding = time.perf_counter() - t
        ctx = AppContext(locations)
        ctx.db, ctx.content = db, content

        counts, bare, opens, whole = [], [], [], []
        for _ in range(args.runs):
            t = time.perf_counter()
            with db.engine.connect() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM scenario_steps").scalar()
            counts.append(time.perf_counter() - t)

            t = time.perf_counter()
            view = QTableView()
            view.setModel(QStandardItemModel(0, 12))
            view.resize(1200, 700)
            view.show()
            view.viewport().repaint()
            bare.append(time.perf_counter() - t)
            view.close()
            view.deleteLater()

            tab = ProgressTab(ctx)
            tab.resize(1200, 800)
            tab.show()
            app.processEvents()
            counted = []
            tab.cohort_counted.connect(lambda counted=counted: counted.append(time.perf_counter()))
            t = time.perf_counter()
            tab.refresh()
            tab.table.viewport().repaint()  # the first rows, painted
            opens.append(time.perf_counter() - t)
            assert tab.model.rowCount() > 0
            while not counted:  # the whole cohort's chart, on the worker (not part of "opens")
                app.processEvents()
                time.sleep(0.002)
            whole.append(counted[0] - t)
            QThreadPool.globalInstance().waitForDone()
            tab.close()
            tab.deleteLater()
            app.processEvents()
        db.close()
    median_open = ms(statistics.median(opens))
    print(
        f"cohort: {args.trainees} trainees, {args.steps} steps (seeded in {seeding:.1f} s), median of {args.runs} runs"
    )
    print(
        f"baseline SELECT count(*) of the steps: {ms(statistics.median(counts)):.1f} ms; "
        f"bare QTableView shown and painted: {ms(statistics.median(bare)):.1f} ms"
    )
    print(
        f"dashboard to first rows painted: {median_open:.1f} ms (target <= {TARGET_MS:.0f} ms) "
        f"{'OK' if median_open <= TARGET_MS else 'TOO SLOW'}; "
        f"{median_open / max(ms(statistics.median(bare)), 0.001):.1f}x the bare table view"
    )
    print(f"whole cohort counted for the chart (background): {ms(statistics.median(whole)):.0f} ms")
    return 0 if median_open <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
