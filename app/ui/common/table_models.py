"""Plain tables as proper Qt models: the People and Certificates tabs (the dashboard has its own,
cohort_model.py). Rows are set in one go; the view sorts through a proxy by each cell's own sort
key (names A→Z ignoring case, by default), and columns start as wide as their header and cells
and can be resized by dragging."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.core.i18n import _

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole  # the row's payload (e.g. a trainee's id)


@dataclass(slots=True)
class Row:
    cells: tuple[str, ...]
    payload: object = None
    sort_keys: tuple | None = None  # default: the cells, ignoring case
    tooltips: dict[int, str] = field(default_factory=dict)


class RowsModel(QAbstractTableModel):
    def __init__(self, headers: list[str], parent=None):
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # Qt's name
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # Qt's name
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.headers[section])  # marked N_() by the caller, translated when shown
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # Qt's name
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[col]
        if role == SORT_ROLE:
            key = row.sort_keys[col] if row.sort_keys is not None else row.cells[col]
            return key.casefold() if isinstance(key, str) else key
        if role == ROW_ROLE:
            return row.payload
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltips.get(col)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return _("{column}: {value}").format(column=_(self.headers[col]), value=row.cells[col] or _("none"))
        return None


class RowsTable(QTableView):
    """A read-only, row-selecting, sortable table over a RowsModel, first sorted by its first column A→Z."""

    def __init__(self, headers: list[str], accessible_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows_model = RowsModel(headers, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.rows_model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setModel(self.proxy)
        self.setAccessibleName(accessible_name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        head = self.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # drag a column's edge to resize it
        head.setStretchLastSection(True)
        head.setSortIndicatorShown(True)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.AscendingOrder)

    def set_rows(self, rows: list[Row]) -> None:
        self.rows_model.set_rows(rows)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Every column at least as wide as its header and cells (the header is never cut)."""
        self.resizeColumnsToContents()
        row = self.verticalHeader().defaultSectionSize()
        if self.rows_model.rows:
            row = max(row, self.sizeHintForRow(0))
        self.setMinimumHeight(self.horizontalHeader().sizeHint().height() + 3 * row + 4)  # a few rows, always

    def rowCount(self) -> int:
        return self.proxy.rowCount()

    def payload(self, view_row: int):
        return self.proxy.index(view_row, 0).data(ROW_ROLE)

    def cell(self, view_row: int, column: int) -> str:
        return self.proxy.index(view_row, column).data()

    def selected_payloads(self) -> list:
        return [index.data(ROW_ROLE) for index in self.selectionModel().selectedRows(0)]

    def changeEvent(self, event) -> None:  # Qt's name: a new text size needs wider columns
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_columns()
