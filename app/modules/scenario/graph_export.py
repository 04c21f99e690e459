"""The scenario map as Graphviz DOT or Mermaid: nodes, choices as arrows, endings coloured by outcome."""

from __future__ import annotations

from .model import Scenario

# outcome -> (fill, border)
COLOURS = {"success": ("#c8e6c9", "#2e7d32"), "neutral": ("#fff3c4", "#b58900"), "failure": ("#f8cdd0", "#c62828")}
MISSING = ("#eeeeee", "#9e9e9e")


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _dot_quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _edge_label(k: int, ch) -> str:
    label = f"{k}. {_short(ch.text)}"
    if ch.effects:
        label += " {" + ", ".join(f"{e.name}: {e.as_text()}" for e in ch.effects) + "}"
    if ch.condition:
        label += f" if {ch.condition}"
    return label


def to_dot(sc: Scenario) -> str:
    out = [
        f"digraph {_dot_quote(sc.id or 'scenario')} {{",
        "  rankdir=LR;",
        f"  label={_dot_quote(sc.title)};",
        "  labelloc=t;",
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    missing: set[str] = set()
    for node in sc.nodes.values():
        attrs = [f"label={_dot_quote(node.id + (f' ({node.ending})' if node.ending else ''))}"]
        if node.ending:
            fill, border = COLOURS[node.ending]
            attrs += [f'fillcolor="{fill}"', f'color="{border}"', "penwidth=2"]
        if node.id == sc.start:
            attrs.append("peripheries=2")
        out.append(f"  {_dot_quote(node.id)} [{', '.join(attrs)}];")
    for node in sc.nodes.values():
        for k, ch in enumerate(node.choices, 1):
            if ch.target not in sc.nodes:
                missing.add(ch.target)
            out.append(
                f"  {_dot_quote(node.id)} -> {_dot_quote(ch.target)} [label={_dot_quote(_edge_label(k, ch))}"
                + (", style=dashed" if ch.condition else "")
                + "];"
            )
    for target in sorted(missing):
        out.append(
            f'  {_dot_quote(target)} [label={_dot_quote(target + " (missing)")}, fillcolor="{MISSING[0]}", '
            f'color="{MISSING[1]}", style="dashed,filled"];'
        )
    out.append("}")
    return "\n".join(out) + "\n"


def _mermaid_text(s: str) -> str:
    return s.replace('"', "#quot;")


def to_mermaid(sc: Scenario) -> str:
    ids = {nid: f"n{i}" for i, nid in enumerate(sc.nodes)}
    out = ["flowchart LR"]
    for nid, node in sc.nodes.items():
        label = nid + (f" ({node.ending})" if node.ending else "")
        shape = ("([", "])") if node.ending else ("[", "]")
        out.append(f'  {ids[nid]}{shape[0]}"{_mermaid_text(label)}"{shape[1]}')
    extra = 0
    for nid, node in sc.nodes.items():
        for k, ch in enumerate(node.choices, 1):
            if ch.target not in ids:
                ids[ch.target] = f"m{extra}"
                extra += 1
                out.append(f'  {ids[ch.target]}["{_mermaid_text(ch.target)} (missing)"]:::missing')
            arrow = "-.->" if ch.condition else "-->"
            out.append(f'  {ids[nid]} {arrow}|"{_mermaid_text(_edge_label(k, ch))}"| {ids[ch.target]}')
    for outcome, (fill, border) in COLOURS.items():
        out.append(f"  classDef {outcome} fill:{fill},stroke:{border},stroke-width:2px")
    out.append(f"  classDef missing fill:{MISSING[0]},stroke:{MISSING[1]},stroke-dasharray:4")
    out.append("  classDef start stroke-width:3px")
    for nid, node in sc.nodes.items():
        if node.ending:
            out.append(f"  class {ids[nid]} {node.ending}")
    if sc.start in ids:
        out.append(f"  class {ids[sc.start]} start")
    return "\n".join(out) + "\n"
