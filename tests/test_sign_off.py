"""Observation sign-off: the checklist from program.yaml, what is recorded, what it completes,
and withdrawing one's own sign-off (kept in the audit)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from test_language import ARABIC_INDIC, widget_texts
from waiting import settled

from app.modules import sign_offs as rules
from app.modules.competency import certificate_readiness
from app.modules.records import audit, profile_store, progress_store, school_setup
from app.modules.trainee_record import trainee_record
from app.ui.common.context import AppContext


@pytest.fixture
def ctx(locations, db):
    c = AppContext(locations)
    c.db = db
    c.load_content()
    return c


@pytest.fixture
def people(db):
    coord = school_setup.setup_school(db, "Ms Rivera", "password123", "Riverside High")
    trainer = profile_store.create_profile(db, "Mr Okafor", "trainer", secret="password123", actor_id=coord.id)
    other = profile_store.create_profile(db, "Ms Lind", "trainer", secret="password123", actor_id=coord.id)
    amara = profile_store.create_profile(db, "Amara Okafor", "trainee", group="9B", actor_id=coord.id)
    diego = profile_store.create_profile(db, "Diego Fernández", "trainee", group="9B", actor_id=coord.id)
    return {"coord": coord, "trainer": trainer, "other": other, "amara": amara, "diego": diego}


@pytest.fixture
def page(qtbot, ctx, people):
    from app.ui.staff.sign_off_page import SignOffPage

    ctx.sign_in(people["trainer"])
    p = SignOffPage(ctx, ask_reason=lambda *_: ("Marked the wrong trainee", True))
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    p.refresh()
    return p


def test_the_checklist_comes_from_program_yaml_required_competencies_first(ctx):
    choices = rules.competencies_to_observe(ctx.program)
    assert choices[0].id == "active_listening" and "the certificate" in choices[0].needed_by
    listening = ctx.program.competencies["active_listening"]
    assert choices[0].behaviours == tuple(listening.behaviours) and 3 <= len(listening.behaviours) <= 5
    with pytest.raises(rules.SignOffError):
        rules.check_sign_off(ctx.program, "active_listening", {listening.behaviours[0]: True}, "")
    with pytest.raises(rules.SignOffError):
        rules.check_sign_off(ctx.program, "active_listening", dict.fromkeys(listening.behaviours, True), "x" * 201)


def test_a_trainer_signs_off_a_trainee_and_the_progress_changes(qtbot, page, ctx, people):
    amara = people["amara"].id
    page.select_trainee(amara)
    assert page.heading.text() == "Sign off for Amara Okafor"
    page.competency.setCurrentIndex(page.competency.findData("active_listening"))
    behaviours = ctx.program.competencies["active_listening"].behaviours
    assert [text for text, _ in page.marks] == behaviours
    assert not page.record_button.isEnabled()  # every behaviour must be marked first
    page.set_marks([True] * (len(behaviours) - 1))
    assert not page.record_button.isEnabled()
    page.set_marks([True] * len(behaviours))
    assert page.record_button.isEnabled()
    page.when.setDate(QDate(2025, 3, 14))
    qtbot.keyClicks(page.note, "Role-play: new student at lunch")
    before = certificate_readiness(ctx.program, ctx.content.all_module_contents(), trainee_record(ctx.db, amara))
    with qtbot.waitSignal(page.signed):
        qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert "signed off" in page.message.text()
    [rec] = progress_store.sign_offs(ctx.db, amara)
    assert rec.trainer_id == people["trainer"].id and rec.competency_id == "active_listening"
    assert rec.behaviours == dict.fromkeys(behaviours, True)
    assert rec.observed_on == date(2025, 3, 14) and rec.note == "Role-play: new student at lunch"
    assert "active_listening" in trainee_record(ctx.db, amara).signed_off
    after = certificate_readiness(ctx.program, ctx.content.all_module_contents(), trainee_record(ctx.db, amara))
    assert any("sign-off: Active listening" in m for m in before.missing)
    assert not any("sign-off: Active listening" in m for m in after.missing)
    row = page.history.topLevelItem(0)
    assert row.text(1) == "Active listening" and row.text(2) == "5 of 5 observed" and row.text(3) == "Signed off"
    assert row.text(4) == "Mr Okafor" and row.text(0) == "14 Mar 2025"
    assert [e.action for e in audit.entries(ctx.db, "sign_off", rec.id)] == ["create"]


def test_behaviours_not_yet_observed_do_not_complete_the_competency(qtbot, page, ctx, people):
    diego = people["diego"].id
    page.select_trainee(diego)
    page.competency.setCurrentIndex(page.competency.findData("crisis_response"))
    page.set_marks([True, False, True, True, True])
    page.record()
    assert not page.record_button.isEnabled() or not page.form.isEnabled()  # disabled at once
    settled(qtbot)
    rec = page.last_recorded
    assert rec is not None and list(rec.behaviours.values()) == [True, False, True, True, True]
    assert "not signed off yet" in page.message.text()
    assert "crisis_response" not in trainee_record(ctx.db, diego).signed_off
    assert page.history.topLevelItem(0).text(3).startswith("Not yet")


def test_a_trainer_withdraws_their_own_sign_off_which_stays_in_the_audit(qtbot, page, ctx, people):
    amara = people["amara"].id
    page.select_trainee(amara)
    page.competency.setCurrentIndex(page.competency.findData("boundaries"))
    page.set_marks([True] * len(page.marks))
    page.record()
    settled(qtbot)
    rec = page.last_recorded
    assert "boundaries" in trainee_record(ctx.db, amara).signed_off
    page.history.setCurrentItem(page.history.topLevelItem(0))
    assert page.withdraw_button.isEnabled()
    page.withdraw_selected()
    settled(qtbot)
    assert "boundaries" not in trainee_record(ctx.db, amara).signed_off
    [kept] = progress_store.sign_offs(ctx.db, amara, include_withdrawn=True)
    assert (
        kept.id == rec.id
        and kept.withdrawn_by == people["trainer"].id
        and kept.withdrawn_reason == "Marked the wrong trainee"
    )
    assert [e.action for e in audit.entries(ctx.db, "sign_off", rec.id)] == ["withdraw", "create"]
    assert page.history.topLevelItem(0).text(3).startswith("Withdrawn")
    page.history.setCurrentItem(page.history.topLevelItem(0))
    assert not page.withdraw_button.isEnabled()  # already withdrawn


def test_another_trainers_sign_off_cannot_be_withdrawn_but_a_coordinator_can(qtbot, page, ctx, people):
    amara = people["amara"].id
    listening = ctx.program.competencies["active_listening"].behaviours
    theirs = progress_store.add_sign_off(
        ctx.db, amara, people["other"].id, "active_listening", dict.fromkeys(listening, True)
    )
    page.select_trainee(amara)
    page.history.setCurrentItem(page.history.topLevelItem(0))
    assert not page.withdraw_button.isEnabled()
    page.withdraw(theirs.id, "no")
    settled(qtbot)
    assert "own sign-offs" in page.error.text()
    assert progress_store.sign_offs(ctx.db, amara)[0].withdrawn_at is None
    assert rules.may_withdraw(theirs, people["coord"]) and not rules.may_withdraw(theirs, people["trainer"])


def test_see_the_trainees_progress_opens_their_record(qtbot, page, people):
    page.select_trainee(people["amara"].id)
    page.set_marks([True] * len(page.marks))
    page.record()
    settled(qtbot)
    dlg = page.show_progress()
    assert dlg is not None
    qtbot.addWidget(dlg)
    titles = [dlg.tabs.tabText(i) for i in range(dlg.tabs.count())]
    assert "Modules" in titles and "Sign-offs (1)" in titles
    dlg.close()


def test_an_arabic_screen_does_not_mix_digit_styles(qtbot, ctx, people):
    """The sign-off page in Arabic: the date field (Qt), the history's date and counts (ours), the
    progress sentences (the catalogue's, numbers filled in by Python) all write 29, never ٢٩."""
    from app.ui.common import local_format
    from app.ui.common.language import apply_language
    from app.ui.staff.sign_off_page import SignOffPage

    assert apply_language("ar") == "ar"
    ctx.sign_in(people["trainer"])
    page = SignOffPage(ctx, ask_reason=lambda *_: ("x", True))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    page.select_trainee(people["amara"].id)
    page.competency.setCurrentIndex(page.competency.findData("active_listening"))
    page.set_marks([True] * len(page.marks))
    page.when.setDate(QDate(2025, 3, 14))
    with qtbot.waitSignal(page.signed):
        page.record_button.click()
    row = page.history.topLevelItem(0)
    assert (
        row.text(0)
        == local_format.short_date(date(2025, 3, 14))
        == QLocale().toString(QDate(2025, 3, 14), "dd MMM yyyy")
    )
    assert "14" in page.when.text() and "2025" in page.when.text() and "2025" in row.text(0)
    texts = widget_texts(page)
    assert any(re.search("[0-9]", text) for text in texts if text not in (row.text(0), page.when.text()))
    mixed = [text for text in texts if ARABIC_INDIC.search(text)]
    assert mixed == []
    assert not ARABIC_INDIC.search(local_format.number(1234.5, 1) + local_format.long_date(date(2026, 11, 29)))
