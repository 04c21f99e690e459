"""Validity and renewal in the window: the School settings tab sets how long a certificate is valid;
the Certificates tab says whose renewal is due and renews those whose renewal is complete.

Set PEER_TRAINER_SHOTS=<folder> to save the screens at 1280x800, 1024x600 and 200 % text.
"""

from __future__ import annotations

from datetime import timedelta

from after_certificate_school import right_answer
from cohort_helpers import sign_off
from sqlalchemy import update
from test_certificates_ui import ctx, ready_trainees  # noqa: F401 - the fixture, by name
from test_refreshers_ui import _big_shot, _shot
from waiting import settled

from app.modules.records import certificate_store
from app.modules.records.models import Certificate, utcnow
from app.modules.school_settings import VALIDITY_KEY
from app.service import Training
from app.ui.staff.certificates_tab import CertificatesTab
from app.ui.staff.school_tab import SchoolTab


def test_the_school_sets_how_long_a_certificate_is_valid(qtbot, ctx):  # noqa: F811
    tab = SchoolTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.show()
    tab.refresh()
    assert tab.validity.currentText() == "No limit"
    tab.validity.setCurrentIndex(tab.validity.findData(12))
    assert tab.validity.currentText() == "1 year"
    assert tab.save()
    settled(qtbot)
    assert ctx.training.settings.get(VALIDITY_KEY) == 12
    tab.validity.setCurrentIndex(tab.validity.findData(0))
    assert tab.save()
    settled(qtbot)
    assert ctx.training.settings.get(VALIDITY_KEY) is None
    tab.validity.setCurrentIndex(tab.validity.findData(24))
    assert tab.retention.currentText() == "One school year"
    tab.retention.setCurrentIndex(tab.retention.findData(730))
    tab.save()
    settled(qtbot)
    assert ctx.training.checkins.retention_days() == 730
    tab.refresh()
    assert tab.validity.currentData() == 24
    from PySide6.QtWidgets import QScrollArea

    def show_field():
        tab.findChild(QScrollArea).ensureWidgetVisible(tab.validity, 50, 200)

    show_field()
    tab.validity.setFocus()
    qtbot.wait(50)
    _shot(tab, "renewal-school-settings")
    _big_shot(qtbot, tab, "renewal-school-settings-200-percent", before=show_field)


def test_the_certificates_tab_shows_who_is_due_and_renews_them(qtbot, ctx, tmp_path):  # noqa: F811
    ids = ready_trainees(ctx, 3)
    ctx.apply(ctx.training.settings.set(VALIDITY_KEY, 12))
    ctx.training.certificates.issue(ids, tmp_path / "first")
    # A year on: move the certificates back in time rather than the clock forward.
    with ctx.db.session() as s:
        s.execute(update(Certificate).values(valid_until=utcnow() + timedelta(days=10)))
    ready_one = ids[0]
    helper = Training(ctx.db, ctx.content, ctx.training.people.get(ready_one), ctx.locations)
    for _round in range(2):
        for item, _due in helper.refreshers.due():
            helper.refreshers.answer(item.key, right_answer(item))
    sign_off(ctx.db, ctx.content, ready_one, ctx.trainer_id, next(iter(ctx.program.competencies)))

    tab = CertificatesTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.show()
    tab.refresh()
    qtbot.waitUntil(lambda: tab.renewal_row.isVisible(), timeout=20000)
    assert tab.renewal_summary.text().startswith("Renewal due for 3: ")
    assert "1 can be renewed now" in tab.renewal_summary.text()
    assert tab.renew_button.text() == "Renew certificates (1)…"
    assert "Runs out on" in tab.table.cell(0, 2)
    _shot(tab, "renewal-certificates-1280x800")
    tab.resize(1024, 600)
    qtbot.wait(50)
    _shot(tab, "renewal-certificates-1024x600")
    _big_shot(qtbot, tab, "renewal-certificates-200-percent")

    old = certificate_store.numbers_for(ctx.db, [ready_one])[ready_one]
    with qtbot.waitSignal(tab.batch_finished, timeout=30000) as done:
        tab.issue([ready_one], tmp_path / "renewed", renewing=True)
    result = done.args[0]
    assert len(result.issued) == 1 and result.issued[0].number != old
    assert certificate_store.by_number(ctx.db, old).superseded_by == result.issued[0].number
    qtbot.waitUntil(lambda: "2: " in tab.renewal_summary.text(), timeout=20000)

    # The old certificate's PDF still verifies, and this laptop's records say it was replaced.
    from PySide6.QtCore import Qt

    from app.ui.staff.verify_dialog import VerifyDialog

    old_pdf = next(p for p in (tmp_path / "first").glob("*.pdf") if old in p.name)
    verify = VerifyDialog(ctx, tab)
    qtbot.addWidget(verify)
    verify.certificate.setText(str(old_pdf))
    qtbot.mouseClick(verify.check, Qt.MouseButton.LeftButton)
    assert verify.verdict.text().startswith("✓ VALID")
    assert f"by a renewal, certificate {result.issued[0].number}" in verify.details.text()
    assert "valid until" in verify.details.text()
    verify.resize(900, 600)
    verify.show()
    qtbot.wait(50)
    _shot(verify, "renewal-verify-superseded")

    from app.ui.staff.trainee_detail import TraineeDetailDialog

    summary = next(s for s in ctx.training.certificates.cohort() if s.id == ids[1])
    dlg = TraineeDetailDialog(ctx, summary, tab)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.wait(50)
    assert dlg.validity.text().startswith("Certificate: Runs out on")
    assert "renewal still needs them to answer 10 more refresher questions" in dlg.validity.text()
    _shot(dlg, "renewal-trainee-detail")
    _big_shot(qtbot, dlg, "renewal-trainee-detail-200-percent")
