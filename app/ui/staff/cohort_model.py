"""The dashboard's table: a cohort's rows, fetched lazily, sorted and filtered on the view side.

The model holds the roster (ids, names, classes: one cheap query) and turns it into rows a
chunk at a time through `canFetchMore`/`fetchMore`, each chunk from a few set-based queries
(cohort.summaries). A background pass may hand over rows computed meanwhile (`absorb`), so
later chunks cost nothing. Sorting or filtering on computed columns first loads every row,
because a sort over half a cohort would be a wrong answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from app.core.i18n import N_, _, ngettext
from app.modules import competency as rules
from app.ui.common import theme
from app.ui.common import widgets as w

CHUNK = 100
SORT_ROLE = Qt.ItemDataRole.UserRole
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the TraineeSummary itself

# Each module state in a cell (short) and in a sentence; marked here, translated where shown.
SHORT = {
    rules.NOT_STARTED: "—",
    rules.IN_PROGRESS: N_("in progress"),
    rules.WAITING_SIGN_OFF: N_("sign-off due"),
    rules.COMPLETE: N_("✓ done"),
}
STATE_NAMES = {
    rules.NOT_STARTED: N_("not started"),
    rules.IN_PROGRESS: N_("in progress"),
    rules.WAITING_SIGN_OFF: N_("waiting for sign-off"),
    rules.COMPLETE: N_("complete"),
}
# The columns before and after the modules' (whose titles are content, not translated here).
FIRST_HEADERS = (N_("Name"), N_("Class"))
LAST_HEADERS = (N_("Knowledge checks passed"), N_("Role-plays passed"), N_("Sign-offs"), N_("Certificate"))


def state_name(state: str) -> str:
    """A module state in words, in the reader's language."""
    return _(STATE_NAMES[state]) if state in STATE_NAMES else state


def short_state(state: str) -> str:
    """A module state in a dashboard cell, in the reader's language ("—" for not started)."""
    short = SHORT[state]
    return _(short) if short != "—" else short


STATE_RANK = {rules.NOT_STARTED: 0, rules.IN_PROGRESS: 1, rules.WAITING_SIGN_OFF: 2, rules.COMPLETE: 3}
STATE_COLOURS = {
    rules.COMPLETE: ("#1e6b34", "#e4f2e7"),
    rules.WAITING_SIGN_OFF: ("#8a4b00", "#fbeedd"),
    rules.IN_PROGRESS: ("#2f5fb3", "#e3ebf9"),
    rules.NOT_STARTED: ("#4d5766", None),
}

# The same states in the dark and high-contrast themes: light text on dark tints.
DARK_STATE_COLOURS = {
    rules.COMPLETE: ("#7fd69a", "#1d3324"),
    rules.WAITING_SIGN_OFF: ("#f2bb6b", "#3a2c14"),
    rules.IN_PROGRESS: ("#8ab4f8", "#1f2d45"),
    rules.NOT_STARTED: ("#b4bcc8", None),
}
HIGH_CONTRAST_STATE_COLOURS = {
    rules.COMPLETE: ("#8dffa8", None),
    rules.WAITING_SIGN_OFF: ("#ffd27a", None),
    rules.IN_PROGRESS: ("#ffe14d", None),
    rules.NOT_STARTED: ("#f2f2f2", None),
}


def state_colours(t) -> dict:
    """(text, background) of each module state's cells, in the theme's colours."""
    if t.name == "high_contrast":
        return HIGH_CONTRAST_STATE_COLOURS
    return DARK_STATE_COLOURS if t.dark else STATE_COLOURS


Loader = Callable[[Sequence], list]  # roster entries -> TraineeSummary rows, same order


class CohortModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._roster: list = []
        self._rows: list = []
        self._cache: dict[str, object] = {}
        self._loader: Loader | None = None
        self._modules: list[tuple[str, str]] = []  # (id, title)
        self.headers: list[str] = []

    # --- filling -----------------------------------------------------------------------------
    def set_cohort(self, roster: Sequence, modules: Sequence[tuple[str, str]], loader: Loader) -> None:
        self.beginResetModel()
        self._roster = list(roster)
        self._rows = []
        self._cache = {}
        self._loader = loader
        self._modules = list(modules)
        self.headers = list(FIRST_HEADERS) + [t for _id, t in self._modules] + list(LAST_HEADERS)
        self.endResetModel()

    @property
    def total(self) -> int:
        return len(self._roster)

    def absorb(self, rows: Sequence) -> None:
        """Rows computed elsewhere (a background pass over the same roster) for later fetches."""
        known = {e.id for e in self._roster}
        self._cache.update((r.id, r) for r in rows if r.id in known)

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # Qt's name
        return not parent.isValid() and len(self._rows) < len(self._roster)

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._loader is None:
            return
        start = len(self._rows)
        entries = self._roster[start : start + CHUNK]
        if not entries:
            return
        self._append(entries)

    def fetch_all(self) -> None:
        if self._loader is not None and len(self._rows) < len(self._roster):
            self._append(self._roster[len(self._rows) :])

    def _append(self, entries: Sequence) -> None:
        missing = [e for e in entries if e.id not in self._cache]
        if missing:
            self._cache.update((r.id, r) for r in self._loader(missing))
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(entries) - 1)
        self._rows.extend(self._cache[e.id] for e in entries)
        self.endInsertRows()

    def row_summary(self, row: int):
        return self._rows[row]

    # --- the table ---------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return two_lines(self.header_text(section))
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.header_text(section)
        return None

    def header_text(self, section: int) -> str:
        """A column's title as shown: the fixed columns translated, the modules' titles as written."""
        text = self.headers[section]
        return text if self.column_kind(section)[0] == "module" else _(text)

    def column_kind(self, column: int) -> tuple[str, int]:
        """("name"|"group"|"module"|"checks"|"scenarios"|"signoffs"|"certificate", module index)."""
        n = len(self._modules)
        if column == 0:
            return "name", -1
        if column == 1:
            return "group", -1
        if 2 <= column < 2 + n:
            return "module", column - 2
        return ("checks", "scenarios", "signoffs", "certificate")[column - 2 - n], -1

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        kind, m = self.column_kind(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, kind, m)
        if role == SORT_ROLE:
            return _sort_key(row, kind, m)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, kind, m)
        if kind == "module" and role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            fg, bg = state_colours(theme.current()[0])[row.readiness.modules[m].state]
            if bg is None:  # on the table's own background: the theme's colour, so dark themes stay readable
                fg = theme.current()[0].text_muted
            colour = fg if role == Qt.ItemDataRole.ForegroundRole else bg
            return QBrush(QColor(colour)) if colour else None
        if kind == "certificate" and role == Qt.ItemDataRole.ForegroundRole and row.ready:
            return QBrush(QColor(theme.current()[0].success))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return _("{column}: {value}").format(column=self.header_text(index.column()), value=_display(row, kind, m))
        return None


def two_lines(title: str, longest: int = 14) -> str:
    """A long column title on two balanced lines, so columns stay narrow and readable."""
    if len(title) <= longest or " " not in title:
        return title
    middle = len(title) / 2
    cut = min((i for i, ch in enumerate(title) if ch == " "), key=lambda i: abs(i - middle))
    return title[:cut] + "\n" + title[cut + 1 :]


def _display(row, kind: str, m: int) -> str:
    if kind == "name":
        return row.name
    if kind == "group":
        return row.group or ""
    if kind == "module":
        return short_state(row.readiness.modules[m].state)
    if kind == "checks":  # "1 of 20" passed: the average score is in the tooltip, never read as "100 % done"
        return _("{done} of {total}").format(done=row.checks_passed, total=row.checks_total)
    if kind == "scenarios":
        if not row.scenarios_needed:
            return _("none needed")
        done = min(row.scenarios_passed, row.scenarios_needed)
        return _("{done} of {total}").format(done=done, total=row.scenarios_needed)
    if kind == "signoffs":
        needed = len(row.sign_offs_needed_ids)
        return _("{done} of {total}").format(done=row.sign_offs_done, total=needed) if needed else _("none needed")
    if row.certificate_number:
        if row.ready:
            return _("issued {number}").format(number=row.certificate_number)
        return _("issued {number} (records changed)").format(number=row.certificate_number)
    if row.ready:
        return _("✓ ready")
    n = len(row.readiness.missing)
    return ngettext("{n} to do", "{n} to do", n).format(n=n)


