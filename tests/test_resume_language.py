"""Issue 18 item 5: a role-play started in one language carries on in another (a translation has its
source's structure), while a real change to the file the run started on is still a changed role-play."""

from __future__ import annotations

import copy

import pytest
from player_helpers import school_with_trainee

from app.modules.content import load_content
from app.modules.records import progress_store
from app.modules.scenario import StaleRunError
from app.modules.scenario import session as ss
from app.modules.scenario.model import Effect
from app.modules.scenario.translation import structure_key

SCENARIO = "can-you-fix-it-for-me"


@pytest.fixture
def content(content_copy):
    return load_content(content_copy)


@pytest.fixture
def trainee(db):
    return school_with_trainee(db)[1]


def versions(content):
    source = content.scenario(SCENARIO)
    return source, source.translations["es"]


def test_a_translation_has_its_sources_structure_key_and_words_do_not_count(content):
    english, spanish = versions(content)
    assert spanish.language == "es" and not spanish.has_errors
    assert structure_key(english) == structure_key(spanish)
    assert english.content_hash != spanish.content_hash
    reworded = copy.deepcopy(english)
    reworded.nodes["opening"].choices[0].text = "Something else entirely"
    reworded.title = "Another title"
    assert structure_key(reworded) == structure_key(english)
    for change in (
        lambda sc: sc.nodes["opening"].choices[1].effects.append(Effect("trust", "+", 1)),
        lambda sc: setattr(sc.nodes["opening"].choices[0], "target", "fixer"),
        lambda sc: sc.nodes["opening"].choices.pop(),
        lambda sc: sc.nodes.pop("brush-off"),
        lambda sc: setattr(sc.nodes["opening"].choices[0], "condition", "trust > 0"),
        lambda sc: sc.pass_marks.update({"boundaries": 99}),
    ):
        changed = copy.deepcopy(english)
        change(changed)
        assert structure_key(changed) != structure_key(english)


@pytest.mark.parametrize("first, then", [("en", "es"), ("es", "en")])
def test_a_run_started_in_one_language_carries_on_in_the_other(db, content, trainee, first, then):
    english, spanish = versions(content)
    by_language = {"en": english, "es": spanish}
    rec = ss.RecordedRun.start(db, trainee.id, by_language[first])
    rec.choose(2)
    node, scores, variables = rec.run.node_id, dict(rec.run.scores), dict(rec.run.variables)
    now = by_language[then]
    [offer] = ss.resume_offers(db, trainee.id, lambda sid: now, lambda sid: [english, spanish])
    assert offer.kind == ss.RESUME and offer.started is by_language[first] and offer.steps_done == 1
    again = ss.RecordedRun.resume(db, offer.attempt, now, offer.started)
    assert again.run.scenario is now and again.run.scenario.language == then
    assert (again.run.node_id, again.run.scores, again.run.variables) == (node, scores, variables)
    # The conversation so far is rebuilt in the new language, and the next step is recorded as usual.
    past = ss.history(again.run)
    assert len(past) == 2 and past[-1][0] == again.run.visible_lines()
    again.choose(1)
    assert [s.seq for s in progress_store.attempt_steps(db, rec.attempt_id)] == [1, 2]
    attempt = progress_store.get_attempt(db, rec.attempt_id)
    assert attempt.scenario_id == SCENARIO and attempt.content_hash == by_language[first].content_hash


def test_switching_back_to_the_first_language_carries_on_too(db, content, trainee):
    english, spanish = versions(content)
    rec = ss.RecordedRun.start(db, trainee.id, english)
    rec.choose(2)
    [offer] = ss.resume_offers(db, trainee.id, lambda sid: spanish, lambda sid: [english, spanish])
    in_spanish = ss.RecordedRun.resume(db, offer.attempt, spanish, offer.started)
    in_spanish.choose(1)  # the saved state now carries the Spanish file's hash
    [offer] = ss.resume_offers(db, trainee.id, lambda sid: english, lambda sid: [english, spanish])
    assert offer.kind == ss.RESUME and offer.started is None
    back = ss.RecordedRun.resume(db, offer.attempt, english)
    assert back.run.node_id == in_spanish.run.node_id and back.run.scores == in_spanish.run.scores


