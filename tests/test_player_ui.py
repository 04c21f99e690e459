"""The role-play player driven through the real widgets: a scenario of content/ played from
the trainee's home to the results, with the records checked after every step; feedback modes,
leaving and resuming after a restart, a changed or vanished file, read-aloud and the keyboard."""

from __future__ import annotations

import pytest
from player_helpers import passing_path, school_with_trainee
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from app.modules.records import profile_store, progress_store, settings_store
from app.modules.scenario.text import plain
from app.paths import resolve_locations
from app.ui.common import tasks
from app.ui.common.context import AppContext
from app.ui.main_window import MainWindow
from app.ui.trainee.conversation_view import ChoiceButton


def open_window(qtbot, locations) -> MainWindow:
    win = MainWindow(AppContext(locations))
    qtbot.addWidget(win)
    win.resize(1100, 800)
    win.show()
    win.start(background=False)
    return win


@pytest.fixture
def people(db):
    coordinator, trainee = school_with_trainee(db)
    settings_store.set_setting(db, "school.counsellor", "Ms Patel", actor_id=coordinator.id)
    settings_store.set_setting(db, "school.crisis_line", "Teen Line 0800 123 456", actor_id=coordinator.id)
    return coordinator, trainee


@pytest.fixture
def copied(tmp_path, content_copy):
    """Locations whose content folder the test may edit."""
    return resolve_locations(data_dir=tmp_path / "data", content_dir=content_copy)


def sign_in(qtbot, locations, trainee) -> MainWindow:
    win = open_window(qtbot, locations)
    win.sign_in(profile_store.get_profile(win.ctx.db, trainee.id))
    return win


def settled(qtbot) -> None:
    """Every background write started by the last click or key (a role-play step) has reported back."""
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10000)


def click(qtbot, button):
    QApplication.processEvents()
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settled(qtbot)


def button_named(widget, name: str) -> QPushButton:
    QApplication.processEvents()  # widgets added to a shown page appear on the next turn of the loop
    found = [b for b in widget.findChildren(QPushButton) if b.accessibleName() == name and b.isVisible()]
    assert len(found) == 1, (name, [b.accessibleName() for b in widget.findChildren(QPushButton) if b.isVisible()])
    return found[0]


def labels(widget, name: str) -> list[QLabel]:
    return [l for l in widget.findChildren(QLabel) if l.objectName() == name]


def show_module(win, module_id: str):
    home = win.pages["trainee"]
    row = next(
        i for i in range(home.modules.count()) if home.modules.item(i).data(Qt.ItemDataRole.UserRole) == module_id
    )
    home.modules.setCurrentRow(row)
    QApplication.processEvents()
    return home


def play_from_home(qtbot, win, module_id: str, title: str, screen: str = "intro"):
    """Press the role-play's Play (or, for a started run, Continue) button; the player opens on `screen`."""
    verb = "Continue" if screen == "offer" else "Play"
    click(qtbot, button_named(show_module(win, module_id), f"{verb} the role-play {title}"))
    page = win.pages["scenario"]
    assert win.stack.currentWidget() is page and page.current == screen
    return page


def start(qtbot, page):
    click(qtbot, button_named(page, f"Start the role-play {page.scenario.title}"))
    assert page.current == "play"
    return page.view


def sketchbook_started(qtbot, locations, trainee, first: int | None = None):
    """Signed in, "The sketchbook" started from its module and, if given, a first choice made."""
    win = sign_in(qtbot, locations, trainee)
    page = play_from_home(qtbot, win, "crisis-protocols", "The sketchbook")
    view = start(qtbot, page)
    if first is not None:
        click(qtbot, view.choice_buttons[first - 1])
    return win, page, view


