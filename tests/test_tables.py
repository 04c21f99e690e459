"""People and Certificates: proper Qt models, sorted A→Z by name at first, resizable columns,
and headers ("Class or group") never cut."""

from __future__ import annotations

import pytest
from cohort_helpers import school, trainee
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from app.modules.content import load_content
from app.modules.records import profile_store
from app.ui.common.context import AppContext
from app.ui.common.table_models import RowsModel
from app.ui.staff.certificates_tab import CertificatesTab
from app.ui.staff.people_tab import PeopleTab


@pytest.fixture
def ctx(db, locations):
    context = AppContext(locations)
    context.open_records(db)
    context.set_content(load_content(locations.content_dir))
    coordinator, trainer = school(db)
    context.sign_in(profile_store.get_profile(db, coordinator))
    for name, group in (("zoe Walker", "9B"), ("Amara Okafor", "10A"), ("mei Chen", "9B"), ("Diego Fernández", "")):
        trainee(db, name, group or None, coordinator)
    return context


def header_fits(table, column: int) -> bool:
    head = table.horizontalHeader()
    text = table.model().headerData(column, Qt.Orientation.Horizontal)
    needed = head.fontMetrics().horizontalAdvance(text) + 2 * head.style().pixelMetric(
        head.style().PixelMetric.PM_HeaderMargin
    )
    return head.sectionSize(column) >= needed


def test_people_are_a_model_sorted_a_to_z_with_resizable_columns(qtbot, ctx):
    tab = PeopleTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1024, 500)
    tab.show()
    tab.refresh()
    table = tab.table
    assert isinstance(table.rows_model, RowsModel)
    names = [table.cell(r, 0) for r in range(table.rowCount())]
    assert names == sorted(names, key=str.casefold) and names[0] == "Amara Okafor"
    assert table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    for col in range(3):
        assert table.horizontalHeader().sectionResizeMode(col) == QHeaderView.ResizeMode.Interactive
    assert header_fits(table, 2), "the 'Class or group' header is cut"
    # By class: each class A→Z inside.
    table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    nine_b = [table.cell(r, 0) for r in range(table.rowCount()) if table.cell(r, 2) == "9B"]
    assert nine_b == ["mei Chen", "zoe Walker"]
    # Payloads travel with sorting.
    ids = {table.cell(r, 0): table.payload(r) for r in range(table.rowCount())}
    assert profile_store.get_profile(ctx.db, ids["Amara Okafor"]).display_name == "Amara Okafor"


def test_certificates_are_a_model_sorted_a_to_z(qtbot, ctx):
    tab = CertificatesTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1024, 600)
    tab.show()
    tab.refresh()
    tab.show_all.setChecked(True)
    qtbot.waitUntil(lambda: tab.table.rowCount() >= 4, timeout=5000)
    table = tab.table
    names = [table.cell(r, 0) for r in range(table.rowCount())]
    assert names == sorted(names, key=str.casefold)
    assert table.model().headerData(1, Qt.Orientation.Horizontal) == "Class or group" and header_fits(table, 1)
    table.selectRow(0)
    assert tab.selected_ids() == [table.payload(0)]
