"""Issue 17: "Trainees younger than an age the school sets are asked nothing about their own
wellbeing beyond confidence in the skills." The school sets the age (none by default); a
coordinator ticks who is younger (no date of birth is kept); a check-in then does not ask how heavy
it felt or whether they want to talk it over, and the domain refuses those answers for them."""

from __future__ import annotations

from datetime import date

import pytest
from after_certificate_school import seeded_school
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select
from waiting import settled

from app.core.errors import PermissionDenied
from app.modules import school_settings
from app.modules.content import load_content
from app.modules.records import checkin_store, preference_store, profile_store, settings_store, wellbeing
from app.modules.records.checkin_store import CheckInError
from app.modules.records.models import SupportCheckInMonth
from app.service import Training


@pytest.fixture
def content(locations):
    return load_content(locations.content_dir)


@pytest.fixture
def seeded(db, seeded_once):
    return seeded_school(db, once=seeded_once)


def _as(db, content, locations, pid) -> Training:
    return Training(db, content, profile_store.get_profile(db, pid), locations)


def test_the_keys_are_one_in_the_domain_and_the_records():
    assert school_settings.WELLBEING_AGE_KEY == wellbeing.AGE_KEY
    assert school_settings.YOUNGER_KEY == wellbeing.YOUNGER_KEY
    named = {"school.name": "Hillside"}
    assert school_settings.validate({**named, school_settings.WELLBEING_AGE_KEY: 13}) == {}
    assert school_settings.validate({**named, school_settings.WELLBEING_AGE_KEY: None}) == {}
    for bad in (True, 3, 99, "13", -1):
        assert school_settings.WELLBEING_AGE_KEY in school_settings.validate({school_settings.WELLBEING_AGE_KEY: bad})
    assert school_settings.wellbeing_age({}) == 0
    assert school_settings.wellbeing_age({school_settings.WELLBEING_AGE_KEY: "x"}) == 0


def test_by_default_everyone_is_asked_even_when_ticked(db, content, locations, seeded):
    coord, _trainer, ids = seeded
    helper = ids[0]
    as_coord = _as(db, content, locations, coord)
    changed, _changes = as_coord.people.set_younger([helper], True)
    assert changed == 1
    as_helper = _as(db, content, locations, helper)
    assert as_helper.checkins.asks_about_wellbeing()  # no age set: the tick changes nothing yet
    made, _changes = as_helper.checkins.log("listening", False, 3, True, date.today())
    assert made.weight == 3 and made.wants_debrief


def test_a_younger_helper_is_not_asked_and_the_domain_refuses_those_answers(db, content, locations, seeded):
    coord, trainer, ids = seeded
    young, older = ids[0], ids[1]
    settings_store.set_setting(db, school_settings.WELLBEING_AGE_KEY, 13, actor_id=coord)
    as_coord = _as(db, content, locations, coord)
    changed, changes = as_coord.people.set_younger([young, trainer], True)
    assert changed == 1 and changes.people  # trainees only: staff are never ticked
    assert as_coord.people.younger([young, older, trainer]) == {young}

    as_young = _as(db, content, locations, young)
    assert not as_young.checkins.asks_about_wellbeing()
    for weight, talk in ((3, False), (None, True), (None, False), (2, None)):
        with pytest.raises(CheckInError):
            as_young.checkins.log("listening", False, weight, talk, date.today())
    made, _changes = as_young.checkins.log("referral", True, None, None, date.today())
    assert made.weight is None and made.wants_debrief is False and made.adult_involved
    assert as_young.checkins.mine()[0].weight is None

    as_older = _as(db, content, locations, older)
    assert as_older.checkins.asks_about_wellbeing()
    with pytest.raises(CheckInError):
        as_older.checkins.log("listening", False, None, None, date.today())  # everyone else answers both
    as_older.checkins.log("listening", False, 5, True, date.today())

    board = {h.profile_id: h for h in as_coord.checkins.supervision(date.today())}
    assert board[young].heaviest == 0 and not board[young].debriefs_waiting
    assert board[older].heaviest == 5
    # Retention counts a check-in not asked about as not heavy (nobody said it was).
    gone = checkin_store.apply_retention(db, coord, 1, date.today().replace(year=date.today().year + 1))
    assert gone == 2
    with db.session() as session:
        kept = session.scalars(select(SupportCheckInMonth)).all()
    assert sum(m.count for m in kept) == 2 and sum(m.heavy for m in kept) == 1


def test_confidence_in_the_skills_is_still_asked(db, content, locations, seeded):
    coord, _trainer, ids = seeded
    young = ids[-1]  # not certified: the "before" moment
    settings_store.set_setting(db, school_settings.WELLBEING_AGE_KEY, 13, actor_id=coord)
    _as(db, content, locations, coord).people.set_younger([young], True)
    as_young = _as(db, content, locations, young)
    assert as_young.evaluation.moment_due() == "before"
    ratings = dict.fromkeys(as_young.evaluation.competencies(), 3)
    assert as_young.evaluation.rate_confidence("before", ratings)[0] == len(ratings)