def test_a_scenario_is_played_from_the_home_to_the_results_and_recorded(qtbot, locations, people):
    trainee = people[1]
    win = sign_in(qtbot, locations, trainee)
    title = win.ctx.content.scenario("late-night-dms").title  # read from the content, not hard-coded
    page = play_from_home(qtbot, win, "active-listening", title)
    scenario = page.scenario
    view = start(qtbot, page)
    db = win.ctx.db
    [attempt] = progress_store.unfinished_attempts(db, trainee.id)
    assert attempt.content_hash == scenario.content_hash and attempt.state["node"] == scenario.start
    assert labels(view, "Bubble") and labels(view, "Narration")  # a character's line and narration

    path = passing_path(scenario)
    for seq, number in enumerate(path, 1):
        text = view.choice_buttons[number - 1].text_shown()
        click(qtbot, view.choice_buttons[number - 1])
        # Committed before anything else is shown: the step and the state are on disk.
        steps = progress_store.attempt_steps(db, attempt.id)
        assert len(steps) == seq and plain(steps[-1].choice_text, win.ctx.placeholder_values()) == text
        assert labels(view, "Reply")[-1].text().endswith(text.rsplit(" ", 1)[-1])
        assert labels(view, "Feedback"), "immediate mode shows the feedback before going on"
        click(qtbot, view.continue_button)
    assert view.continue_button.text() == "See how you did →"
    click(qtbot, view.continue_button)
    assert page.current == "results"
    texts = " ".join(l.text() for l in page.findChildren(QLabel))
    assert "Passed ✓" in texts and "Your conversation, step by step" in texts
    done = progress_store.get_attempt(db, attempt.id)
    assert (done.status, done.passed) == ("finished", True)
    assert done.state["node"] == done.ending and len(done.state["steps"]) == len(path)

    click(qtbot, button_named(page.screens["results"], "Back to the module"))
    home = win.pages["trainee"]
    assert win.stack.currentWidget() is home and "late-night-dms" in home.record.scenarios_passed
    assert button_named(home, f"Play the role-play {title}").text() == "Play again"


def test_end_mode_gives_nothing_away_until_the_results(qtbot, locations, people):
    win = sign_in(qtbot, locations, people[1])
    page = play_from_home(qtbot, win, "active-listening", "Eating alone")
    assert page.scenario.feedback == "end"
    view = start(qtbot, page)
    chosen = []
    while view.choice_buttons:
        chosen.append(view.choice_buttons[-1].text_shown())
        click(qtbot, view.choice_buttons[-1])
        assert not labels(view, "Feedback")
        if view.choice_buttons:
            assert not view.continue_button.isVisible()
    click(qtbot, view.continue_button)
    assert page.current == "results"
    run = page.recorded.run
    QApplication.processEvents()
    texts = [l.text() for l in page.findChildren(QLabel) if l.isVisible()]
    for step in run.steps:  # the transcript has every choice and its feedback
        assert any(step.choice_text[:30] in t for t in texts)
        assert any(step.feedback.split()[0] in t and step.feedback.split()[-1] in t for t in texts)


def test_leaving_mid_run_and_restarting_offers_to_carry_on_at_the_same_node(qtbot, locations, people):
    trainee = people[1]
    win, page, view = sketchbook_started(qtbot, locations, trainee)
    for _ in range(2):
        click(qtbot, view.choice_buttons[1])
        click(qtbot, view.continue_button)
    node, scores = page.recorded.run.node_id, dict(page.recorded.run.scores)
    choices = [b.text_shown() for b in view.choice_buttons]
    click(qtbot, page.back_button)  # "Leave for now"
    assert win.stack.currentWidget() is win.pages["trainee"]
    [attempt] = progress_store.unfinished_attempts(win.ctx.db, trainee.id)
    assert attempt.status == "in_progress"
    win.close()

    again = sign_in(qtbot, locations, trainee)  # a restart, as after a crash
    offer_page = again.pages["scenario"]
    assert again.stack.currentWidget() is offer_page and offer_page.current == "offer"
    assert any("Carry on where you left off in “The sketchbook”?" == l.text() for l in offer_page.findChildren(QLabel))
    click(qtbot, button_named(offer_page, "Carry on with The sketchbook"))
    view = offer_page.view
    assert offer_page.recorded.run.node_id == node and offer_page.recorded.run.scores == scores
    assert [b.text_shown() for b in view.choice_buttons] == choices
    assert len(labels(view, "Reply")) == 2 and len(labels(view, "Feedback")) == 2  # the conversation so far
    click(qtbot, view.choice_buttons[0])
    assert [s.seq for s in progress_store.attempt_steps(again.ctx.db, attempt.id)] == [1, 2, 3]


