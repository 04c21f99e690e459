"""Generated scenarios shaped like a big hand-written one, for the map's benchmark, tests and screenshots.

`branching_scenario(n)`: about sqrt(n) columns of talk, each node offering two or three
choices into the next one or two columns, some early endings, a few choices that loop back
and a few with conditions; the last column is all endings. Every node is reachable and every
node can reach an ending, so the checker finds no error (the module and competencies are the
bundled program's).
"""

from __future__ import annotations

import math
import random

from app.modules.scenario.model import ADD, SET, Character, Choice, Effect, Node, Scenario, TextBlock

WORDS = (
    "you",
    "listen",
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
    "sure",
    "help",
    "later",
    "today",
    "sorry",
    "really",
    "tired",
    "again",
)
OUTCOMES = ("success", "neutral", "failure")


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def branching_scenario(n: int = 100, seed: int = 7) -> Scenario:
    rng = random.Random(seed)
    width = max(2, round(math.sqrt(n) * 0.8))
    n_end = max(3, n // 8)
    body = n - n_end
    columns: list[list[str]] = []
    made = 0
    while made < body:
        grow = 1 + 2 * len(columns)  # a conversation opens up gradually: 1, 3, 5... nodes
        size = min(body - made, grow, rng.randint(max(2, width - 3), width + 2))
        columns.append([f"n{made + i}" for i in range(size)])
        made += size
    final = [f"end-{i}" for i in range(n_end)]
    sc = Scenario(
        id=f"generated-{n}",
        title=f"A generated scenario of {n} nodes",
        module="active-listening",
        competencies=["active_listening", "empathy"],
        summary="Generated for the map's tests and benchmark.",
        characters={"jamie": Character("Jamie", "female")},
        variables={"trust": 0, "asked": False},
        pass_marks={"active_listening": 1},
    )
    early_endings = set()
    for col in columns[2:-1]:
        if len(col) > 2:
            early_endings.add(col[-1])
    for c, col in enumerate(columns):
        ahead = columns[c + 1] if c + 1 < len(columns) else final
        further = columns[c + 2] if c + 2 < len(columns) else final
        for r, nid in enumerate(col):
            node = Node(nid)
            node.text.append(TextBlock(None, _sentence(rng, 12)))
            node.text.append(TextBlock("Jamie", _sentence(rng, 9)))
            if nid in early_endings:
                node.ending = rng.choice(("failure", "neutral"))
                sc.nodes[nid] = node
                continue
            # The row this node sits at, mapped onto the next column, keeps choices local.
            centre = round(r * (len(ahead) - 1) / max(1, len(col) - 1))
            targets = {ahead[min(len(ahead) - 1, max(0, centre + d))] for d in (0, rng.choice((-1, 1)))}
            if rng.random() < 0.3:
                targets.add(rng.choice(further))
            if c >= 3 and rng.random() < 0.06:
                targets.add(rng.choice(columns[c - 2]))  # a loop back: "let me ask again"
            for k, target in enumerate(sorted(targets)):
                comp = ("active_listening", "empathy")[k % 2]
                ch = Choice(
                    _sentence(rng, 8),
                    target,
                    [Effect(comp, ADD, rng.choice((1, 1, 2, -1)))],
                    feedback=_sentence(rng, 10),
                )
                if k == 2:
                    ch.condition = "trust >= 1 or not asked"
                    ch.effects.append(Effect("asked", SET, True))
                elif k == 1:
                    ch.effects.append(Effect("trust", ADD, 1))
                node.choices.append(ch)
            sc.nodes[nid] = node
    for i, nid in enumerate(final):
        node = Node(nid, ending=OUTCOMES[i % 3])
        node.text.append(TextBlock(None, _sentence(rng, 14)))
        sc.nodes[nid] = node
    # Every node of a column must be reached from the one before it.
    order = columns + [final]
    for c in range(1, len(order)):
        reached = {ch.target for nid in order[c - 1] for ch in sc.nodes[nid].choices}
        sources = [nid for nid in order[c - 1] if not sc.nodes[nid].ending]
        for r, nid in enumerate(order[c]):
            if nid not in reached:
                src = sources[min(len(sources) - 1, round(r * (len(sources) - 1) / max(1, len(order[c]) - 1)))]
                sc.nodes[src].choices.append(
                    Choice(_sentence(rng, 7), nid, [Effect("empathy", ADD, 1)], feedback=_sentence(rng, 8))
                )
    sc.start = columns[0][0]
    return sc
