"""The coordinator's Certificates and School settings tabs, driven through the real widgets."""

from __future__ import annotations

import pytest
from cohort_helpers import make_ready, school, trainee
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from waiting import settled

from app.modules.content import load_content
from app.modules.records import certificate_store, profile_store
from app.ui.common.context import AppContext
from app.ui.staff.certificates_tab import CertificatesTab
from app.ui.staff.school_tab import SchoolTab


@pytest.fixture
def ctx(db, locations, seeded_once):
    context = AppContext(locations)
    context.open_records(db)
    context.set_content(load_content(locations.content_dir))
    coordinator, trainer = school(db)
    context.sign_in(profile_store.get_profile(db, coordinator))
    context.trainer_id = trainer
    context.reload_settings()
    context.seeded_once = seeded_once
    return context


def _school_with_ready_trainees(db, content, n: int) -> tuple[str, str, list[str]]:
    coordinator, trainer = school(db)
    ids = []
    for i in range(n):
        pid = trainee(db, f"Trainee {i}", "9B", coordinator)
        make_ready(db, content, pid, trainer)
        ids.append(pid)
    trainee(db, "Not Yet", "9B", coordinator)
    return coordinator, trainer, ids


def ready_trainees(ctx, n: int) -> list[str]:
    """The school again, with `n` trainees ready for their certificate and one not yet (seeded once
    per run and copied in: the coordinator signed in and the trainer are the copy's)."""
    build = lambda fresh: _school_with_ready_trainees(fresh, ctx.content, n)  # noqa: E731
    coordinator, trainer, ids = ctx.seeded_once.into(ctx.db, f"certificates_ui.ready_trainees({n})", build)
    ctx.sign_in(profile_store.get_profile(ctx.db, coordinator))
    ctx.trainer_id = trainer
    ctx.reload_settings()
    return ids


def open_certificates(qtbot, ctx) -> CertificatesTab:
    tab = CertificatesTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1000, 600)
    tab.show()
    tab.refresh()
    qtbot.waitUntil(lambda: tab.summary.text().startswith("3 of 4"), timeout=20000)
    return tab


def test_issue_all_ready_with_progress_then_again_with_the_same_numbers(qtbot, ctx, tmp_path):
    ready_trainees(ctx, 3)
    tab = open_certificates(qtbot, ctx)
    assert tab.issue_all.text() == "Issue all ready certificates (3)…" and tab.table.rowCount() == 3
    seen = []
    tab.progress.valueChanged.connect(seen.append)
    with qtbot.waitSignal(tab.batch_finished, timeout=30000) as done:
        tab.issue([r.id for r in tab.ready_rows()], tmp_path / "out")
    result = done.args[0]
    assert len(result.issued) == 3 and not result.cancelled
    assert seen[-1] == 3 and tab.batch_box.isHidden()
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 3
    assert "3 certificates issued" in tab.result.text()
    qtbot.waitUntil(lambda: "3 issued" in tab.summary.text(), timeout=20000)
    numbers = sorted(c.number for c in certificate_store.all_issued(ctx.db))
    with qtbot.waitSignal(tab.batch_finished, timeout=30000) as again:
        tab.issue([r.id for r in tab.ready_rows()], tmp_path / "again")
    assert sorted(f.number for f in again.args[0].issued) == numbers
    assert "issued again under the number" in tab.result.text()


def test_cancel_stops_the_batch(qtbot, ctx, tmp_path):
    ready_trainees(ctx, 3)
    tab = open_certificates(qtbot, ctx)
    tab.progress.valueChanged.connect(lambda v: v >= 1 and tab.cancel())
    with qtbot.waitSignal(tab.batch_finished, timeout=30000) as done:
        tab.issue([r.id for r in tab.ready_rows()], tmp_path / "out")
    result = done.args[0]
    assert result.cancelled and 1 <= len(result.issued) < 3
    assert "before you cancelled" in tab.result.text()


def test_verify_dialog_says_valid_or_names_the_failed_check(qtbot, ctx, tmp_path):
    from app.modules.keys import SigningKey
    from app.ui.staff.verify_dialog import VerifyDialog

    ready_trainees(ctx, 1)
    tab = CertificatesTab(ctx)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.batch_finished, timeout=30000):
        tab.issue([certificate_ready_id(ctx)], tmp_path / "out")
    pdf = next((tmp_path / "out").glob("*.pdf"))
    dlg = VerifyDialog(ctx, tab)
    qtbot.addWidget(dlg)
    dlg.certificate.setText(str(pdf))
    qtbot.mouseClick(dlg.check, Qt.MouseButton.LeftButton)
    assert dlg.verdict.text().startswith("✓ VALID") and "Trainee 0" in dlg.verdict.text()
    SigningKey.load_or_create(tmp_path / "other").export_public(tmp_path / "other.pub", "Hillside")
    dlg.key_file = tmp_path / "other.pub"
    qtbot.mouseClick(dlg.check, Qt.MouseButton.LeftButton)
    assert dlg.verdict.text().startswith("✗ NOT VALID: the school key check failed")