def test_starting_again_instead_of_carrying_on_abandons_the_old_run(qtbot, locations, people):
    trainee = people[1]
    win, page, view = sketchbook_started(qtbot, locations, trainee, first=1)
    old = page.recorded.attempt_id
    click(qtbot, page.back_button)
    page = play_from_home(qtbot, win, "crisis-protocols", "The sketchbook", screen="offer")
    click(qtbot, button_named(page, "Start The sketchbook again from the beginning"))
    assert page.current == "intro"
    assert progress_store.get_attempt(win.ctx.db, old).status == "in_progress"  # nothing changes until the new start
    start(qtbot, page)
    assert progress_store.get_attempt(win.ctx.db, old).status == "abandoned"
    assert [a.id for a in progress_store.unfinished_attempts(win.ctx.db, trainee.id)] == [page.recorded.attempt_id]


def test_a_changed_file_is_said_plainly_and_a_fresh_start_keeps_the_old_record(qtbot, copied, people):
    trainee = people[1]
    win, page, view = sketchbook_started(qtbot, copied, trainee, first=2)
    old = page.recorded.attempt_id
    path = page.scenario.path
    win.close()
    path.write_text(
        path.read_text(encoding="utf-8").replace("Thursday, after PE.", "Friday, after PE."), encoding="utf-8"
    )

    again = sign_in(qtbot, copied, trainee)
    page = again.pages["scenario"]
    assert page.current == "offer"
    texts = " ".join(l.text() for l in page.findChildren(QLabel) if l.isVisible())
    assert "“The sketchbook” has changed since you started it" in texts and "can't carry on" in texts
    click(qtbot, button_named(page, "Start the new version"))
    start(qtbot, page)
    stale = progress_store.get_attempt(again.ctx.db, old)
    assert stale.status == "stale" and len(progress_store.attempt_steps(again.ctx.db, old)) == 1
    assert page.recorded.scenario.content_hash != stale.content_hash
    assert "Friday, after PE." in " ".join(l.text() for l in labels(page.view, "Narration"))


def test_a_file_removed_mid_run_ends_the_run_with_a_message(qtbot, copied, people):
    win, page, view = sketchbook_started(qtbot, copied, people[1], first=2)
    click(qtbot, view.continue_button)
    attempt_id = page.recorded.attempt_id
    page.scenario.path.unlink()
    click(qtbot, view.choice_buttons[0])
    assert any("removed from the training" in l.text() for l in labels(view, "Notice"))
    assert progress_store.get_attempt(win.ctx.db, attempt_id).status == "stale"
    assert len(progress_store.attempt_steps(win.ctx.db, attempt_id)) == 1
    click(qtbot, view.continue_button)  # "Back to the module"
    assert win.stack.currentWidget() is win.pages["trainee"]


def test_the_content_warning_shows_the_schools_contacts_and_can_be_skipped(qtbot, locations, people):
    trainee = people[1]
    win = sign_in(qtbot, locations, trainee)
    page = play_from_home(qtbot, win, "crisis-protocols", "The sketchbook")
    warning = [l for l in page.findChildren(QLabel) if l.accessibleName() == "Content warning and who to talk to"]
    assert len(warning) == 1 and warning[0].isVisible()
    text = warning[0].text()
    assert "thinking about suicide" in text and "Ms Patel" in text and "Teen Line 0800 123 456" in text
    assert "your local emergency number" in text  # a contact not filled in reads sensibly
    intro = " ".join(l.text() for l in page.findChildren(QLabel) if l.isVisible())
    assert "Recognising warning signs" in intro and "pass mark: 3 points" in intro
    click(qtbot, button_named(page, "Skip this role-play and go back to the module"))
    assert win.stack.currentWidget() is win.pages["trainee"]
    assert progress_store.scenario_attempts(win.ctx.db, trainee.id) == []


