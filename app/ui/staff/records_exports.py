"""Records, exports: progress as CSV, xAPI statements, and one trainee's full record for a family."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QFileDialog, QVBoxLayout, QWidget

from app.core.i18n import _, ngettext
from app.ui.common import widgets as w
from app.ui.staff.records_common import fill_trainees
from app.ui.staff.school_tab import _section


class ExportsPanel(QWidget):
    """Files to open in a spreadsheet or a learning record store; the work runs through the Records tab."""

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        box, sec = _section(
            _("Export"),
            _(
                "Files to open in a spreadsheet, to import into a learning record store (xAPI), "
                "or to give a family who asked what is kept about their child."
            ),
        )
        self.csv_button = w.button(
            _("Progress as CSV…"), tip=_("Two files: one row per trainee and competency, one per attempt")
        )
        self.csv_button.clicked.connect(self._ask_csv)
        self.xapi_button = w.button(_("xAPI statements…"), tip=_("One JSON file of xAPI 1.0.3 statements"))
        self.xapi_button.clicked.connect(self._ask_xapi)
        sec.addLayout(w.row(self.csv_button, self.xapi_button, None))
        self.family_trainee = QComboBox()
        self.family_trainee.setAccessibleName(_("Trainee for the full record"))
        self.family_button = w.button(_("Their full record…"), tip=_("Everything kept about this trainee, as JSON"))
        self.family_button.clicked.connect(self._ask_family)
        sec.addLayout(w.row(w.muted(_("One trainee:"), wrap=False), self.family_trainee, self.family_button, None))
        outer.addWidget(box)
        self.buttons = [self.csv_button, self.xapi_button, self.family_button]

    def set_trainees(self, trainees) -> None:
        fill_trainees(self.family_trainee, trainees)
        self.family_button.setEnabled(bool(trainees))

    def _ask_csv(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose a folder for the CSV files"))
        if folder:
            self.export_csv(Path(folder))

    def export_csv(self, folder: Path) -> None:
        records = self.host.ctx.training.records
        self.host.run(
            _("Writing the CSV files…"),
            lambda _work: records.export_csv(folder),
            lambda n: _saved_csv(n[0], n[1], folder),
        )

    def _ask_xapi(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the xAPI statements"), "xapi-statements.json", "JSON (*.json)"
        )
        if path:
            self.export_xapi(Path(path))

    def export_xapi(self, dest: Path) -> None:
        records = self.host.ctx.training.records
        self.host.run(
            _("Writing the xAPI statements…"),
            lambda _work: records.export_xapi(dest),
            lambda n: ngettext("Saved {n} xAPI statement in {file}.", "Saved {n} xAPI statements in {file}.", n).format(
                n=n, file=dest
            ),
        )

    def _ask_family(self) -> None:
        profile_id = self.family_trainee.currentData()
        name = self.host.ctx.training.people.get(profile_id).display_name if profile_id is not None else ""
        default = "record-" + "-".join(name.lower().split()) + ".json"
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the trainee's full record"), default, "JSON (*.json)")
        if path:
            self.export_family(profile_id, Path(path))

    def export_family(self, profile_id: str, dest: Path) -> None:
        records = self.host.ctx.training.records
        self.host.run(
            _("Writing the full record…"),
            lambda _work: records.export_family_record(profile_id, dest),
            lambda path: _(
                "Saved the full record in {file}. It holds personal information: hand it over safely."
            ).format(file=path),
        )


def _saved_csv(competencies: int, attempts: int, folder: Path) -> str:
    """Both files' row counts, each with its own plural, in one sentence."""
    return _("Saved competencies.csv ({competency_rows}) and attempts.csv ({attempt_rows}) in {folder}.").format(
        competency_rows=ngettext("{n} row", "{n} rows", competencies).format(n=competencies),
        attempt_rows=ngettext("{n} row", "{n} rows", attempts).format(n=attempts),
        folder=folder,
    )
