"""The foundation, driven through the real widgets: first start, profiles, a lesson read and a
knowledge check passed, and everything still there after a restart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel
from waiting import settled

from app.modules.records import class_lists, profile_store, progress_store, school_setup, sign_in_throttle
from app.ui.common.context import AppContext
from app.ui.main_window import MainWindow


def open_window(qtbot, locations) -> MainWindow:
    ctx = AppContext(locations)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    win.start(background=False)
    return win


def click(qtbot, button):
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def setup_school(qtbot, win):
    page = win.pages["setup"]
    assert win.stack.currentWidget() is page
    qtbot.keyClicks(page.school, "Riverside High")
    qtbot.keyClicks(page.name, "Ms Rivera")
    qtbot.keyClicks(page.password, "correct horse")
    qtbot.keyClicks(page.confirm, "correct horse")
    click(qtbot, page.create)
    qtbot.waitUntil(lambda: hasattr(page, "written"), timeout=10000)  # the recovery code, shown once
    click(qtbot, page.written)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.pages.get("picker"), timeout=10000)


def test_a_sample_school_opens_apart_from_the_real_records(qtbot, locations, tmp_path, monkeypatch):
    from app.ui.start import setup_page

    started = []
    monkeypatch.setattr(setup_page, "launch_program", started.append)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    win = open_window(qtbot, locations)
    page = win.pages["setup"]
    click(qtbot, page.sample)
    qtbot.waitUntil(lambda: bool(started), timeout=60000)
    sample = started[0]
    assert sample.is_relative_to(tmp_path / "cache") and any(sample.glob("*.sqlite*"))
    assert "Ms Rivera" in page.sample_note.text()
    assert school_setup.needs_setup(win.ctx.db)  # the real records are untouched: still to be set up


def test_first_start_creates_the_coordinator_and_school(qtbot, locations):
    win = open_window(qtbot, locations)
    page = win.pages["setup"]
    # Mismatched passwords are refused with a message, nothing created.
    qtbot.keyClicks(page.school, "Riverside High")
    qtbot.keyClicks(page.name, "Ms Rivera")
    qtbot.keyClicks(page.password, "correct horse")
    qtbot.keyClicks(page.confirm, "correct hose")
    click(qtbot, page.create)
    assert "different" in page.error.text() and page.error.isVisible()
    assert school_setup.needs_setup(win.ctx.db)
    page.confirm.clear()
    qtbot.keyClicks(page.confirm, "correct horse")
    click(qtbot, page.create)
    qtbot.waitUntil(lambda: hasattr(page, "written"), timeout=10000)
    code = page.recovery_code.text()
    assert len(code) == 24 and code.count("-") == 4  # shown once, for the school safe
    assert school_setup.has_recovery_code(win.ctx.db)
    click(qtbot, page.written)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.pages.get("picker"), timeout=10000)
    picker = win.pages["picker"]
    assert [b.profile.display_name for b in picker.buttons] == ["Ms Rivera"]
    assert "Riverside High" in picker._title.text()
    people = profile_store.list_profiles(win.ctx.db)
    assert people[0].role == "coordinator" and people[0].has_secret


def test_a_class_is_added_and_a_trainee_reads_a_lesson_and_passes_its_check(qtbot, locations):
    win = open_window(qtbot, locations)
    setup_school(qtbot, win)
    coordinator = profile_store.list_profiles(win.ctx.db)[0]
    win.sign_in(coordinator)
    staff = win.pages["staff"]
    assert [staff.tabs.tabText(i) for i in range(staff.tabs.count())][:4] == [
        "Dashboard",
        "People",
        "Certificates",
        "School settings",
    ]

    from app.ui.staff.people_tab import AddClassDialog, AddPersonDialog

    dlg = AddClassDialog(win.ctx, staff)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.group, "9B")
    dlg.names.setPlainText("Amara Okafor\n\nDiego Fernández\nMei Chen\n")
    dlg._add()
    settled(qtbot)  # the class is added off the UI thread
    assert dlg.result() == QDialog.DialogCode.Accepted
    trainer = AddPersonDialog(win.ctx, staff)
    qtbot.addWidget(trainer)
    qtbot.keyClicks(trainer.name, "Mr Okafor")
    trainer.role.setCurrentIndex(1)
    qtbot.keyClicks(trainer.secret, "trainer-pass")
    trainer._add()
    qtbot.waitUntil(lambda: trainer.result() == QDialog.DialogCode.Accepted, timeout=10000)
    roles = sorted((p.display_name, p.role) for p in profile_store.list_profiles(win.ctx.db))
    assert ("Mr Okafor", "trainer") in roles and ("Mei Chen", "trainee") in roles and len(roles) == 5

    # A trainee picks their name (no PIN) and lands on their home.
    win.switch_profile()
    picker = win.pages["picker"]
    amara = next(b for b in picker.buttons if b.profile.display_name == "Amara Okafor")
    click(qtbot, amara)
    home = win.pages["trainee"]
    assert win.stack.currentWidget() is home
    assert home.modules.count() == len(win.ctx.program.modules)

    # Read the first lesson to the end.
    module_id = "introduction"
    first = win.ctx.content.module_lessons(module_id)[0]
    win.open_lesson(module_id, first.id)
    lesson_page = win.pages["lesson"]
    assert lesson_page.heading.text() == first.title
    bar = lesson_page.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=3000)
    amara_id = amara.profile.id

    def read_to_the_end() -> bool:
        # The position is written off the UI thread; a late layout pass may move the bar, so the
        # trainee "scrolls" to the end again until the end is what is stored.
        if bar.value() < bar.maximum():
            bar.setValue(bar.maximum())
        if lesson_page.saving:
            return False
        stored = progress_store.lesson_progress(win.ctx.db, amara_id).get((module_id, first.id))
        return stored is not None and stored.position > 0.9

    qtbot.waitUntil(read_to_the_end, timeout=10000)
    progress = progress_store.lesson_progress(win.ctx.db, amara_id)[(module_id, first.id)]
    assert progress.completed_at is not None and progress.position > 0.9

    # Take its knowledge check, answering every question correctly.
    click(qtbot, lesson_page.check_button)
    quiz = win.pages["quiz"]
    for q in first.questions:
        for i in q.correct_indexes:
            quiz.option_buttons[i].setChecked(True)
        click(qtbot, quiz.action)  # check my answer: the explanation shows
        assert any("right" in lbl.text() for lbl in quiz.box.findChildren(QLabel))
        if q is first.questions[-1]:
            with qtbot.waitSignal(quiz.scored, timeout=10000):
                click(qtbot, quiz.action)  # see my score: saved off the UI thread first
        else:
            click(qtbot, quiz.action)  # next question
    attempts = progress_store.quiz_attempts(win.ctx.db, amara_id)
    assert len(attempts) == 1 and attempts[0].passed and attempts[0].score == 1.0
    assert attempts[0].total == len(first.questions)

    # Restart on the same data: the progress is still there.
    data_dir = locations.data_dir
    win.close()
    win2 = open_window(qtbot, locations)
    assert win2.ctx.locations.data_dir == data_dir
    picker2 = win2.pages["picker"]
    click(qtbot, next(b for b in picker2.buttons if b.profile.display_name == "Amara Okafor"))
    home2 = win2.pages["trainee"]
    assert (module_id, first.id) in home2.record.lessons_read
    assert (module_id, first.id) in home2.record.checks_passed


def test_a_wrong_password_is_refused_and_then_slowed_down(qtbot, locations):
    from app.ui.start.profile_picker import SecretDialog

    win = open_window(qtbot, locations)
    setup_school(qtbot, win)
    coordinator = profile_store.list_profiles(win.ctx.db)[0]
    dlg = SecretDialog(win.ctx, coordinator, win)
    qtbot.addWidget(dlg)
    for _ in range(sign_in_throttle.FREE_FAILURES + 1):
        qtbot.waitUntil(lambda: dlg.ok.isEnabled(), timeout=5000)
        qtbot.keyClicks(dlg.field, "wrong password")
        click(qtbot, dlg.ok)
        qtbot.waitUntil(lambda: dlg.field.isEnabled(), timeout=5000)
    assert not dlg.ok.isEnabled(), "after repeated wrong tries the button waits"
    assert "wait" in dlg.message.text()
    # The wait survives a new dialog (and a restart: it is stored with the profile).
    again = SecretDialog(win.ctx, coordinator, win)
    qtbot.addWidget(again)
    assert not again.ok.isEnabled()


def trainee_signed_in(qtbot, locations) -> MainWindow:
    """A set-up school with one trainee, Mei Chen, signed in on her home page."""
    win = open_window(qtbot, locations)
    setup_school(qtbot, win)
    coord = profile_store.list_profiles(win.ctx.db)[0]
    trainee = profile_store.create_profile(win.ctx.db, "Mei Chen", "trainee", actor_id=coord.id)
    win.sign_in(profile_store.get_profile(win.ctx.db, trainee.id))
    return win


def test_read_aloud_is_disabled_with_a_reason_when_there_is_no_engine(qtbot, locations, monkeypatch):
    import app.ui.common.speech_bridge as bridge

    monkeypatch.setattr(bridge, "availability", lambda: (False, "Read aloud needs the espeak-ng speech engine."))
    win = trainee_signed_in(qtbot, locations)
    lesson = win.ctx.content.module_lessons("introduction")[0]
    win.open_lesson("introduction", lesson.id)
    page = win.pages["lesson"]
    assert not page.read_button.isEnabled()
    assert "espeak-ng" in page.read_button.toolTip()
    page.read_button.toggle()  # nothing happens, nothing raises
    assert not page.read_button.on


def test_read_aloud_highlights_the_sentence_being_spoken(qtbot, locations):
    win = trainee_signed_in(qtbot, locations)
    lesson = win.ctx.content.module_lessons("introduction")[0]
    win.open_lesson("introduction", lesson.id)
    page = win.pages["lesson"]
    qtbot.waitUntil(lambda: page.lesson is not None, timeout=5000)  # rendered on a worker
    speech = win.ctx.speech
    spoken = []
    speech.available = True  # a stand-in engine: what would be spoken is kept here
    speech.speak = lambda utterance, sentences, first=0, voice_hint=None, language=None: spoken.append(
        (utterance, sentences)
    )
    speech.stop = lambda: None
    page.read_button.refresh()
    page.read_button.click()
    utterance, sentences = spoken[-1]
    assert sentences == page._sentences and page.read_button.text() == "■ Stop reading aloud"
    speech.sentence.emit(utterance, 2)
    selections = page.browser.extraSelections()
    assert len(selections) == 1
    assert (
        selections[0].cursor.selectedText().strip()
        == page._sentences[2].strip()[: len(selections[0].cursor.selectedText().strip())]
    )
    speech.finished.emit(utterance, True)
    assert page.browser.extraSelections() == [] and page.read_button.text().endswith("Read aloud")


def test_a_trainee_cannot_open_staff_pages(qtbot, locations):
    win = trainee_signed_in(qtbot, locations)
    assert win.stack.currentWidget() is win.pages["trainee"]
    assert "staff" not in win.pages


def test_start_up_lists_profiles_before_the_records_are_fully_open(qtbot, locations):
    """The quick read-only list shows first; the real open finishes on a worker thread."""
    from app.modules.records.database import Database

    db = Database.open(locations)
    coord = school_setup.setup_school(db, "Ms Rivera", "password123", "Riverside High")
    class_lists.create_trainees_from_text(db, "Amara Okafor\nMei Chen", "9B", coord.id)
    db.close()
    ctx = AppContext(locations)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=5000) as blocker:
        win.start()  # background
    assert blocker.args == ["picker"]
    picker = win.pages["picker"]
    names = [b.profile.display_name for b in picker.buttons]
    assert "Amara Okafor" in names and "Ms Rivera" in names
    amara = next(b for b in picker.buttons if b.profile.display_name == "Amara Okafor")
    click(qtbot, amara)  # may come before the records are open: it is carried out when they are
    qtbot.waitUntil(lambda: win.ctx.profile is not None, timeout=10000)
    assert win.ctx.profile.display_name == "Amara Okafor"
    assert win.stack.currentWidget() is win.pages["trainee"]


def test_quick_peek_agrees_with_the_records(locations, db):
    from app.modules.records import database, peek

    assert peek.HEAD_REVISION == database.HEAD_REVISION
    coord = school_setup.setup_school(db, "Ms Rivera", "password123", "Riverside High")
    class_lists.create_trainees_from_text(db, "Zoë Adams\namara okafor\nBen Li", "9B", coord.id)
    profile_store.create_profile(db, "Kai", "trainee", group="7A", actor_id=coord.id)
    quick = peek.peek(locations.database_file)
    full = profile_store.list_profiles(db)
    assert [(p.id, p.display_name, p.role, p.group_name, p.has_secret) for p in quick.profiles] == [
        (p.id, p.display_name, p.role, p.group_name, p.has_secret) for p in full
    ]
    assert not quick.needs_setup