def test_a_scenario_with_errors_is_not_offered_to_trainees(qtbot, copied, people):
    broken = copied.content_dir / "scenarios" / "active-listening" / "late-night-dms.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("](#vent)", "](#nowhere)", 1), encoding="utf-8")
    win = sign_in(qtbot, copied, people[1])
    home = show_module(win, "active-listening")
    names = [b.accessibleName() for b in home.findChildren(QPushButton) if b.isVisible()]
    assert "Play the role-play Eating alone" in names and "Play the role-play Late-night DMs" not in names
    assert any(f.code == "S112" and "late-night-dms" in f.path for f in win.ctx.content.findings)  # trainers see why
    win.open_scenario("late-night-dms")  # even asked for directly, it cannot start
    page = win.pages["scenario"]
    assert page.current == "notice" and page.recorded is None
    assert progress_store.scenario_attempts(win.ctx.db, people[1].id) == []


def test_read_aloud_speaks_each_line_in_its_characters_voice_and_stops_on_a_choice(qtbot, locations, people):
    win = sign_in(qtbot, locations, people[1])
    speech = win.ctx.speech
    spoken, stops = [], []
    speech.available = True
    speech.speak_lines = lambda utterance, lines, language=None: spoken.append((utterance, lines))
    speech.stop = lambda: stops.append(True)
    page = play_from_home(qtbot, win, "crisis-protocols", "The sketchbook")
    page.read_button.refresh()
    assert not page.read_button.isVisible()  # only during the conversation
    view = start(qtbot, page)
    click(qtbot, page.read_button)
    assert page.read_button.text() == "■ Stop reading aloud"
    utterance, lines = spoken[-1]
    assert lines[-1] == ("I want you to have it. I won't need it any more.", "female")  # Mei's voice hint
    assert lines[0][1] is None  # narration: the default voice
    speech.sentence.emit(utterance, len(lines) - 1)
    assert labels(view, "Speaking")  # the line being read is marked
    click(qtbot, view.choice_buttons[1])
    assert stops, "choosing stops the voice"
    click(qtbot, view.continue_button)
    sc = page.scenario
    after = sc.nodes[sc.nodes[sc.start].choices[1].target]  # the node the second choice leads to, from the content
    first_words = plain(after.text[0].text, win.ctx.placeholder_values())
    assert len(spoken) == 2 and spoken[-1][1][0][0] == first_words  # the next node is read in turn
    stops.clear()
    click(qtbot, page.back_button)
    assert stops and page.read_button.text() == "▶ Read aloud"


def test_the_keyboard_alone_plays_a_scenario(qtbot, locations, people):
    win, page, view = sketchbook_started(qtbot, locations, people[1])
    win.activateWindow()

    # The key goes to the window's focus: wait until that is a choice inside the conversation (its
    # number keys are shortcuts of the conversation), not merely the conversation's last focus.
    # Shortcuts fire only in the active window: another test's window may still hold that.
    def ready() -> bool:
        if QApplication.activeWindow() is not win:
            win.activateWindow()
            return False
        return isinstance(win.focusWidget(), ChoiceButton) and view.isAncestorOf(win.focusWidget())

    qtbot.waitUntil(ready)
    qtbot.keyClick(win.focusWidget(), Qt.Key.Key_2)
    settled(qtbot)
    assert len(page.recorded.run.steps) == 1 and page.recorded.run.steps[0].choice_index == 1
    qtbot.keyClick(win.focusWidget(), Qt.Key.Key_Return)  # Continue after the feedback
    QApplication.processEvents()
    assert view.choice_buttons and view.choice_buttons[0].isVisible()
    qtbot.keyClick(win.focusWidget(), Qt.Key.Key_9)  # not offered: nothing happens
    settled(qtbot)
    assert len(page.recorded.run.steps) == 1
    qtbot.keyClick(win.focusWidget(), Qt.Key.Key_3)
    settled(qtbot)
    assert page.recorded.run.steps[1].choice_index == 2
