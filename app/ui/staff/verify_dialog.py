"""Verify a certificate: a PDF or its code, against this school's key or another school key file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import N_, _
from app.core.setting_keys import SCHOOL_NAME_KEY
from app.ui.common import widgets as w
from app.ui.common.text_fit import FittingDialog

OWN_KEY = N_("This school's own key")  # translated where shown


class VerifyDialog(FittingDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.key_file: Path | None = None
        self.setWindowTitle(_("Verify a certificate"))
        em = self.fontMetrics().horizontalAdvance("m")
        self.resize(max(640, em * 44), max(480, em * 30))  # room for its words at any text size
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        lay.addWidget(w.title(_("Verify a certificate"), "SectionTitle"))
        lay.addWidget(
            w.muted(
                _(
                    "Choose a certificate PDF, or paste the code read from its QR code (it starts with PHT1.). "
                    "Works offline."
                )
            )
        )
        form = QFormLayout()
        self.certificate = QLineEdit()
        self.certificate.setAccessibleName(_("Certificate PDF or code"))
        self.certificate.setPlaceholderText(_("A PDF file, or a code starting with PHT1."))
        pick_pdf = w.button(_("Choose PDF…"))
        pick_pdf.clicked.connect(self._pick_pdf)
        form.addRow(_("Certificate"), w.row(self.certificate, pick_pdf, stretch_first=True))
        self.key = QLineEdit(_(OWN_KEY))
        self.key.setReadOnly(True)
        # Wide enough for its words in any language, and shown from their start (not "…opia de este centro").
        for field, words in ((self.certificate, self.certificate.placeholderText()), (self.key, self.key.text())):
            metrics = field.fontMetrics()
            room = (self.screen().availableGeometry().width() if self.screen() else 1024) // 3  # 200 %, small screen
            field.setMinimumWidth(min(room, metrics.horizontalAdvance(words) + metrics.averageCharWidth() * 5))
        self.key.setCursorPosition(0)
        self.key.setAccessibleName(_("School key"))
        pick_key = w.button(
            _("Another school's key…"), tip=_("A .pub school key file, to check a certificate from another school")
        )
        pick_key.clicked.connect(self._pick_key)
        form.addRow(_("School key"), w.row(self.key, pick_key, stretch_first=True))
        lay.addLayout(form)
        self.check = w.button(_("Verify"), "primary")
        self.check.clicked.connect(self.verify)
        lay.addLayout(w.row(None, self.check))
        self.verdict = w.Label()
        self.verdict.setWordWrap(True)
        self.verdict.hide()
        lay.addWidget(self.verdict)
        self.details = w.muted("")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(w.scroll(self.details), 1)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        lay.addWidget(box)

    def _pick_pdf(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Choose a certificate"),
            str(Path.home()),
            _("Certificates (*.pdf);;Digital badges (*.json *.jwt)"),
        )
        if path:
            self.certificate.setText(path)

    def _pick_key(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a school key file"), str(Path.home()), _("School key (*.pub);;All files (*)")
        )
        if path:
            self.key_file = Path(path)
            self.key.setText(path)

    def school_key(self):
        from app.modules.certificate_batch import school_signing_key
        from app.modules.keys import SchoolKey

        if self.key_file is not None:
            return SchoolKey.load(self.key_file)
        return school_signing_key(self.ctx.locations).public(str(self.ctx.settings.get(SCHOOL_NAME_KEY) or ""))

    def verify(self) -> None:
        from app.modules.certificates import CertificateError, verify_input
        from app.modules.keys import KeyFileError

        given = self.certificate.text().strip()
        if not given:
            return self._show(False, _("Choose a certificate PDF or paste its code first."), [])
        try:
            if given.lower().endswith((".json", ".jwt")):
                from app.modules.badges import verify_badge_file

                result = verify_badge_file(Path(given), self.school_key())
            else:
                result = verify_input(given, self.school_key())
        except (CertificateError, KeyFileError) as exc:
            return self._show(False, str(exc), [])
        lines = result.lines()
        data = getattr(result, "data", None)  # a badge's verification carries no certificate fields
        if result.valid and data is not None and self.ctx.training is not None:
            from app.modules.renewal import record_note

            note = record_note(self.ctx.training.certificates.record_of(data.number))
            if note:
                lines.insert(1, note)
        self._show(result.valid, lines[0], lines[1:])

    def _show(self, ok: bool, verdict: str, details: list[str]) -> None:
        self.verdict.setObjectName("Banner" if ok else "ErrorBanner")
        self.verdict.style().unpolish(self.verdict)  # the stylesheet styles by object name
        self.verdict.style().polish(self.verdict)
        self.verdict.setText(("✓ " if ok else "✗ ") + verdict)
        self.verdict.show()
        self.details.setText("\n".join(details))
