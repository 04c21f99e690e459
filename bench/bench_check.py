"""Benchmark: `check` of scenarios against PyYAML's CSafeLoader merely loading them.

Generates 1,000 scenarios of 40 nodes in both forms (Markdown and YAML) and measures, in
one run and one process:
  - baseline: read each YAML file and yaml.load(text, Loader=CSafeLoader), nothing else;
  - check of the Markdown form: read, parse, validate, graph analysis (load_scenario);
  - check of the YAML form: the same for the YAML files.
Prints the ratios (targets: Markdown <= 1.0, YAML <= 1.2), then the time of the graph
analysis and of a whole check for one scenario of 40, 400 and 4,000 nodes.

    .venv/bin/python bench/bench_check.py [--count 1000] [--nodes 40] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.modules.program import load_program  # noqa: E402
from app.modules.scenario import load_scenario, write_markdown, write_yaml  # noqa: E402
from app.modules.scenario.checker import check  # noqa: E402
from app.modules.scenario.codes import Report  # noqa: E402
from app.modules.scenario.graph import analyse  # noqa: E402
from app.modules.scenario.markdown_io import parse_markdown  # noqa: E402
from app.modules.scenario.model import ADD, SET, Character, Choice, Effect, Node, Scenario, TextBlock  # noqa: E402

PROGRAM = """title: Bench
competencies:
  active_listening: {name: Active listening}
  empathy: {name: Empathy}
  confidentiality: {name: Confidentiality}
modules:
  - id: bench
    title: Bench
    competencies: [active_listening, empathy, confidentiality]
"""
COMPS = ["active_listening", "empathy", "confidentiality"]
WORDS = (
    "you",
    "listen",
    "*really*",
    "friend",
    "corridor",
    "quiet",
    "message",
    "teacher",
    "worried",
    "okay",
    "maybe",
    "after",
    "school",
    "phone",
    "group",
    "chat",
    "**sure**",
    "help",
    "later",
    "today",
)


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def make_scenario(rng: random.Random, k: int, n_nodes: int) -> Scenario:
    """A scenario shaped like real ones: talk, branching choices with effects and feedback,
    a few conditions and loops back (which reset nothing), several endings."""
    sc = Scenario(
        id=f"bench-{k}",
        title=f"Bench scenario {k}",
        module="bench",
        competencies=list(COMPS),
        summary=_sentence(rng, 12),
        characters={"jamie": Character("Jamie", "female"), "sam": Character("Sam", "male")},
        variables={"trust": 0, "told_adult": False},
        pass_marks={"active_listening": 1},
    )
    n_end = max(3, n_nodes // 10)
    ids = [f"node-{i}" for i in range(n_nodes - n_end)] + [f"end-{i}" for i in range(n_end)]
    outcomes = ("success", "neutral", "failure")
    for i, nid in enumerate(ids):
        node = Node(nid)
        node.text.append(TextBlock(None, _sentence(rng, 14)))
        node.text.append(TextBlock("Jamie", _sentence(rng, 10) + "\n" + _sentence(rng, 8)))
        if i % 4 == 1:
            node.text.append(TextBlock("Sam", _sentence(rng, 9), "trust >= 1 and not told_adult"))
        if nid.startswith("end-"):
            node.ending = outcomes[i % 3]
            if i % 2:
                node.set = [Effect("told_adult", SET, True)]
        else:
            for c in range(rng.choice((2, 3, 3))):
                back = c == 0 and i >= 3 and i % 7 == 0  # a few loops back, which reset the scores
                target = (
                    ids[rng.randint(max(0, i - 3), i - 1)]
                    if back
                    else ids[rng.randint(i + 1, min(i + 4, len(ids) - 1))]
                )
                comp = rng.choice(COMPS)
                effects = [Effect(c, SET, 0) for c in COMPS] if back else [Effect(comp, ADD, rng.choice((1, 2, -1)))]
                if c == 1:
                    effects.append(Effect("trust", ADD, 1))
                choice = Choice(_sentence(rng, 9), target, effects, feedback=_sentence(rng, 15))
                if c == 2:
                    choice.condition = "trust < 3 or active_listening >= 2"
                node.choices.append(choice)
        sc.nodes[nid] = node
    sc.start = ids[0]
    return sc


def _write_corpus(folder: Path, count: int, n_nodes: int) -> tuple[list[Path], list[Path]]:
    rng = random.Random(20240611)
    (folder / "program.yaml").write_text(PROGRAM, encoding="utf-8")
    md_dir, yaml_dir = folder / "scenarios" / "md", folder / "scenarios" / "yaml"
    md_dir.mkdir(parents=True)
    yaml_dir.mkdir(parents=True)
    mds, yamls = [], []
    for k in range(count):
        sc = make_scenario(rng, k, n_nodes)
        md, ym = md_dir / f"bench-{k}.md", yaml_dir / f"bench-{k}.yaml"
        md.write_text(write_markdown(sc), encoding="utf-8")
        ym.write_text(write_yaml(sc), encoding="utf-8")
        mds.append(md)
        yamls.append(ym)
    return mds, yamls


def _timed(fn, paths, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        for p in paths:
            fn(p)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--nodes", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        mds, yamls = _write_corpus(root, args.count, args.nodes)
        program, problems = load_program(root)
        assert program is not None and not problems, problems
        for p in (mds[0], yamls[0]):  # the corpus must be clean, or we would time error paths
            sc, found = load_scenario(p, program)
            assert sc is not None and not [f for f in found if f.is_error], [f.format() for f in found][:5]

        def baseline(p: Path):
            with open(p, encoding="utf-8") as fh:
                return yaml.load(fh.read(), Loader=yaml.CSafeLoader)

        def check_file(p: Path):
            return load_scenario(p, program, p.name)

        t_base = _timed(baseline, yamls, args.repeat)
        t_md = _timed(check_file, mds, args.repeat)
        t_yaml = _timed(check_file, yamls, args.repeat)
        program_for_sizes = program
    n = args.count
    print(f"{n} scenarios of {args.nodes} nodes (best of {args.repeat})")
    print(f"  CSafeLoader load (YAML form): {t_base * 1000:8.1f} ms  ({t_base / n * 1e6:6.0f} us/scenario)")
    print(f"  check, Markdown form:         {t_md * 1000:8.1f} ms  ratio {t_md / t_base:.2f}  (target <= 1.0)")
    print(f"  check, YAML form:             {t_yaml * 1000:8.1f} ms  ratio {t_yaml / t_base:.2f}  (target <= 1.2)")
    print("graph analysis, and whole check (parse + validate + graph), of one Markdown scenario:")
    rng = random.Random(7)
    for size in (40, 400, 4000):
        text = write_markdown(make_scenario(rng, 0, size))  # 4,000 nodes is past the file-size cap: parse the text
        reps = max(1, 4000 // size)
        t0 = time.perf_counter()
        for _ in range(reps):
            rep = Report("big.md")
            loaded = parse_markdown(text, rep)
            check(loaded, rep, program_for_sizes)
        t_check = (time.perf_counter() - t0) / reps
        t0 = time.perf_counter()
        for _ in range(reps):
            analyse(loaded)
        t_graph = (time.perf_counter() - t0) / reps
        print(f"  {size:5d} nodes: graph {t_graph * 1000:8.2f} ms, whole check {t_check * 1000:8.2f} ms")


if __name__ == "__main__":
    main()
