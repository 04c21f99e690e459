"""Benchmark: the scenario map for generated scenarios of 100 and 1,000 nodes.

For each size, in one run and one process:
  - layout: app.modules.scenario.layout.scenario_layout, against the checker's own graph
    analysis (analyse(), linear in nodes + choices) as the baseline;
  - build: ScenarioMapView.set_scenario (facts, layout, items);
  - paint: one frame of the whole map fitted in a 1200x800 view, and one at 1:1 around the
    start, against a bare scene of the same number of plain rectangles and straight lines
    painted the same way (the baseline: what Qt itself costs for that many items).
Then the time from saving a scenario file to the content workspace showing its new findings
(watcher debounce + re-check of the whole content folder).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_map.py [--sizes 100,1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QImage, QPainter, QPen  # noqa: E402
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView  # noqa: E402

from app.modules.scenario.graph import analyse  # noqa: E402
from app.modules.scenario.layout import scenario_layout  # noqa: E402
from bench.map_samples import branching_scenario  # noqa: E402


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def paint_frame(view: QGraphicsView) -> None:
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    p = QPainter(image)
    view.render(p)
    p.end()


def bare_view(map_view) -> QGraphicsView:
    """The same number of items at the same places, as plain rectangles and straight lines."""
    view = QGraphicsView()
    scene = QGraphicsScene(view)  # owned by the view, or Python would free it
    for item in map_view.node_items.values():
        scene.addRect(QRectF(item.pos().x(), item.pos().y(), 220, 70), QPen(Qt.GlobalColor.darkGray))
    for e in map_view.edge_items:
        path = e.path()
        a, b = path.pointAtPercent(0), path.pointAtPercent(1)
        scene.addLine(a.x(), a.y(), b.x(), b.y(), QPen(Qt.GlobalColor.gray))
    view.setScene(scene)
    view.setRenderHints(QPainter.RenderHint.Antialiasing)
    view.resize(map_view.size())
    view.setSceneRect(map_view.sceneRect())
    view.setTransform(map_view.transform())
    view.centerOn(map_view.mapToScene(map_view.viewport().rect().center()))
    return view


def bench_size(n: int, repeat: int) -> None:
    from app.ui.authoring.scenario_map import ScenarioMapView

    sc = branching_scenario(n)
    t_analyse = best_of(lambda: analyse(sc), repeat)
    t_layout = best_of(lambda: scenario_layout(sc), repeat)
    view = ScenarioMapView()
    view.resize(1200, 800)
    view.show()
    t_build = best_of(lambda: view.set_scenario(sc), repeat)
    lay = view.layout_result
    print(
        f"{n:>5} nodes, {len(view.edge_items)} choices, {lay.columns} columns; crossings {lay.crossings_before} -> "
        f"{lay.crossings}"
    )
    print(
        f"      layout {t_layout * 1000:7.1f} ms   graph analysis (baseline) {t_analyse * 1000:6.1f} ms   ratio "
        f"{t_layout / t_analyse:5.1f}"
    )
    print(f"      build map (facts + layout + items) {t_build * 1000:7.1f} ms")
    for label, setup in (
        ("fitted", view.fit),
        ("1:1 at the start", lambda: (view.resetTransform(), view.centerOn(view.node_items[sc.start]))),
    ):
        setup()
        QApplication.processEvents()
        bare = bare_view(view)
        bare.show()
        QApplication.processEvents()
        t_map = best_of(lambda: paint_frame(view), repeat)
        t_bare = best_of(lambda bare=bare: paint_frame(bare), repeat)
        print(
            f"      paint {label:<17} {t_map * 1000:7.1f} ms   bare scene (baseline) {t_bare * 1000:6.1f} ms   ratio "
            f"{t_map / t_bare:5.1f}"
            f"   ({1 / t_map:5.0f} frames/s)"
        )
        bare.close()
    view.close()


def bench_recheck(repeat: int) -> None:
    """Save a file; how long until the workspace lists its new error (watcher + check)."""
    from app.paths import resolve_locations
    from app.ui.authoring.content_workspace import ContentWorkspace
    from app.ui.common.context import AppContext

    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", content)
        ctx = AppContext(resolve_locations(Path(tmp) / "data", content))
        ctx.load_content()
        ws = ContentWorkspace(ctx)
        ws.refresh()
        path = content / "scenarios" / "crisis-protocols" / "a-plan-and-a-secret.md"
        good = path.read_text(encoding="utf-8")
        bad = good.replace("(#counsellor)", "(#counselor)", 1)
        delays, checks = [], []
        for _ in range(repeat):
            for text, state in ((bad, "errors"), (good, "ok")):
                t0 = time.perf_counter()
                path.write_text(text, encoding="utf-8")
                while ws.file("a-plan-and-a-secret.md").state != state:
                    QApplication.processEvents()
                    time.sleep(0.002)
                    if time.perf_counter() - t0 > 10:
                        raise SystemExit("the workspace did not notice the save within 10 s")
                delays.append(time.perf_counter() - t0)
                checks.append(ws.last_check_seconds)
        print(
            f"save -> workspace updated: median {statistics.median(delays) * 1000:.0f} ms, worst "
            f"{max(delays) * 1000:.0f} ms "
            f"(of which re-checking the whole content folder: median {statistics.median(checks) * 1000:.0f} ms; "
            f"debounce 200 ms)"
        )
        ws.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    from app.ui.common import theme

    theme.apply(app)
    for n in (int(s) for s in args.sizes.split(",")):
        bench_size(n, args.repeat)
    bench_recheck(args.repeat)


if __name__ == "__main__":
    main()
