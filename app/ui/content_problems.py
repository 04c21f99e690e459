"""The "Content problems" panel: every finding of the content folder, by file, with the
line, what is wrong and what to do. Trainers and coordinators open it; trainees never do."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from . import widgets as w


class ContentProblemsPanel(QWidget):
    reload_requested = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.setSpacing(10)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("Banner")
        again = w.button("Check again", tip="Read the content folder again after you have edited a file")
        again.clicked.connect(self.reload_requested.emit)
        lay.addLayout(w.row(self.summary, again, stretch_first=True))
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Content problems")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["File and line", "Kind", "Code", "What is wrong, and what to do"])
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.tree, 1)
        lay.addWidget(w.muted(f"Content folder: {ctx.locations.content_dir}"))
        ctx.content_changed.connect(self.refresh)

    def refresh(self) -> None:
        content = self.ctx.content
        self.tree.clear()
        if content is None:
            self.summary.setText("The content has not been loaded yet.")
            return
        by_file = content.findings_by_file()
        errors, warnings = content.error_count, content.warning_count
        if not by_file:
            self.summary.setText("No problems: every lesson and role-play checked out fine.")
        else:
            self.summary.setText(
                f"{errors} error{'s' * (errors != 1)} and {warnings} warning{'s' * (warnings != 1)} in {len(by_file)} "
                f"file{'s' * (len(by_file) != 1)}. Files with errors are not shown to trainees; "
                "everything else still works."
            )
        red, amber = QBrush(QColor("#a3221b")), QBrush(QColor("#8a4b00"))
        for path, findings in by_file.items():
            n_err = sum(f.is_error for f in findings)
            top = QTreeWidgetItem([path, f"{n_err} error(s)" if n_err else "warnings", "", f"{len(findings)} finding(s)"])
            top.setForeground(1, red if n_err else amber)
            self.tree.addTopLevelItem(top)
            for f in findings:
                text = f.message + (f"\nHint: {f.hint}" if f.hint else "")
                child = QTreeWidgetItem([f"line {f.line}, column {f.column}", f.severity, f.code, text])
                child.setForeground(1, red if f.is_error else amber)
                child.setToolTip(3, f.format())
                child.setData(0, Qt.ItemDataRole.UserRole, f)
                top.addChild(child)
            top.setExpanded(True)