def certificate_ready_id(ctx) -> str:
    from app.modules.certificate_batch import ready_ids

    return ready_ids(ctx.db, ctx.content)[0]


def test_school_settings_validate_save_and_preview(qtbot, ctx, tmp_path):
    tab = SchoolTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.refresh()
    assert not tab.pass_mark.isEnabled()  # program.yaml sets the pass mark
    tab.fields["school.counsellor"].setText("Ms Diaz")
    tab.fields["school.crisis_line"].setText("Teen Line 0800 123 456")
    assert "Ms Diaz" in tab.contacts_preview.text() and "0800 123 456" in tab.contacts_preview.text()
    assert "your local emergency number" in tab.contacts_preview.text()  # empty: general wording
    tab.fields["school.name"].clear()
    assert not tab.save() and "School name is needed" in tab.error.text()
    tab.fields["school.name"].setText("Riverside High")
    tab.fields["certificate.signatory_name"].setText("Dr Jane Moss")
    tab.fields["certificate.signatory_title"].setText("Head teacher")
    tab.paper.setCurrentIndex(1)
    logo = tmp_path / "crest.png"
    image = QImage(60, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#7b2d8e"))
    image.save(str(logo))
    tab.use_logo(logo)
    (tmp_path / "not-a-picture.png").write_text("hello")
    tab.use_logo(tmp_path / "not-a-picture.png")
    assert "cannot be read as a picture" in tab.error.text()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert not tab.save_button.isEnabled()  # at once, until written
    settled(qtbot)
    assert tab.saved.text() == "Saved ✓"
    s = ctx.settings
    assert s["certificate.signatory_name"] == "Dr Jane Moss" and s["certificate.paper"] == "Letter"
    assert s["school.logo"] == "branding/school-logo.png" and (ctx.locations.data_dir / s["school.logo"]).is_file()
    assert s["school.counsellor"] == "Ms Diaz"
    qtbot.waitUntil(
        lambda: tab.certificate_preview.pixmap() is not None and not tab.certificate_preview.pixmap().isNull(),
        timeout=3000,
    )
    preview = tab.certificate_preview.pixmap().toImage()
    assert preview.width() > preview.height()  # landscape


def test_the_pass_mark_is_the_schools_when_the_program_leaves_it_open(qtbot, ctx):
    ctx.content.program = ctx.content.program.model_copy(update={"knowledge_check_pass_mark": None})
    tab = SchoolTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    assert tab.pass_mark.isEnabled()
    tab.pass_mark.setText("120")
    assert not tab.save() and "1 to 100" in tab.error.text()
    tab.pass_mark.setText("70")
    assert tab.save()
    settled(qtbot)
    assert ctx.settings["knowledge_check.pass_mark"] == 70 and ctx.pass_mark() == 70


def test_save_a_trainees_digital_badge(qtbot, ctx, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from app.modules import badges

    ids = ready_trainees(ctx, 3)
    tab = open_certificates(qtbot, ctx)
    assert tab.save_badge.text() == "Save digital badge…"
    tab.table.clearSelection()
    tab.save_badge.click()
    assert "Select one trainee" in tab.result.text()
    target = tmp_path / "badge.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    tab.table.selectRow(0)
    picked = tab.selected_ids()[0]
    tab.save_badge.click()  # not issued yet: says so
    assert "no certificate yet" in tab.result.text() and not target.exists()
    with qtbot.waitSignal(tab.batch_finished, timeout=30000):
        tab.issue(ids, tmp_path / "out")
    tab.table.clearSelection()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 3, timeout=20000)
    row = next(r for r in range(3) if tab.table.payload(r) == picked)
    tab.table.selectRow(row)
    tab.save_badge.click()
    assert "digital badge is saved" in tab.result.text()
    from app.modules.certificate_batch import school_signing_key

    school_key = school_signing_key(ctx.locations).public()
    result = badges.verify_badge_file(target, school_key)
    assert result.valid, result.lines()


def test_the_verify_dialog_checks_a_digital_badge(qtbot, ctx, tmp_path):
    from app.ui.staff.verify_dialog import VerifyDialog

    ready_trainees(ctx, 1)
    tab = CertificatesTab(ctx)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.batch_finished, timeout=30000):
        tab.issue([certificate_ready_id(ctx)], tmp_path / "out")
    badge = tmp_path / "badge.json"
    tab.save_badge_to(certificate_ready_id(ctx), "Trainee 0", badge)
    dlg = VerifyDialog(ctx, tab)
    qtbot.addWidget(dlg)
    dlg.certificate.setText(str(badge))
    qtbot.mouseClick(dlg.check, Qt.MouseButton.LeftButton)
    assert dlg.verdict.text().startswith("✓ VALID: the Open Badge"), dlg.verdict.text()
    badge.write_text(badge.read_text().replace("data:application/vc+jwt,", "data:application/vc+jwt,x"))
    qtbot.mouseClick(dlg.check, Qt.MouseButton.LeftButton)
    assert dlg.verdict.text().startswith("✗ NOT VALID"), dlg.verdict.text()
