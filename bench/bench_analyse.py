"""Benchmark: `peer-trainer analyse` on the shipped content, and random runs per second.

Measures, in one run and one process:
  - the whole `analyse content` (load every lesson and scenario, play every strategy, count paths
    or sample), best of --repeat; the goal is under 10 s on the project's 2-core machine;
  - random runs per second of the analysis's fast player (app/modules/scenario/surface.py),
    sampling every shipped scenario (as `analyse` does for scenarios with too many paths);
  - the baseline: a bare loop over the engine (engine.Run: start, offered_choices, choose with
    a seeded random pick, passed), the same number of runs on the same scenarios.
Prints the times and the ratio fast player / bare engine loop (higher is better). No timed asserts.

    .venv/bin/python bench/bench_analyse.py [--content content] [--runs 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.modules.assessment_analysis import analyse_paths  # noqa: E402
from app.modules.assessment_thresholds import MAX_STEPS  # noqa: E402
from app.modules.content import load_content  # noqa: E402
from app.modules.findings import display_path  # noqa: E402
from app.modules.scenario import Run  # noqa: E402
from app.modules.scenario.surface import Player  # noqa: E402


def bare_engine_runs(scenarios, runs: int, seed: int) -> int:
    """The baseline: `runs` random runs of each scenario through engine.Run, nothing else."""
    rng = random.Random(seed)
    wins = 0
    for sc in scenarios:
        for _ in range(runs):
            run = Run.start(sc)
            steps = 0
            while not run.finished and steps < MAX_STEPS:
                offered = run.offered_choices()
                if not offered:
                    break
                run.choose(rng.randrange(len(offered)) + 1)
                steps += 1
            wins += run.passed
    return wins


def player_runs(scenarios, runs: int, seed: int) -> int:
    wins = 0
    for sc in scenarios:
        wins += round(Player(sc).sample(runs, seed).pass_rate * runs)
    return wins


def best_of(repeat: int, fn):
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--content", default=str(ROOT / "content"))
    ap.add_argument("--runs", type=int, default=2000, help="random runs per scenario")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    whole, report = best_of(args.repeat, lambda: analyse_paths([args.content]))
    checks = sum(r.kind == "knowledge_check" for r in report.results)
    plays = sum(r.kind == "scenario" for r in report.results)
    exact = sum(r.kind == "scenario" and r.method == "exact" for r in report.results)
    shown = display_path(args.content)
    print(f"analyse {shown}: {whole:.2f} s for {plays} role-plays ({exact} counted exactly) and {checks} checks")
    print(f"  goal: under 10 s -> {'met' if whole < 10 else 'NOT met'}")

    scenarios = [s for s in load_content(Path(args.content)).scenarios if not s.has_errors]
    total = args.runs * len(scenarios)
    fast, _ = best_of(args.repeat, lambda: player_runs(scenarios, args.runs, 1))
    bare, _ = best_of(args.repeat, lambda: bare_engine_runs(scenarios, args.runs, 1))
    print(f"random runs ({args.runs} on each of {len(scenarios)} scenarios, {total:,} in all):")
    print(f"  analysis player : {total / fast:>10,.0f} runs/s ({fast:.2f} s)")
    print(f"  bare engine loop: {total / bare:>10,.0f} runs/s ({bare:.2f} s)")
    print(f"  ratio player / engine: {bare / fast:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
