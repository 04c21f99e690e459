"""Records, bringing laptops together: export all records to one signed bundle, import another
laptop's bundle (pairing the laptops by fingerprint the first time), and merge it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFileDialog, QVBoxLayout, QWidget

from app.core.errors import TrainingError
from app.core.i18n import _, isolate, ngettext
from app.ui.common import theme
from app.ui.common import widgets as w
from app.ui.common.local_format import short_date
from app.ui.staff.records_common import Confirm
from app.ui.staff.school_tab import _section


class MergePanel(QWidget):
    """The "Bring laptops together" section; the work runs through the Records tab."""

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        box, sec = _section(
            _("Bring laptops together"),
            _(
                "Export all records of this laptop to one file, then import that "
                "file on another laptop of your school. The first time, the two laptops are paired: you compare "
                "the fingerprint shown on both. People who are on both are recognised, and importing the same "
                "file twice changes nothing. A backup is made before every import."
            ),
        )
        self.export_bundle_button = w.button(_("Export all records…"), "primary")
        self.export_bundle_button.clicked.connect(self._ask_export_bundle)
        self.import_bundle_button = w.button(_("Import records…"))
        self.import_bundle_button.clicked.connect(self._ask_import_bundle)
        sec.addLayout(w.row(self.export_bundle_button, self.import_bundle_button, None))
        self.own_fingerprint = w.muted("")
        self.own_fingerprint.setAccessibleName(_("This laptop's fingerprint"))
        self.own_fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        sec.addWidget(self.own_fingerprint)
        outer.addWidget(box)
        self.buttons = [self.export_bundle_button, self.import_bundle_button]

    def refresh(self) -> None:
        self._show_own_fingerprint()

    def _ask_export_bundle(self) -> None:
        from app.service.storage import BUNDLE_SUFFIX as SUFFIX

        suggested = self.host.ctx.training.records.bundle_name()
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export all records"), suggested, _("Records bundle (*{suffix})").format(suffix=SUFFIX)
        )
        if path:
            self.export_bundle(Path(path))

    def export_bundle(self, dest: Path) -> None:
        records = self.host.ctx.training.records
        self.host.run(
            _("Exporting all records…"),
            lambda work: records.export_bundle(dest, work),
            lambda info: ngettext(
                "Saved {n} record in {file}. Copy this file to the other laptop "
                "and choose Import records there. This laptop's key: {fingerprint}.",
                "Saved {n} records in {file}. Copy this file to the other laptop "
                "and choose Import records there. This laptop's key: {fingerprint}.",
                info.total_rows,
            ).format(n=info.total_rows, file=isolate(dest), fingerprint=isolate(info.fingerprint)),
            with_progress=True,
        )

    def _ask_import_bundle(self) -> None:
        from app.service.storage import BUNDLE_SUFFIX as SUFFIX

        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import records"), "", _("Records bundle (*{suffix});;All files (*)").format(suffix=SUFFIX)
        )
        if path:
            self.import_bundle(Path(path))

    def _show_own_fingerprint(self) -> None:
        try:
            fingerprint, paired = self.host.ctx.training.records.this_laptop()
        except (TrainingError, OSError):
            self.own_fingerprint.setText(_("This laptop's fingerprint cannot be shown: its key cannot be read."))
            return
        self.own_fingerprint.setText(
            _(
                "This laptop's fingerprint: {fingerprint}. Paired laptops: {paired}. "
                "(`peer-trainer devices` lists or removes them.)"
            ).format(fingerprint=isolate(fingerprint), paired=paired)  # its groups in order, in Arabic too
        )

    def import_bundle(self, source: Path) -> None:
        """Check the file first (on a worker), then ask, then merge with progress and Cancel."""
        records = self.host.ctx.training.records
        self.host.run(_("Checking the file…"), lambda _work: records.check_bundle(source), self._confirm_import)

    def _confirm_import(self, checked) -> str:
        info, check = checked
        dlg = ImportDialog(self.host, info, check)
        dlg.accepted.connect(
            lambda: self._merge(
                info,
                info.fingerprint if check.needs_pairing else None,
                dlg.join is not None and dlg.join.isChecked(),
            )
        )
        self.host.show_dialog(dlg)
        return _("Waiting for your confirmation…")

    def _merge(self, info, fingerprint: str | None = None, join_school: bool = False) -> None:
        records = self.host.ctx.training.records

        def done(result) -> str:
            sentences = [_("Imported: {summary}").format(summary=result.summary())]
            if result.paired_now and not result.erased_elsewhere:  # (the erasure warning replaces this one)
                sentences.append(_("That laptop is now paired with this one."))
            if result.erased_elsewhere:
                n = len(result.erased_elsewhere)
                sentences.append(
                    ngettext(
                        "{n} trainee here was erased on the other laptop: erase them here too.",
                        "{n} trainees here were erased on the other laptop: erase them here too.",
                        n,
                    ).format(n=n)
                )
            if result.conflicts:
                n = len(result.conflicts)
                sentences.append(
                    ngettext(
                        "{n} record was left out because it clashes with records here.",
                        "{n} records were left out because they clash with records here.",
                        n,
                    ).format(n=n)
                )
            if result.refused:
                sentences.append(
                    _(
                        "Refused means: roles or passwords that no coordinator of that laptop set, changes dated in "
                        "the future, or sign-offs by a trainer this school does not know."
                    )
                )
            return " ".join(sentences)  # whole sentences, one after another

        self.host.run(
            _("Importing records…"),
            lambda work: records.import_bundle(info, work, trust_fingerprint=fingerprint, join_school=join_school),
            done,
            with_progress=True,
        )


class ImportDialog(Confirm):
    """Who made the file; and, for a laptop not paired yet, its fingerprint to compare before pairing."""

    def __init__(self, parent: QWidget, info, check):
        from html import escape

        school = escape(info.school) if info.school else escape(_("no school name"))
        when = info.created_at.astimezone()
        lines = [
            ngettext(
                "<b>{n} record</b> from the laptop <b>{device}</b> of <b>{school}</b>, exported {date} at {time}. "
                "It is signed and unchanged since it was made.",
                "<b>{n} records</b> from the laptop <b>{device}</b> of <b>{school}</b>, exported {date} at {time}. "
                "It is signed and unchanged since it was made.",
                info.total_rows,
            ).format(
                n=info.total_rows,
                device=escape(info.device_id[:8]),
                school=school,
                date=short_date(when),
                time=f"{when:%H:%M}",
            ),
        ]
        pairing = check.needs_pairing
        if not pairing:
            lines.append(
                _("That laptop is paired with this one (fingerprint {fingerprint}).").format(
                    fingerprint=escape(info.fingerprint)
                )
            )
        else:
            lines.append(
                _(
                    "<b>This laptop is not paired with the laptop that made the file.</b> On that laptop, open "
                    "Records: its fingerprint is under Bring laptops together. Compare it with this one, digit by "
                    "digit:"
                )
            )
            if check.device_key_changed:
                careful = _(
                    "<b>Careful:</b> that laptop was paired before with another fingerprint ({fingerprint}). "
                    "Pair again only if you know its program was reinstalled."
                ).format(fingerprint=escape(str(check.device_key_changed)))
                lines.append(f"<span style='color:{theme.current()[0].danger}'>{careful}</span>")
        super().__init__(
            parent, _("Import records"), lines, _("Pair and import") if pairing else _("Import"), danger=False
        )
        at = self.layout().count() - 1
        self.same = self.join = self.digits = None
        if pairing:
            self.digits = digits = w.Label(info.fingerprint)
            digits.setObjectName("Fingerprint")
            digits.setAccessibleName(_("Fingerprint of the laptop that made the file"))
            digits.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            font = digits.font()
            font.setPointSizeF(font.pointSizeF() * 1.6)
            font.setBold(True)
            font.setFamilies(["DejaVu Sans Mono", "Menlo", "Consolas", "monospace"])
            digits.setFont(font)
            digits.setAlignment(Qt.AlignmentFlag.AlignCenter)
            digits.setWordWrap(True)
            self.layout().insertWidget(at, digits)
            self.same = QCheckBox(_("The other laptop shows exactly these digits"))
            self.layout().insertWidget(at + 1, self.same, 0, Qt.AlignmentFlag.AlignLeft)
            at += 2
        if not check.same_school and check.school_here:
            self.join = QCheckBox(_("Both laptops are our school"))
            self.join.setAccessibleDescription(_("This laptop joins the school of the laptop that made the file"))
            self.layout().insertWidget(at, self.join, 0, Qt.AlignmentFlag.AlignLeft)
            why = w.muted(
                _(
                    "This laptop (set up on its own as {school}) joins that laptop's school. "
                    "Done once, before pairing with any other laptop."
                ).format(school=check.school_name_here)
            )
            why.setTextFormat(Qt.TextFormat.PlainText)
            self.layout().insertWidget(at + 1, why)
        boxes = [b for b in (self.same, self.join) if b is not None]
        for box in boxes:
            box.toggled.connect(lambda _on: self.ok.setEnabled(all(b.isChecked() for b in boxes)))
        self.ok.setEnabled(not boxes)
        self._fit()

    def _fit(self) -> None:
        """Wide enough for the digits at any text size, tall enough for every wrapped line."""
        scale = theme.current()[1]
        width = int(540 * min(scale, 1.7))
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is not None:
            width = min(width, int(screen.width() * 0.9))
        self.setMinimumWidth(width)
        if self.digits is not None and self.digits.fontMetrics().horizontalAdvance(self.digits.text()) > width - 40:
            groups = self.digits.text().split()
            half = len(groups) // 2
            self.digits.setText(" ".join(groups[:half]) + "\n" + " ".join(groups[half:]))  # 3 and 3, not 5 and 1
        self.resize(width, self.layout().totalHeightForWidth(width))