def test_without_the_other_versions_another_language_is_a_changed_file(db, content, trainee):
    english, spanish = versions(content)
    rec = ss.RecordedRun.start(db, trainee.id, english)
    rec.choose(2)
    [offer] = ss.resume_offers(db, trainee.id, lambda sid: spanish)
    assert offer.kind == ss.CHANGED
    with pytest.raises(StaleRunError):
        ss.RecordedRun.resume(db, offer.attempt, spanish)


def test_an_edit_to_the_file_the_run_started_on_is_still_a_change_in_any_language(db, content, trainee):
    english, spanish = versions(content)
    rec = ss.RecordedRun.start(db, trainee.id, english)
    rec.choose(2)
    english.path.write_text(
        english.path.read_text(encoding="utf-8").replace("get it sorted", "get it all sorted"), encoding="utf-8"
    )
    edited = ss.reload_scenario(english, content.program)
    assert edited.content_hash != english.content_hash and not edited.has_errors
    spanish_now = ss.reload_scenario(spanish, content.program)
    assert not spanish_now.has_errors  # the words changed, not the structure: the translation still fits
    for now in (edited, spanish_now):
        [offer] = ss.resume_offers(db, trainee.id, lambda sid, now=now: now, lambda sid: [edited, spanish_now])
        assert offer.kind == ss.CHANGED and offer.started is None
        with pytest.raises(StaleRunError):
            ss.RecordedRun.resume(db, offer.attempt, now)


def test_a_version_with_another_structure_or_errors_is_never_carried_on(db, content, trainee):
    english, spanish = versions(content)
    rec = ss.RecordedRun.start(db, trainee.id, english)
    rec.choose(2)
    attempt = progress_store.unfinished_attempts(db, trainee.id)[0]
    other = copy.deepcopy(spanish)
    other.nodes["opening"].choices[1].effects.append(Effect("trust", "+", 1))
    assert ss.started_version(attempt, other, [english]) is None
    assert ss.classify(attempt, other, [english]).kind == ss.CHANGED
    with pytest.raises(StaleRunError):
        ss.RecordedRun.resume(db, attempt, other, english)
    broken = copy.deepcopy(english)
    broken.has_errors = True
    assert ss.started_version(attempt, spanish, [broken]) is None
    assert ss.classify(attempt, spanish, [english]).kind == ss.RESUME


def test_in_the_window_a_run_started_in_english_carries_on_in_spanish(qtbot, tmp_path, monkeypatch):
    from one_trainee import signed_in_trainee
    from PySide6.QtWidgets import QApplication, QPushButton

    from app.core.i18n import _
    from app.ui.common import tasks
    from app.ui.common.language import apply_language

    win = signed_in_trainee(qtbot, tmp_path / "data")
    apply_language("en")
    win.open_scenario(SCENARIO)
    page = win.pages["scenario"]
    QApplication.processEvents()
    start = next(b for b in page.findChildren(QPushButton) if b.accessibleName().startswith(_("Start the role-play")))
    start.click()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10000)  # the attempt is recorded on a worker first
    page.view.choice_buttons[1].click()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10000)  # the step is written on a worker
    node = page.recorded.run.node_id
    win.go_home()

    apply_language("es")  # the trainee now reads Spanish (Display): the pages are built again in it
    win.open_scenario(SCENARIO)
    QApplication.processEvents()
    page = win.pages["scenario"]
    assert page.current == "offer" and page.offer.kind == ss.RESUME
    assert page.offer.scenario.language == "es" and page.offer.started.language == "en"
    page.resume()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10000)  # read back on a worker (it may finish the run)
    assert page.current == "play" and page.recorded.run.node_id == node
    assert page.scenario.language == "es" and page.recorded.run.scenario.language == "es"
    [attempt] = progress_store.unfinished_attempts(win.ctx.db, win.ctx.profile.id)
    assert attempt.scenario_id == SCENARIO and len(attempt.state["steps"]) == 1
    win.ctx.shutdown()
