"""The scenario map: the layered layout (pure Python) and the map view driven through qtbot."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage

from app.modules.content import load_content
from app.modules.scenario import load_scenario, write_markdown
from app.modules.scenario.layout import layered_layout, scenario_layout
from app.modules.scenario.map_facts import findings_by_node, map_facts
from bench.map_samples import branching_scenario

CONTENT = Path(__file__).resolve().parent.parent / "content"
PLAN = "a-plan-and-a-secret"


@pytest.fixture(scope="module")
def content():
    return load_content(CONTENT)


@pytest.fixture
def view(qtbot):
    from app.ui.authoring.scenario_map import ScenarioMapView

    v = ScenarioMapView()
    qtbot.addWidget(v)
    v.resize(1000, 600)
    v.show()
    return v


def broken_plan(tmp_path, content):
    """The shipped scenario with a typo in a target, an unreachable node and a trap."""
    text = (CONTENT / "scenarios" / "crisis-protocols" / f"{PLAN}.md").read_text(encoding="utf-8")
    text = text.replace("(#counsellor)", "(#counselor)", 1)
    text += (
        "\n## lost\n\nNobody comes here.\n\n- [Loop](#spin) {trust: +1}\n  > x\n\n## spin\n\nRound and "
        "round.\n\n- [Back](#lost)\n  > y\n"
    )
    path = tmp_path / f"{PLAN}.md"
    path.write_text(text, encoding="utf-8")
    sc, findings = load_scenario(path, content.program, shown=path.name)
    assert sc is not None and sc.has_errors
    return sc, findings


# --- the layout ------------------------------------------------------------------------------


def test_every_forward_choice_points_right_and_loops_are_marked(content):
    for sc in content.scenarios:
        lay, nodes, edges = scenario_layout(sc)
        assert set(lay.layer) == set(nodes) == set(sc.nodes)
        assert lay.layer[sc.start] == 0
        for k, (a, b) in enumerate(edges):
            if a == b:
                continue
            if k in lay.back_edges:
                assert lay.layer[b] < lay.layer[a]
            else:
                assert lay.layer[b] > lay.layer[a], (sc.id, a, b)
        # Nodes of one column never overlap: at least one row apart.
        for col in range(lay.columns):
            rows = sorted(lay.y[n] for n in nodes if lay.layer[n] == col)
            assert all(b - a >= 1 - 1e-9 for a, b in zip(rows, rows[1:]))
        assert lay.crossings <= lay.crossings_before


def test_unreachable_nodes_get_their_own_columns_and_long_edges_a_route():
    nodes = ["start", "a", "b", "end", "orphan", "orphan-2"]
    edges = [
        ("start", "a"),
        ("a", "b"),
        ("b", "end"),
        ("start", "end"),
        ("orphan", "orphan-2"),
        ("orphan-2", "end"),
        ("b", "a"),
    ]
    lay = layered_layout(nodes, edges, "start")
    assert [lay.layer[n] for n in ("start", "a", "b", "end")] == [0, 1, 2, 3]
    assert lay.unreachable_from == 4 and lay.layer["orphan"] == 4 and lay.layer["orphan-2"] == 5
    assert [c for c, _ in lay.routes[3]] == [1, 2]  # start -> end crosses columns 1 and 2
    assert lay.back_edges == {6} and [c for c, _ in lay.routes[6]] == []  # b -> a: neighbours, no bend


def test_crossing_reduction_untangles_a_crossed_pair():
    # Reading order puts x above y, but x's child is below y's child: one crossing to undo.
    nodes = ["s", "x", "y", "y1", "x1"]
    edges = [("s", "x"), ("s", "y"), ("x", "x1"), ("y", "y1")]
    lay = layered_layout(nodes, edges, "s")
    assert lay.crossings == 0
    assert (lay.y["x"] < lay.y["y"]) == (lay.y["x1"] < lay.y["y1"])


def test_a_generated_scenario_of_100_nodes_is_clean_and_laid_out(tmp_path, content):
    sc = branching_scenario(100)
    path = tmp_path / "generated.md"
    path.write_text(write_markdown(sc), encoding="utf-8")
    loaded, findings = load_scenario(path, content.program)
    assert loaded is not None and not [f.format() for f in findings if f.is_error]
    lay, nodes, _ = scenario_layout(loaded)
    assert len(nodes) == 100 and lay.unreachable_from is None
    assert lay.crossings < lay.crossings_before


def test_findings_are_given_to_the_node_they_are_in(tmp_path, content):
    sc, findings = broken_plan(tmp_path, content)
    placed = findings_by_node(sc, findings)
    codes = {nid: {f.code for f in fs} for nid, fs in placed.items()}
    counsellor_choice = next(nid for nid, n in sc.nodes.items() for ch in n.choices if ch.target == "counselor")
    assert "S112" in codes[counsellor_choice]
    facts = map_facts(sc, findings)
    assert not facts["lost"].reachable and facts["lost"].trap and facts["spin"].trap
    assert not facts["counselor"].exists


# --- the view --------------------------------------------------------------------------------


def test_the_map_draws_every_node_with_endings_coloured_by_outcome(view, content):
    from app.ui.authoring.scenario_map import OUTCOMES, PLAIN

    sc = content.scenario(PLAN)
    view.set_scenario(sc)
    assert len(view.node_items) == len(sc.nodes) == 15
    assert len(view.edge_items) == sum(len(n.choices) for n in sc.nodes.values())
    for nid, node in sc.nodes.items():
        item = view.node_items[nid]
        if node.ending:
            assert item.fill == OUTCOMES[node.ending][0] and item.border == OUTCOMES[node.ending][1], nid
        else:
            assert item.fill == PLAIN[0]
    assert view.node_items["handover"].fill.name() == "#c8e6c9"  # success: green
    assert view.node_items["dropped"].fill.name() == "#f8cdd0"  # failure: red
    # Left to right: the start is the leftmost node, every ending right of it.
    xs = {nid: item.pos().x() for nid, item in view.node_items.items()}
    assert xs[sc.start] == min(xs.values())
    # Hovering gives the node's words and the choice's effects and condition.
    # (the speaker is read from the content, so renaming a character does not break this test)
    speaker = next(b.speaker for b in sc.nodes["opening"].text if b.speaker)
    name = sc.characters[speaker].name if speaker in sc.characters else speaker
    assert f"{name}:" in view.node_items["opening"].toolTip()
    conditional = next(e for e in view.edge_items if e.choice.condition)
    assert "Offered only if:" in conditional.toolTip() and "Effects:" in conditional.toolTip()


def test_errors_unreachable_nodes_and_traps_are_marked(view, tmp_path, content):
    from app.ui.authoring.scenario_map import ERROR, MISSING, TRAP, UNREACHABLE

    sc, findings = broken_plan(tmp_path, content)
    view.set_scenario(sc, findings)
    assert view.node_items["counselor"].fill == MISSING[0]
    assert view.node_items["lost"].fill == UNREACHABLE[0]  # unreachable first: greyed even though it is a trap too
    assert view.facts["spin"].trap and view.node_items["spin"].fill in (UNREACHABLE[0], TRAP[0])
    erroneous = [nid for nid, item in view.node_items.items() if item.facts.errors]
    assert erroneous and ERROR.name() == "#c62828"
    assert view.layout_result.unreachable_from is not None
    assert view.node_items["lost"].pos().x() >= view.layout_result.unreachable_from * 300


def test_a_play_tests_path_is_highlighted(view, content):
    view.set_scenario(content.scenario(PLAN))
    path = ["opening", "disclosure", "stay", "cant-promise"]
    view.highlight_path(path)
    assert set(view.highlighted_nodes()) == set(path)
    assert set(view.highlighted_edges()) == {
        ("opening", "disclosure"),
        ("disclosure", "stay"),
        ("stay", "cant-promise"),
    }
    assert all(e.pen().widthF() > 3 for e in view.edge_items if e.highlighted)
    view.highlight_path(["opening"])
    assert view.highlighted_nodes() == ["opening"] and view.highlighted_edges() == []


def test_double_click_and_selection_report_the_node(view, qtbot, content):
    view.set_scenario(content.scenario(PLAN))
    view.fit()
    item = view.node_items["stay"]
    centre = view.mapFromScene(item.sceneBoundingRect().center() + QPointF(0, 10))
    with qtbot.waitSignal(view.node_selected) as selected:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert selected.args == ["stay"]
    with qtbot.waitSignal(view.play_from) as played:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert played.args == ["stay"]
    with qtbot.waitSignal(view.node_selected) as selected:
        view.select_node("handover")
    assert selected.args == ["handover"] and view.selected_node() == "handover"


def test_zoom_keys_and_fit(view, qtbot, content):
    view.set_scenario(content.scenario(PLAN))
    view.fit()
    fitted = view.zoom
    assert fitted <= 1
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.zoom == pytest.approx(fitted * 1.25)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.zoom == pytest.approx(fitted * 1.25 * 0.8 * 0.8)
    qtbot.keyClick(view, Qt.Key.Key_0)
    assert view.zoom == pytest.approx(fitted)


def test_the_map_exports_as_png_and_svg(view, tmp_path, content):
    view.set_scenario(content.scenario(PLAN))
    png = view.export_png(tmp_path / "map.png")
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 1000 and image.height() > 400
    svg = view.export_svg(tmp_path / "map.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "A plan and a secret" in svg


def test_a_100_node_map_builds_with_every_node(view, content):
    sc = branching_scenario(100)
    view.set_scenario(sc)
    assert len(view.node_items) == 100
    view.fit()
    assert view.zoom < 1
    ends = [item for nid, item in view.node_items.items() if nid.startswith("end-")]
    assert all(item.facts.ending for item in ends)
