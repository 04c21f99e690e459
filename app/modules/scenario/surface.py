"""Surface strategies against a scenario: players who never read what a choice means.

`longest`, `shortest`, `first` and `last` pick by the look of the offered choices; `random`
picks any offered choice with equal chance. A run passes by the engine's rule (an ending that is
not `failure`, with every pass mark met); a run that is stuck (no choice offered) or still going
after MAX_STEPS choices does not pass.

The runs here follow engine.Run step for step (conditions, a choice's effects then the target's
`set`, the pass rule) on plain dicts, without the records a trainee's run keeps, because the
random strategy plays thousands of them. tests/test_assessment_analysis.py checks that both
agree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..assessment_thresholds import MAX_EXACT_PATHS, MAX_EXACT_STATES, MAX_STEPS, RANDOM_RUNS, RANDOM_SEED
from .conditions import evaluate
from .model import ADD, Scenario

STRATEGIES = ("longest", "shortest", "first", "last")
EXACT, SAMPLED = "exact", "sampled"


@dataclass(slots=True, frozen=True)
class _Option:
    length: int
    cond: object
    effects: tuple  # (name, op, value)
    target: str


@dataclass(slots=True, frozen=True)
class _Node:
    ending: str | None
    set: tuple
    options: tuple


@dataclass(slots=True)
class RandomResult:
    pass_rate: float
    method: str  # EXACT (every path counted) or SAMPLED (seeded runs)
    paths: int | None = None  # EXACT: how many complete paths there are
    passing_paths: int | None = None
    runs: int | None = None  # SAMPLED: how many runs were played


class _TooMany(Exception):
    """Counting paths would take too long: there are too many, or infinitely many (a loop)."""


class Player:
    """A scenario compiled for fast play. The scenario must have no errors."""

    def __init__(self, sc: Scenario):
        self.sc = sc
        self.marks = tuple(sc.pass_marks.items())
        self.nodes: dict[str, _Node] = {}
        for nid, node in sc.nodes.items():
            options = tuple(
                _Option(len(ch.text.strip()), ch.cond, tuple((e.name, e.op, e.value) for e in ch.effects), ch.target)
                for ch in node.choices
            )
            self.nodes[nid] = _Node(node.ending, tuple((e.name, e.op, e.value) for e in node.set), options)
        start = dict(sc.variables)
        start.update({c: 0 for c in sc.competencies})
        _apply(start, self.nodes[sc.start].set)
        self.start_env = start
        self.names = tuple(start)

    def offered(self, node: _Node, env: dict) -> list[_Option]:
        return [o for o in node.options if o.cond is None or evaluate(o.cond, env)]

    def passed(self, node: _Node, env: dict) -> bool:
        if not node.ending or node.ending == "failure":
            return False
        return all(env.get(c, 0) >= mark for c, mark in self.marks)

    def play(self, pick, deterministic: bool = False) -> bool:
        """One run where `pick(offered options)` chooses; True when it passes.

        A deterministic pick that comes back to a node with the same scores and variables would
        go round for ever: the run stops there (it would hit MAX_STEPS, and not pass, anyway)."""
        env = dict(self.start_env)
        nodes = self.nodes
        nid = self.sc.start
        node = nodes[nid]
        seen: set[tuple] = set()
        names = self.names
        for _ in range(MAX_STEPS):
            if node.ending:
                return self.passed(node, env)
            if deterministic:
                key = (nid, *(env[n] for n in names))
                if key in seen:
                    return False
                seen.add(key)
            offered = self.offered(node, env)
            if not offered:
                return False  # stuck
            opt = pick(offered)
            _apply(env, opt.effects)
            nid = opt.target
            node = nodes[nid]
            _apply(env, node.set)
        return bool(node.ending) and self.passed(node, env)

    def strategies(self) -> dict[str, bool]:
        return {name: self.play(PICKS[name], deterministic=True) for name in STRATEGIES}

    # --- random ---------------------------------------------------------------------------------
    def random_pass_rate(self, runs: int = RANDOM_RUNS, seed: int = RANDOM_SEED) -> RandomResult:
        """Exact when there are at most MAX_EXACT_PATHS complete paths, else `runs` seeded runs."""
        try:
            paths, passing, prob = self.count_paths()
        except _TooMany:
            return self.sample(runs, seed)
        return RandomResult(prob, EXACT, paths, passing)

    def sample(self, runs: int = RANDOM_RUNS, seed: int = RANDOM_SEED) -> RandomResult:
        rng = random.Random(seed)
        choice = rng.choice
        wins = sum(self.play(choice) for _ in range(runs))
        return RandomResult(wins / runs, SAMPLED, runs=runs)

    def count_paths(self) -> tuple[int, int, float]:
        """(complete paths, passing paths, chance that random choosing passes), counted over states.

        A complete path runs from the start to an ending or to a node where no choice is offered.
        Raises _TooMany past MAX_EXACT_PATHS paths or MAX_EXACT_STATES states, when the states
        loop (infinitely many paths), or when a path is longer than MAX_STEPS."""
        names = self.names
        nodes = self.nodes
        memo: dict[tuple, tuple[int, int, float]] = {}
        on_path: set[tuple] = set()

        def visit(nid: str, env: dict, depth: int) -> tuple[int, int, float]:
            key = (nid, *(env[n] for n in names))
            got = memo.get(key)
            if got is not None:
                return got
            if key in on_path or depth > MAX_STEPS or len(memo) >= MAX_EXACT_STATES:
                raise _TooMany
            node = nodes[nid]
            if node.ending:
                ok = self.passed(node, env)
                result = (1, int(ok), float(ok))
            else:
                offered = self.offered(node, env)
                if not offered:
                    result = (1, 0, 0.0)
                else:
                    on_path.add(key)
                    count = passing = 0
                    prob = 0.0
                    for opt in offered:
                        nxt = dict(env)
                        _apply(nxt, opt.effects)
                        _apply(nxt, nodes[opt.target].set)
                        c, p, pr = visit(opt.target, nxt, depth + 1)
                        count += c
                        passing += p
                        prob += pr
                        if count > MAX_EXACT_PATHS:
                            raise _TooMany
                    on_path.discard(key)
                    result = (count, passing, prob / len(offered))
            memo[key] = result
            return result

        return visit(self.sc.start, dict(self.start_env), 0)


def _apply(env: dict, effects: tuple) -> None:
    for name, op, value in effects:
        env[name] = env.get(name, 0) + value if op == ADD else value


def _longest(offered):
    return max(offered, key=lambda o: o.length)  # the first of equally long ones


def _shortest(offered):
    return min(offered, key=lambda o: o.length)


PICKS = {
    "longest": _longest,
    "shortest": _shortest,
    "first": lambda offered: offered[0],
    "last": lambda offered: offered[-1],
}


def is_decision(node) -> bool:
    """A node where the trainee really chooses: two choices or more."""
    return len(node.choices) >= 2
