"""Trainees' progress at a glance (read only): each module's state and what the certificate
still needs. Trainers and coordinators see it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from app.modules import competency as rules

from . import widgets as w

SHORT = {rules.NOT_STARTED: "—", rules.IN_PROGRESS: "in progress", rules.WAITING_SIGN_OFF: "sign-off due", rules.COMPLETE: "✓ done"}


class ProgressTab(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.setSpacing(10)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by name or class…")
        self.filter.setAccessibleName("Filter trainees")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.summary = w.muted("")
        lay.addLayout(w.row(self.summary, self.filter, stretch_first=True))
        self.table = QTableWidget(0, 0)
        self.table.setAccessibleName("Trainees' progress")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        lay.addWidget(self.table, 1)

    def refresh(self) -> None:
        from app.modules.progress import trainee_record
        from app.modules.records import accounts

        program = self.ctx.program
        if program is None:
            self.summary.setText("The content could not be loaded; see “Content problems”.")
            return
        trainees = [p for p in accounts.list_profiles(self.ctx.db) if p.role == "trainee"]
        contents = self.ctx.content.all_module_contents()
        headers = ["Name", "Class"] + [m.title for m in program.modules] + ["Certificate"]
        self.table.setSortingEnabled(False)
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(trainees))
        ready = 0
        green = QBrush(QColor("#1e6b34"))
        for r, p in enumerate(trainees):
            readiness = rules.certificate_readiness(program, contents, trainee_record(self.ctx.db, p.id))
            ready += readiness.ready
            cells = [p.display_name, p.group_name or ""] + [SHORT[s.state] for s in readiness.modules]
            cells.append("ready ✓" if readiness.ready else f"{len(readiness.missing)} to do")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if text.startswith("✓") or text.startswith("ready"):
                    item.setForeground(green)
                if c == len(cells) - 1 and not readiness.ready:
                    item.setToolTip("\n".join(readiness.missing))
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary.setText(
            f"{len(trainees)} trainee{'s' * (len(trainees) != 1)}; {ready} ready for a certificate."
            if trainees else "No trainees yet. A coordinator adds them under “People”."
        )
        self._apply_filter()

    def _apply_filter(self) -> None:
        needle = self.filter.text().strip().casefold()
        for r in range(self.table.rowCount()):
            name = (self.table.item(r, 0).text() + " " + self.table.item(r, 1).text()).casefold()
            self.table.setRowHidden(r, bool(needle) and needle not in name)



