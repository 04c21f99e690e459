"""What the scenario map shows about each node and choice, worked out without Qt.

The checker's graph analysis says which nodes are reachable and which are traps; findings
are given to the node whose heading comes last at or before the finding's line.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .graph import analyse
from .model import Choice, Scenario

SNIPPET_WORDS = 9


@dataclass(slots=True)
class NodeFacts:
    id: str
    exists: bool = True  # False: a choice points here but the node is not written
    ending: str | None = None  # success, neutral or failure
    is_start: bool = False
    reachable: bool = True
    trap: bool = False  # has choices, but no ending can be reached from here
    line: int = 0
    snippet: str = ""  # the first words of the node's text
    text: str = ""  # the whole text, for the tooltip
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def _plain(text: str) -> str:
    return " ".join(text.replace("**", "").replace("*", "").split())


def snippet(text: str, words: int = SNIPPET_WORDS) -> str:
    parts = _plain(text).split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def node_text(node) -> str:
    lines = []
    for block in node.text:
        who = f"{block.speaker}: " if block.speaker else ""
        cond = f" [only if {block.condition}]" if block.condition else ""
        lines.append(f"{who}{_plain(block.text)}{cond}")
    return "\n".join(lines)


def findings_by_node(scenario: Scenario, findings) -> dict[str, list]:
    """Each finding of this scenario's file that lies inside a node, under that node's id."""
    heads = sorted((n.line, nid) for nid, n in scenario.nodes.items() if n.line)
    lines = [line for line, _ in heads]
    out: dict[str, list] = {}
    for f in findings:
        if scenario.shown and f.path != scenario.shown:
            continue
        i = bisect.bisect_right(lines, f.line) - 1
        if i >= 0:
            out.setdefault(heads[i][1], []).append(f)
    return out


def map_facts(scenario: Scenario, findings=None) -> dict[str, NodeFacts]:
    """Facts for every node, and for every missing node a choice points to (exists=False)."""
    findings = scenario.findings if findings is None else findings
    analysis = analyse(scenario)
    traps = set(analysis.traps)
    placed = findings_by_node(scenario, findings)
    out: dict[str, NodeFacts] = {}
    for nid, node in scenario.nodes.items():
        mine = placed.get(nid, [])
        full = node_text(node)
        out[nid] = NodeFacts(
            nid,
            True,
            node.ending,
            nid == scenario.start,
            nid in analysis.reachable,
            nid in traps,
            node.line,
            snippet(node.text[0].text) if node.text else "",
            full,
            [f for f in mine if f.is_error],
            [f for f in mine if not f.is_error],
        )
    for nid, node in scenario.nodes.items():
        for ch in node.choices:
            if ch.target and ch.target not in out:
                out[ch.target] = NodeFacts(ch.target, exists=False, reachable=nid in analysis.reachable)
    return out


def choice_summary(number: int, ch: Choice) -> str:
    """A choice as the map's tooltip tells it: text, effects, condition, feedback."""
    parts = [f"Choice {number}: {_plain(ch.text)}", f"Goes to: #{ch.target}"]
    if ch.effects:
        parts.append("Effects: " + ", ".join(f"{e.name} {e.as_text()}" for e in ch.effects))
    if ch.condition:
        parts.append(f"Offered only if: {ch.condition}")
    if ch.feedback:
        parts.append(f"Feedback: {snippet(ch.feedback, 30)}")
    return "\n".join(parts)
