"""The trainers' play-test window: start at any node, edit values while playing, see why a
choice is hidden and the path on the map; nothing is ever recorded."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from sqlalchemy import func, select

from app.modules.content import load_content
from app.modules.records.models import ScenarioAttempt, ScenarioStep
from app.ui.authoring.playtest_window import PlaytestWindow
from app.ui.authoring.scenario_map import ScenarioMapView
from app.ui.common.context import AppContext


@pytest.fixture
def ctx(locations, db):
    context = AppContext(locations)
    context.open_records(db)
    context.set_content(load_content(locations.content_dir))
    return context


def open_playtest(qtbot, ctx, scenario_id: str, start_node=None) -> PlaytestWindow:
    win = PlaytestWindow(ctx, ctx.content.scenario(scenario_id), start_node=start_node)
    qtbot.addWidget(win)
    win.show()
    QApplication.processEvents()
    return win


def choices(win) -> list[str]:
    return [b.text_shown() for b in win.view.choice_buttons]


def notices(win, name: str) -> list[str]:
    return [l.text() for l in win.view.findChildren(QLabel) if l.objectName() == name]


def test_from_a_middle_node_a_hidden_choice_says_why_and_editing_a_value_offers_it(qtbot, ctx):
    win = open_playtest(qtbot, ctx, "late-night-dms", start_node="summarised")
    assert win.run.node_id == "summarised" and win.run.path == ["summarised"]
    # The two choices gated on trust, read from the content so that rewording them does not break the test.
    node = ctx.content.scenario("late-night-dms").nodes["summarised"]
    gated = next(c.text for c in node.choices if c.condition == "trust >= 2")[:25]
    fallback = next(c.text for c in node.choices if c.condition == "trust < 2")[:25]
    assert not any(c.startswith(gated) for c in choices(win))
    why = win.hidden.text()
    assert gated in why and "trust &gt;= 2" in why and "trust is 0" in why

    win._editors["trust"].setValue(5)  # the trainer changes a value mid-play
    assert win.run.variables["trust"] == 5
    assert any(c.startswith(gated) for c in choices(win)) and not any(c.startswith(fallback) for c in choices(win))
    assert "trust &lt; 2" in win.hidden.text() and "trust is 5" in win.hidden.text()

    honest = next(b for b in win.view.choice_buttons if b.text_shown().startswith(gated))
    qtbot.mouseClick(honest, Qt.MouseButton.LeftButton)
    assert notices(win, "Feedback"), "feedback shows after the choice"
    qtbot.mouseClick(win.view.continue_button, Qt.MouseButton.LeftButton)
    assert win.run.finished and win.run.node_id == "ending-success"
    assert any("#ending-success (success)" in t for t in notices(win, "Info"))
    assert win.map.highlighted_nodes() and set(win.map.highlighted_nodes()) == {"summarised", "ending-success"}
    assert win.map.highlighted_edges() == [("summarised", "ending-success")]
    assert win.view.continue_button.text() == "Play again"


def test_scores_edited_in_the_side_panel_carry_on_into_the_run(qtbot, ctx):
    win = open_playtest(qtbot, ctx, "the-sketchbook")
    win._editors["crisis_response"].setValue(4)
    qtbot.mouseClick(win.view.choice_buttons[1], Qt.MouseButton.LeftButton)  # warning_signs +2
    assert win.run.scores == {"warning_signs": 2, "crisis_response": 4}
    assert win._editors["warning_signs"].value() == 2  # the panel follows the run
    qtbot.mouseClick(win.view.continue_button, Qt.MouseButton.LeftButton)
    win._editors["trust"].setValue(7)
    win.here_button.click()  # play again from here, keeping the values
    assert (
        win.run.node_id == "quiet-place" and win.run.variables["trust"] == 7 and win.run.scores["crisis_response"] == 4
    )
    win.map.play_from.emit("opening")  # "Play-test from here" on the map
    assert win.run.node_id == "opening" and win.run.path == ["opening"]
    win.restart_button.click()
    assert win.run.scores == {"warning_signs": 0, "crisis_response": 0}


def test_end_mode_feedback_is_kept_for_the_ending_unless_asked_for(qtbot, ctx):
    win = open_playtest(qtbot, ctx, "new-student-eating-alone")
    assert not win.feedback_box.isChecked()
    while not win.run.finished:
        qtbot.mouseClick(win.view.choice_buttons[0], Qt.MouseButton.LeftButton)
        if not win.run.finished:
            assert not notices(win, "Feedback")
    assert len(notices(win, "Feedback")) == len([s for s in win.run.steps if s.feedback])


def test_a_play_test_is_never_recorded(qtbot, ctx):
    win = open_playtest(qtbot, ctx, "the-sketchbook")
    while not win.run.finished:
        qtbot.mouseClick(win.view.choice_buttons[0], Qt.MouseButton.LeftButton)
        if win.view.continue_button.isVisible() and not win.run.finished:
            qtbot.mouseClick(win.view.continue_button, Qt.MouseButton.LeftButton)
    with ctx.db.session() as session:
        assert session.scalar(select(func.count()).select_from(ScenarioAttempt)) == 0
        assert session.scalar(select(func.count()).select_from(ScenarioStep)) == 0


def test_another_map_can_be_given_and_follows_the_run(qtbot, ctx):
    win = open_playtest(qtbot, ctx, "the-sketchbook")
    other = ScenarioMapView()
    win.set_map(other)
    assert win.map is other and other.scenario is win.scenario
    qtbot.mouseClick(win.view.choice_buttons[1], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(win.view.continue_button, Qt.MouseButton.LeftButton)
    assert other.highlighted_edges() == [("opening", "quiet-place")]
    assert other.selected_node() == "quiet-place"