def test_only_a_coordinator_says_who_is_younger(db, content, locations, seeded):
    coord, trainer, ids = seeded
    young = ids[0]
    with pytest.raises(PermissionDenied):
        preference_store.set_preferences(db, young, {wellbeing.YOUNGER_KEY: False}, actor_id=young)
    with pytest.raises(PermissionDenied):
        preference_store.set_preferences(db, young, {wellbeing.YOUNGER_KEY: True}, actor_id=coord)
    for actor in (young, trainer, None):
        with pytest.raises(PermissionDenied):
            wellbeing.set_younger(db, actor, [young], True)
    assert wellbeing.set_younger(db, coord, [young], True) == 1
    assert wellbeing.set_younger(db, coord, [young], True) == 0  # already
    assert wellbeing.younger_ids(db, [young]) == {young}
    assert wellbeing.set_younger(db, coord, [young], False) == 1
    assert wellbeing.younger_ids(db, [young]) == set()
    assert wellbeing.YOUNGER_KEY not in preference_store.get_preferences(db, young)
    with pytest.raises(wellbeing.WellbeingError):
        wellbeing.set_younger(db, coord, [young], "yes")


# --- in the window ------------------------------------------------------------------------------


def test_the_check_in_form_does_not_ask_a_younger_helper(qtbot, locations, monkeypatch):
    from test_refreshers_ui import _helper, _shot

    from app.ui.trainee import checkin_dialog

    win, helper = _helper(qtbot, locations)
    coord = next(p for p in profile_store.list_profiles(win.ctx.db) if p.role == "coordinator")
    settings_store.set_setting(win.ctx.db, school_settings.WELLBEING_AGE_KEY, 13, actor_id=coord.id)
    wellbeing.set_younger(win.ctx.db, coord.id, [helper.id], True)
    home = win.stack.currentWidget()
    opened = []
    monkeypatch.setattr(QDialog, "exec", lambda self: opened.append(self) or 0)
    qtbot.mouseClick(home.checkin_button, Qt.MouseButton.LeftButton)
    dialog = opened[0]
    assert isinstance(dialog, checkin_dialog.CheckInDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.wait(20)
    assert not dialog.asked and dialog.why.text().startswith("Two quick answers")
    assert dialog.weight.buttons() == [] and not dialog.talk.isVisible()
    dialog.kind.button(0).setChecked(True)
    dialog.adult.button(0).setChecked(True)
    assert dialog.save_button.isEnabled()
    _shot(dialog, "checkin-dialog-younger")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.saved is not None, timeout=10000)
    assert dialog.saved.weight is None and dialog.saved.wants_debrief is False


def test_the_school_sets_the_age_and_a_coordinator_ticks_who_is_younger(qtbot, db, locations):
    from records_helpers import set_up_school

    from app.ui.common.context import AppContext
    from app.ui.staff.people_tab import EditPersonDialog
    from app.ui.staff.school_tab import SchoolTab

    coord, _trainer = set_up_school(db)
    pupil = profile_store.create_profile(db, "Ana Lopez", profile_store.TRAINEE, group="7A", actor_id=coord.id)
    ctx = AppContext(locations)
    ctx.open_records(db)
    ctx.set_content(load_content(locations.content_dir))
    ctx.sign_in(coord)
    page = SchoolTab(ctx)
    qtbot.addWidget(page)
    page.refresh()
    assert page.wellbeing_age.currentData() == 0  # the default: no age, everyone is asked
    page.wellbeing_age.setCurrentIndex(page.wellbeing_age.findData(12))
    assert page.has_unsaved_changes()
    assert page.save()
    settled(qtbot)
    assert settings_store.get_setting(db, school_settings.WELLBEING_AGE_KEY) == 12
    page.refresh()
    assert page.wellbeing_age.currentData() == 12 and not page.has_unsaved_changes()

    dlg = EditPersonDialog(ctx, ctx.training.people.get(pupil.id))
    qtbot.addWidget(dlg)
    assert dlg.younger is not None and "Younger than 12" in dlg.younger.text() and not dlg.younger.isChecked()
    dlg.younger.setChecked(True)
    assert dlg.save()
    settled(qtbot)
    assert wellbeing.younger_ids(db, [pupil.id]) == {pupil.id} and not wellbeing.asked(db, pupil.id)
    staff = EditPersonDialog(ctx, ctx.training.people.get(coord.id))
    qtbot.addWidget(staff)
    assert staff.younger is None


def test_a_whole_class_is_ticked_as_it_is_added(qtbot, db, locations):
    from records_helpers import set_up_school

    from app.ui.common.context import AppContext
    from app.ui.staff.people_tab import AddClassDialog

    coord, _trainer = set_up_school(db)
    ctx = AppContext(locations)
    ctx.open_records(db)
    ctx.set_content(load_content(locations.content_dir))
    ctx.sign_in(coord)
    plain = AddClassDialog(ctx)
    qtbot.addWidget(plain)
    assert plain.younger.isHidden()  # no age set: nothing to tick
    settings_store.set_setting(db, school_settings.WELLBEING_AGE_KEY, 12, actor_id=coord.id)
    ctx.reload_settings()
    dlg = AddClassDialog(ctx)
    qtbot.addWidget(dlg)
    assert not dlg.younger.isHidden() and "younger than 12" in dlg.younger.text()
    dlg.group.setText("7A")
    dlg.names.setPlainText("Amara Okafor\nDiego Fernández")
    dlg.younger.setChecked(True)
    dlg._add()
    settled(qtbot)
    added = [p.id for p in profile_store.list_profiles(db) if p.group_name == "7A"]
    assert len(added) == 2 and wellbeing.younger_ids(db, added) == set(added)
