"""Records, exports: progress as CSV, xAPI statements, and one trainee's full record for a family."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QFileDialog, QVBoxLayout, QWidget

from . import widgets as w
from .records_common import fill_trainees
from .school_tab import _section


class ExportsPanel(QWidget):
    """Files to open in a spreadsheet or a learning record store; the work runs through the Records tab."""

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        box, sec = _section(
            "Export",
            "Files to open in a spreadsheet, to import into a learning record store (xAPI), "
            "or to give a family who asked what is kept about their child.",
        )
        self.csv_button = w.button(
            "Progress as CSV…", tip="Two files: one row per trainee and competency, one per attempt"
        )
        self.csv_button.clicked.connect(self._ask_csv)
        self.xapi_button = w.button("xAPI statements…", tip="One JSON file of xAPI 1.0.3 statements")
        self.xapi_button.clicked.connect(self._ask_xapi)
        sec.addLayout(w.row(self.csv_button, self.xapi_button, None))
        self.family_trainee = QComboBox()
        self.family_trainee.setAccessibleName("Trainee for the full record")
        self.family_button = w.button("Their full record…", tip="Everything kept about this trainee, as JSON")
        self.family_button.clicked.connect(self._ask_family)
        sec.addLayout(w.row(w.muted("One trainee:", wrap=False), self.family_trainee, self.family_button, None))
        outer.addWidget(box)
        self.buttons = [self.csv_button, self.xapi_button, self.family_button]

    def set_trainees(self, trainees) -> None:
        fill_trainees(self.family_trainee, trainees)
        self.family_button.setEnabled(bool(trainees))

    def _ask_csv(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a folder for the CSV files")
        if folder:
            self.export_csv(Path(folder))

    def export_csv(self, folder: Path) -> None:
        records = self.host.ctx.training.records
        self.host.run(
            "Writing the CSV files…",
            lambda _work: records.export_csv(folder),
            lambda n: f"Saved competencies.csv ({n[0]} rows) and attempts.csv ({n[1]} rows) in {folder}.",
        )

    def _ask_xapi(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the xAPI statements", "xapi-statements.json", "JSON (*.json)")
        if path:
            self.export_xapi(Path(path))

    def export_xapi(self, dest: Path) -> None:
        records = self.host.ctx.training.records
        self.host.run(
            "Writing the xAPI statements…",
            lambda _work: records.export_xapi(dest),
            lambda n: f"Saved {n} xAPI statements in {dest}.",
        )

    def _ask_family(self) -> None:
        name = self.family_trainee.currentText().split(" (")[0]
        default = "record-" + "-".join(name.lower().split()) + ".json"
        path, _ = QFileDialog.getSaveFileName(self, "Save the trainee's full record", default, "JSON (*.json)")
        if path:
            self.export_family(self.family_trainee.currentData(), Path(path))

    def export_family(self, profile_id: str, dest: Path) -> None:
        records = self.host.ctx.training.records
        self.host.run(
            "Writing the full record…",
            lambda _work: records.export_family_record(profile_id, dest),
            lambda path: f"Saved the full record in {path}. It holds personal information: hand it over safely.",
        )
