"""The dashboard, driven through the real widgets: lazy rows, sorting, filters, the chart, a trainee's record."""

from __future__ import annotations

import pytest
from cohort_helpers import complete_module, make_ready, school, trainee
from PySide6.QtCore import Qt

from app.modules import competency as rules
from app.modules.content import load_content
from app.modules.records import class_lists, profile_store
from app.ui.common.context import AppContext
from app.ui.staff.cohort_model import CHUNK, ROW_ROLE
from app.ui.staff.progress_tab import ProgressTab


@pytest.fixture
def ctx(db, locations, seeded_once):
    context = AppContext(locations)
    context.open_records(db)
    context.set_content(load_content(locations.content_dir))
    context.seeded_once = seeded_once
    return context


def _big_cohort(db, content, n: int) -> tuple[str, str, str]:
    coordinator, trainer = school(db)
    names = "\n".join(f"Trainee {i:03d}" for i in range(n - 2))
    class_lists.create_trainees_from_text(db, names, "9A", coordinator)
    zara = trainee(db, "Zara Ahmed", "10C", coordinator)  # last by class, far beyond the first chunk
    make_ready(db, content, zara, trainer)
    amy = trainee(db, "Amy Zhou", None, coordinator)
    complete_module(db, content, amy, trainer, "introduction")
    return coordinator, zara, amy


def big_cohort(ctx, n: int = 250):
    """`n` trainees (seeded once per run and copied in), the coordinator signed in."""
    build = lambda fresh: _big_cohort(fresh, ctx.content, n)  # noqa: E731
    coordinator, zara, amy = ctx.seeded_once.into(ctx.db, f"dashboard.big_cohort({n})", build)
    ctx.sign_in(profile_store.get_profile(ctx.db, coordinator))
    ctx.reload_settings()
    return zara, amy


def open_tab(qtbot, ctx) -> ProgressTab:
    tab = ProgressTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1100, 700)
    tab.show()
    with qtbot.waitSignal(tab.cohort_counted, timeout=20000):
        tab.refresh()
    return tab


def test_rows_come_lazily_and_the_chart_counts_everyone(qtbot, ctx):
    big_cohort(ctx)
    tab = open_tab(qtbot, ctx)
    model = tab.model
    assert model.total == 250
    assert model.rowCount() < 250 and model.rowCount() % CHUNK == 0 and model.canFetchMore()
    counts = tab.chart.counts()
    assert sum(counts["introduction"].values()) == 250
    assert counts["introduction"][rules.COMPLETE] == 2 and counts["self-care"][rules.COMPLETE] == 1
    assert "250 trainees; 1 ready for a certificate" in tab.summary.text()
    before = model.rowCount()
    tab.table.scrollToBottom()  # the view asks for more at the bottom
    qtbot.waitUntil(lambda: model.rowCount() > before, timeout=5000)


def test_sorting_loads_everyone_first(qtbot, ctx):
    big_cohort(ctx)
    tab = open_tab(qtbot, ctx)
    certificate_column = tab.model.columnCount() - 1
    tab.table.sortByColumn(certificate_column, Qt.SortOrder.DescendingOrder)
    assert tab.model.rowCount() == 250
    top = tab.proxy.data(tab.proxy.index(0, 0), ROW_ROLE)
    assert top.name == "Zara Ahmed" and top.ready
    assert tab.proxy.index(0, certificate_column).data() == "✓ ready"
    tab.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert tab.proxy.index(0, 0).data() == "Amy Zhou"


def test_filters_by_name_class_and_status(qtbot, ctx):
    big_cohort(ctx)
    tab = open_tab(qtbot, ctx)
    qtbot.keyClicks(tab.filter, "zara")
    assert tab.proxy.rowCount() == 1 and tab.proxy.index(0, 0).data() == "Zara Ahmed"
    tab.filter.clear()
    tab.status.setCurrentText("Ready for a certificate")
    assert [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())] == ["Zara Ahmed"]
    tab.status.setCurrentText("Everyone")
    with qtbot.waitSignal(tab.cohort_counted, timeout=20000):
        tab.group.setCurrentText("10C")
    assert tab.model.total == 1 and tab.summary.text().startswith("1 trainee;")
    with qtbot.waitSignal(tab.cohort_counted, timeout=20000):
        tab.group.setCurrentText("No class")
    assert [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())] == ["Amy Zhou"]


def test_module_cells_explain_themselves(qtbot, ctx):
    big_cohort(ctx, n=5)
    tab = open_tab(qtbot, ctx)
    row = next(r for r in range(tab.proxy.rowCount()) if tab.proxy.index(r, 0).data() == "Amy Zhou")
    intro = tab.proxy.index(row, 2)
    assert intro.data() == "✓ done"
    listening = tab.proxy.index(row, 3).data(Qt.ItemDataRole.ToolTipRole)
    assert "Active listening: not started" in listening and "Still to do" in listening
    cert_tip = tab.proxy.index(row, tab.model.columnCount() - 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "sign-off" in cert_tip


def test_a_trainees_record_opens_with_attempts_and_sign_offs(qtbot, ctx):
    zara, _amy = big_cohort(ctx, n=5)
    tab = open_tab(qtbot, ctx)
    from app.ui.staff.trainee_detail import TraineeDetailDialog

    summary = next(tab.model.row_summary(r) for r in range(tab.model.rowCount()) if tab.model.row_summary(r).id == zara)
    dlg = TraineeDetailDialog(ctx, summary, tab)
    qtbot.addWidget(dlg)
    titles = [dlg.tabs.tabText(i) for i in range(dlg.tabs.count())]
    program = ctx.content.program
    expected = sum(len(m.requires.sign_offs) for m in program.modules) + len(program.certificate.requires.sign_offs)
    assert titles[0] == "Modules" and titles[1].startswith("Knowledge checks (")
    assert titles[3] == f"Sign-offs ({expected})"  # make_ready signs off each module's and the certificate's
    assert dlg.attempts.rowCount() > 0 and dlg.attempts.item(0, 3).text() == "passed"


def test_trainers_see_the_dashboard_but_not_certificates_or_settings(qtbot, ctx):
    from app.ui.staff.staff_home import StaffHomePage

    coordinator, trainer = school(ctx.db)
    ctx.sign_in(profile_store.get_profile(ctx.db, trainer))
    ctx.reload_settings()
    page = StaffHomePage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    tabs = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert tabs[0] == "Dashboard" and "Certificates" not in tabs and "School settings" not in tabs
    assert page.progress.table.editTriggers() == page.progress.table.EditTrigger.NoEditTriggers
