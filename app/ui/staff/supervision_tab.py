"""Check-ins (staff): who asked to talk something over, who had a heavy week, and marking a
debrief done. Helpers' check-ins never say who they helped."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.core.i18n import _, ngettext
from app.ui.common import widgets as w


class SupervisionTab(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._rows: list = []
        self._generation = 0  # the latest refresh, whose rows are the ones to show
        lay = w.scrolling_body(self)  # large text on a small screen: the page scrolls, nothing is squeezed
        lay.setContentsMargins(0, 8, 0, 0)
        lay.setSpacing(10)
        self.intro = w.muted("")
        lay.addWidget(self.intro)
        self.summary = w.muted("")
        self.done_button = w.button(_("Mark the debrief done"), "primary", tip=_("For the helpers selected below"))
        self.done_button.clicked.connect(self._mark_done)
        lay.addLayout(w.row(self.summary, self.done_button, stretch_first=True))
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [_("Helper"), _("Check-ins this week"), _("Heaviest (1–5)"), _("Wants to talk")]
        )
        self.table.setAccessibleName(_("Helpers' check-ins this week"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setStretchLastSection(True)
        lay.addWidget(self.table, 1)
        self.result = w.muted("")
        lay.addWidget(self.result)

    def refresh(self) -> None:
        checkins = self.ctx.training.checkins
        supervisor = self.ctx.placeholder_values().get("school.supervisor", _("the supervisor"))
        days = checkins.retention_days()
        kept = _("one school year") if days == 365 else ngettext("{n} day", "{n} days", days).format(n=days)
        self.intro.setText(
            _(
                "Certified helpers log here that they supported someone: the kind of support, whether an adult was "
                "brought in, how heavy it felt, and whether they want to talk it over with {supervisor}. They never "
                "say who they helped. Check-ins are kept for {period}, then only monthly counts by kind stay."
            ).format(supervisor=supervisor, period=kept)
        )
        from app.ui.common import tasks

        # Check-ins past the school's retention period are folded into monthly counts (a write, so
        # off the UI thread), then the week is read; the table fills when both are done.
        self._generation += 1
        generation = self._generation
        tasks.change(
            self,
            lambda: (checkins.apply_retention(), checkins.supervision())[1],
            lambda rows: generation == self._generation and self._fill(rows),
            apply=None,  # as before: the counts kept change no other view
        )

    def _fill(self, rows) -> None:
        self._rows = rows
        self.table.setRowCount(len(self._rows))
        for i, h in enumerate(self._rows):
            waiting = len(h.debriefs_waiting)
            cells = (
                h.name,
                str(h.this_week),
                (_("{n} — a heavy week").format(n=h.heaviest) if h.heavy_week else str(h.heaviest))
                if h.heaviest
                else "—",
                _wants_to_talk(waiting),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setData(Qt.ItemDataRole.UserRole, h.profile_id)
                self.table.setItem(i, c, item)
        asking = sum(bool(h.debriefs_waiting) for h in self._rows)
        heavy = sum(h.heavy_week for h in self._rows)
        if not self._rows:
            self.summary.setText(_("No check-ins this week, and nobody is waiting to talk."))
        else:
            self.summary.setText(
                _("{asking} waiting to talk; {heavy} had a heavy week.").format(asking=asking, heavy=heavy)
            )
        self.done_button.setEnabled(bool(asking))

    def selected(self) -> list:
        rows = {index.row() for index in self.table.selectionModel().selectedRows(0)}
        return [self._rows[r] for r in sorted(rows)]

    def _mark_done(self) -> None:
        chosen = [h for h in self.selected() if h.debriefs_waiting]
        if not chosen:
            self.result.setText(_("Select a helper who is waiting to talk first."))
            return
        from app.core.errors import TrainingError
        from app.ui.common import tasks

        ids = [i for h in chosen for i in h.debriefs_waiting]
        names = w.listed(h.name for h in chosen)
        checkins = self.ctx.training.checkins

        def marked(_done) -> None:
            self.result.setText(_("Debrief marked done for {names}.").format(names=names))
            self.refresh()

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, TrainingError):
                raise exc
            self.result.setText(exc.message)

        tasks.change(
            self,
            lambda: checkins.mark_debrief_done(ids),
            marked,
            failed,
            apply=self.ctx.apply,
            controls=(self.done_button,),
        )


def _wants_to_talk(waiting: int) -> str:
    if not waiting:
        return _("No")
    return _("Yes") if waiting == 1 else ngettext("Yes, {n} time", "Yes, {n} times", waiting).format(n=waiting)