def _sort_key(row, kind: str, m: int):
    if kind == "name":
        return row.name.casefold()
    if kind == "group":
        return (row.group or "").casefold()
    if kind == "module":
        st = row.readiness.modules[m]
        return STATE_RANK[st.state] + st.fraction / 10
    if kind == "checks":
        return row.checks_passed + (row.mean_best_score or 0) / 10
    if kind == "scenarios":
        return row.scenarios_passed
    if kind == "signoffs":
        return row.sign_offs_done
    return (2 if row.certificate_number else 1 if row.ready else 0) * 1000 - len(row.readiness.missing) + row.fraction


def _tooltip(row, kind: str, m: int) -> str | None:
    if kind == "module":
        st = row.readiness.modules[m]
        lines = [
            _("{module}: {state}").format(module=st.title, state=state_name(st.state)),
            _("Lessons read: {done} of {total} (needs {needed})").format(
                done=st.lessons_read, total=st.lessons_total, needed=st.lessons_needed
            ),
            _("Knowledge checks passed: {done} of {total} (needs {needed})").format(
                done=st.checks_passed, total=st.checks_total, needed=st.checks_needed
            ),
            _("Role-plays passed: {done} of {total} (needs {needed})").format(
                done=st.scenarios_passed, total=st.scenarios_total, needed=st.scenarios_needed
            ),
        ]
        if st.sign_offs_needed:
            lines.append(
                _("Sign-offs: {done} of {total}").format(done=len(st.sign_offs_done), total=len(st.sign_offs_needed))
            )
        if st.missing:
            lines.append(_("Still to do: {items}").format(items=w.listed(st.missing, "; ")))
        return "\n".join(lines)
    if kind == "certificate":
        if row.ready:
            return _("Ready: every module and sign-off the certificate needs is done.")
        return _("Still to do:\n{items}").format(items="\n".join(f"• {m}" for m in row.readiness.missing))
    if kind == "checks":
        mean = row.mean_best_score
        if mean is None:
            said = _("Knowledge checks passed: {done} of {total}.")
            return said.format(done=row.checks_passed, total=row.checks_total)
        return _(
            "Knowledge checks passed: {done} of {total}. "
            "The attempts that count average {percent} in the checks tried so far."
        ).format(
            done=row.checks_passed, total=row.checks_total, percent=_("{percent}%").format(percent=round(mean * 100))
        )
    return None


# Status filters: label (marked N_, translated where shown) -> test on a row.
STATUS_FILTERS: dict[str, Callable] = {
    N_("Everyone"): lambda r: True,
    N_("Ready for a certificate"): lambda r: r.ready and not r.certificate_number,
    N_("Certificate issued"): lambda r: bool(r.certificate_number),
    N_("Waiting for a sign-off"): lambda r: any(st.state == rules.WAITING_SIGN_OFF for st in r.readiness.modules),
    N_("Not ready yet"): lambda r: not r.ready,
}


class CohortProxy(QSortFilterProxyModel):
    """Text and status filters, and sorting on each column's own key."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._needle = ""
        self._status = "Everyone"

    def set_text(self, text: str) -> None:
        self._needle = " ".join(text.split()).casefold()
        self._refilter()

    def set_status(self, label: str) -> None:
        self._status = label if label in STATUS_FILTERS else "Everyone"
        self._refilter()

    def _refilter(self) -> None:
        self._complete_source()
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateFilter()

    def _complete_source(self) -> None:
        # A filter over the rows fetched so far would silently miss trainees further down.
        if self._needle or self._status != "Everyone":
            self.sourceModel().fetch_all()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        row = self.sourceModel().row_summary(source_row)
        if self._needle and self._needle not in f"{row.name} {row.group or ''}".casefold():
            return False
        return STATUS_FILTERS[self._status](row)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if column >= 0:
            self.sourceModel().fetch_all()
        super().sort(column, order)
