"""The dashboard: a cohort's progress at a glance, for trainers (read only) and coordinators.

A chart of each module's progress across the cohort, then one row per trainee (lazily
fetched, sortable, filterable by class, name and status); double-click a trainee for their
whole record. The first rows come from the roster and one chunk of set-based queries; the
whole cohort's counts for the chart are made on a worker thread meanwhile.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QLineEdit, QTableView, QWidget

from app.core import i18n
from app.core.i18n import N_, _, ngettext
from app.modules.competency import WAITING_SIGN_OFF
from app.ui.common import widgets as w
from app.ui.staff.cohort_model import ROW_ROLE, STATUS_FILTERS, CohortModel, CohortProxy, short_state, two_lines
from app.ui.staff.progress_chart import ProgressChart

ALL_CLASSES = N_("All classes")
NO_CLASS = N_("No class")


class ProgressTab(QWidget):
    cohort_counted = Signal()  # the chart and the headline have the whole cohort's figures

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        lay = w.scrolling_body(self)  # large text on a small screen: the page scrolls, nothing is squeezed
        lay.setContentsMargins(0, 8, 0, 0)
        lay.setSpacing(10)
        self.summary = w.muted("")
        self.group = QComboBox()
        self.group.setAccessibleName(_("Class or group"))
        self.group.setMinimumContentsLength(max(12, len(_(ALL_CLASSES))))  # "Todas las clases" whole when squeezed
        self.group.currentIndexChanged.connect(lambda _i: self._group_changed())
        self.status = QComboBox()
        self.status.setAccessibleName(_("Show"))
        for label in STATUS_FILTERS:
            self.status.addItem(_(label), label)  # shown translated; the filter goes by its English key
        self.status.currentIndexChanged.connect(lambda _i: self.proxy.set_status(self.status.currentData()))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Find a trainee…"))
        self.filter.setAccessibleName(_("Find a trainee by name or class"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(lambda t: self.proxy.set_text(t))
        # The headline above the filters: beside them, large text squeezed it into a narrow column.
        lay.addWidget(self.summary)
        lay.addLayout(w.row(self.group, self.status, self.filter, None))
        self.chart = ProgressChart()
        # The chart takes what the trainees' table leaves, keeping room for three of its rows; on a
        # small screen it scrolls.
        self.chart_area = w.scroll(self.chart)
        self.chart_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chart_area.setAccessibleName(_("Progress of each module across the cohort"))
        lay.addWidget(self.chart_area)
        self.model = CohortModel(self)
        self.proxy = CohortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(_("Trainees' progress"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(False)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # roster order until asked: no full load
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultSectionSize(112)
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(self._open_detail)
        lay.addWidget(self.table, 1)
        self.open_button = w.button(_("Open the selected trainee's record…"), tip=_("Or double-click a trainee"))
        self.open_button.clicked.connect(lambda: self._open_detail(self.table.currentIndex()))
        lay.addLayout(
            w.row(
                w.muted(
                    _(
                        "Hover over a cell for details. Double-click a trainee to see their attempts, "
                        "role-play transcripts and sign-offs."
                    )
                ),
                self.open_button,
                stretch_first=True,
            )
        )
        self._fit_chart()

    def _fit_chart(self) -> None:
        if not shiboken6.isValid(self) or not shiboken6.isValid(self.table):
            return  # closed meanwhile
        if not hasattr(self, "open_button"):
            return  # still being built
        rows = 3  # the header and three trainees, at any text size
        row = max(self.table.verticalHeader().defaultSectionSize(), self.table.fontMetrics().height() + 10)
        self.table.verticalHeader().setDefaultSectionSize(row)
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height() + rows * row + 4)
        wanted = self.chart.sizeHint().height() + 2
        # What the headline, the filters, the row under the table and the spacing take.
        lay = self.summary.parentWidget().layout()
        others = self.summary.height() + self.group.height() + self.open_button.height() + 5 * lay.spacing() + 16
        room = self.height() - others - self.table.minimumHeight()  # the page fills the tab
        self.chart_area.setFixedHeight(min(wanted, max(70, room)))

    def resizeEvent(self, event) -> None:  # Qt's name
        super().resizeEvent(event)
        self._fit_chart()

    def changeEvent(self, event) -> None:  # Qt's name: the text size changed
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            QTimer.singleShot(0, self, self._fit_chart)

    # --- loading -----------------------------------------------------------------------------
    def refresh(self) -> None:
        program = self.ctx.program
        if program is None:
            self.summary.setText(_("The content could not be loaded; see “Content problems”."))
            return
        current = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem(_(ALL_CLASSES), ALL_CLASSES)
        for group in self.ctx.training.progress.groups():
            self.group.addItem(group, group)
        self.group.addItem(_(NO_CLASS), NO_CLASS)
        found = self.group.findData(current) if current is not None else -1
        self.group.setCurrentIndex(found if found >= 0 else 0)
        self.group.blockSignals(False)
        self.load()

    def _group_changed(self) -> None:
        if self.ctx.program is not None:
            self.load()

    def load(self) -> None:
        """The roster and the first chunk now; the whole cohort's counts on a worker."""
        from app.modules import cohort
        from app.ui.common import tasks

        program, progress = self.ctx.program, self.ctx.training.progress
        choice = self.group.currentData()
        group = None if choice in (ALL_CLASSES, NO_CLASS, "", None) else choice
        roster = progress.roster(group, ungrouped=choice == NO_CLASS)
        language = i18n.language()  # the reader's, taken here: the counting runs on a worker thread
        modules = [(m.id, m.title) for m in program.in_language(language).modules]

        def loader(entries):
            return progress.summaries(entries, language)

        self._generation += 1
        generation = self._generation
        self.model.set_cohort(roster, modules, loader)
        if self.model.canFetchMore():
            self.model.fetchMore()
        self._size_columns()
        self.chart.set_modules(modules)
        self._fit_chart()
        n = len(roster)
        self.summary.setText(
            ngettext("{n} trainee; counting progress…", "{n} trainees; counting progress…", n).format(n=n)
            if n
            else _("No trainees here yet. A coordinator adds them under “People”.")
        )
        if not n:
            self.chart.set_counts({})
            return

        def done(rows) -> None:
            if generation != self._generation:
                return  # a newer load replaced this one
            self.model.absorb(rows)
            self.chart.set_counts(cohort.state_counts(rows, program))
            ready = sum(r.ready for r in rows)
            issued = sum(bool(r.certificate_number) for r in rows)
            self.summary.setText(_cohort_headline(n, ready, issued))
            self.cohort_counted.emit()

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.summary.setText(_("The progress could not be counted: {problem}").format(problem=exc))

        # Counted after the first rows are painted, so the worker does not slow them down.
        QTimer.singleShot(
            0, lambda: generation == self._generation and tasks.run(self, lambda: loader(roster), done, failed)
        )

    def _size_columns(self) -> None:
        """Widths from the header texts (cheap): sizing to contents would read every cell first."""
        fm = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        cell = fm.horizontalAdvance(short_state(WAITING_SIGN_OFF))  # the widest module state
        for c in range(len(self.model.headers)):
            text = self.model.header_text(c)
            widest = max(fm.horizontalAdvance(line) for line in two_lines(text).split("\n"))
            if self.model.column_kind(c)[0] == "module":
                widest = max(widest, cell)
            header.resizeSection(c, max(widest + 28, 190 if c == 0 else 76))

    # --- one trainee -------------------------------------------------------------------------
    def _open_detail(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        from app.ui.staff.trainee_detail import TraineeDetailDialog

        summary = self.proxy.data(index.siblingAtColumn(0), ROW_ROLE)
        dlg = TraineeDetailDialog(self.ctx, summary, self)
        dlg.exec()


def _cohort_headline(n: int, ready: int, issued: int) -> str:
    """The dashboard's headline once the cohort is counted: each count its own plural."""
    trainees = ngettext("{n} trainee", "{n} trainees", n).format(n=n)
    if issued:
        return ngettext(
            "{trainees}; {ready} ready for a certificate, {issued} certificate issued.",
            "{trainees}; {ready} ready for a certificate, {issued} certificates issued.",
            issued,
        ).format(trainees=trainees, ready=ready, issued=issued)
    return _("{trainees}; {ready} ready for a certificate.").format(trainees=trainees, ready=ready)
