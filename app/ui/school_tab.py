"""School settings (coordinators): the school, its support contacts, its certificates and the
knowledge-check pass mark, each with a preview of where it appears."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import TrainingError
from app.modules.placeholders import KNOWN, values
from app.modules.school_settings import (
    CERTIFICATE_FIELDS,
    LOGO_KEY,
    PAPER_KEY,
    PAPERS,
    PASS_MARK_KEY,
    RECOGNITION_CHOICES,
    RECOGNITION_KEY,
    RETENTION_CHOICES,
    RETENTION_KEY,
    SCHOOL_FIELDS,
    VALIDITY_CHOICES,
    VALIDITY_KEY,
    SettingsError,
    logo_path,
    parse_pass_mark,
    store_logo,
    validate,
    validity_months,
    validity_words,
)

from . import widgets as w

CONTACT_KEYS = (
    "school.counsellor",
    "school.counsellor_room",
    "school.office",
    "school.supervisor",
    "school.crisis_line",
    "school.emergency_number",
)
PREVIEW_WIDTH = 420


def _section(title: str, intro: str) -> tuple[QWidget, QVBoxLayout]:
    box = w.card()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(20, 16, 20, 16)
    lay.setSpacing(8)
    lay.addWidget(w.title(title, "SectionTitle"))
    lay.addWidget(w.muted(intro))
    return box, lay


class SchoolTab(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.fields: dict[str, QLineEdit] = {}
        self.previews: dict[str, QLabel] = {}
        self._logo_value = ""  # the logo setting as it will be saved
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        body = QWidget()
        body.setObjectName("Page")
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 12, 0)
        lay.setSpacing(14)
        by_key = {f.key: f for f in SCHOOL_FIELDS + CERTIFICATE_FIELDS}

        # The school.
        box, inner = _section("Your school", "Shown on the profile picker, in lessons and on certificates.")
        form = self._form(inner, [by_key["school.name"], by_key["programme.name"]])
        self.logo_preview = QLabel()
        self.logo_preview.setMinimumSize(96, 64)  # the logo's size; "No logo" in large text may need more
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setAccessibleName("School logo")
        choose = w.button("Choose a logo…", tip="A PNG or JPEG picture under 5 MB; a copy is kept with the records")
        choose.clicked.connect(self._choose_logo)
        self.remove_logo = w.button("Remove", "link")
        self.remove_logo.clicked.connect(lambda: self._set_logo(""))
        form.addRow("Logo", w.row(self.logo_preview, choose, self.remove_logo, None))
        lay.addWidget(box)

        # Support contacts, with the crisis module's block as trainees see it.
        box, inner = _section(
            "Support contacts",
            "Lessons and role-plays name your school's own people and contacts, "
            "so trainees know exactly who to go to. Empty fields use general wording.",
        )
        self._form(inner, [by_key[k] for k in CONTACT_KEYS])
        inner.addWidget(w.muted("In the crisis module, trainees will see:"))
        self.contacts_preview = QLabel()
        self.contacts_preview.setObjectName("Banner")
        self.contacts_preview.setWordWrap(True)
        self.contacts_preview.setTextFormat(Qt.TextFormat.RichText)
        self.contacts_preview.setAccessibleName("Preview of the support contacts")
        inner.addWidget(self.contacts_preview)
        lay.addWidget(box)

        # Certificates, with a picture of one.
        box, inner = _section("Certificates", "Who signs the certificates and the paper they are printed on.")
        form = self._form(inner, list(CERTIFICATE_FIELDS))
        self.paper = QComboBox()
        self.paper.addItems(["A4", "Letter"])
        self.paper.setItemText(1, "US Letter")
        self.paper.setAccessibleName("Paper size")
        self.paper.currentIndexChanged.connect(lambda _i: self._schedule_preview())
        form.addRow("Paper size", self.paper)
        self.validity = QComboBox()
        for months in VALIDITY_CHOICES:
            self.validity.addItem(validity_words(months), months)
        self.validity.setAccessibleName("How long a certificate is valid")
        self.validity.setAccessibleDescription(
            "Printed on each certificate from now on. Helpers are due for renewal 30 days before it runs out."
        )
        self.validity_note = w.muted("Printed on certificates issued from now on.")
        form.addRow("Valid for", w.row(self.validity, self.validity_note, stretch_first=False))
        self.certificate_preview = QLabel()
        self.certificate_preview.setAccessibleName("Preview of a certificate")
        self.certificate_preview.setMinimumHeight(200)
        inner.addWidget(self.certificate_preview, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(box)

        # Support check-ins: how long they are kept.
        box, inner = _section(
            "Support check-ins",
            "Helpers' notes that they supported someone. After this time only monthly counts by kind stay.",
        )
        form = QFormLayout()
        self.retention = QComboBox()
        for days, words in RETENTION_CHOICES:
            self.retention.addItem(words, days)
        self.retention.setAccessibleName("How long support check-ins are kept")
        form.addRow("Keep them for", self.retention)
        self.recognition = QComboBox()
        for key, words in RECOGNITION_CHOICES:
            self.recognition.addItem(words, key)
        self.recognition.setAccessibleName("Printable list of certified helpers")
        form.addRow("List of helpers", self.recognition)
        inner.addLayout(form)
        lay.addWidget(box)

        # Knowledge checks.
        box, inner = _section("Knowledge checks", "The score a trainee needs to pass a lesson's knowledge check.")
        form = QFormLayout()
        self.pass_mark = QLineEdit()
        self.pass_mark.setAccessibleName("Pass mark in percent")
        self.pass_mark.setPlaceholderText("80")
        self.pass_mark.setMaximumWidth(90)
        self.pass_mark_note = w.muted("")
        form.addRow("Pass mark (%)", w.row(self.pass_mark, self.pass_mark_note, stretch_first=False))
        inner.addLayout(form)
        lay.addWidget(box)

        self.error = QLabel()
        self.error.setObjectName("ErrorBanner")
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        self.saved = w.muted("")
        self.save_button = w.button("Save settings", "primary")
        self.save_button.clicked.connect(self.save)
        lay.addLayout(w.row(self.saved, self.save_button, stretch_first=True))
        lay.addStretch(1)
        outer.addWidget(w.scroll(body))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._preview_certificate)

    def _form(self, parent_layout: QVBoxLayout, fields) -> QFormLayout:
        form = QFormLayout()
        form.setVerticalSpacing(4)
        for f in fields:
            edit = QLineEdit()
            edit.setAccessibleName(f.label)
            edit.setAccessibleDescription(f.help)
            edit.setMaxLength(f.max_length + 20)  # over-long text gets a message, not a silent cut
            edit.textChanged.connect(self._preview)
            preview = w.muted("")
            form.addRow(f.label + (" *" if f.required else ""), edit)
            form.addRow("", preview)
            self.fields[f.key] = edit
            self.previews[f.key] = preview
        parent_layout.addLayout(form)
        return form

    # --- showing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        settings = self.ctx.settings
        for key, edit in self.fields.items():
            edit.blockSignals(True)
            edit.setText(str(settings.get(key) or ""))
            edit.blockSignals(False)
        self.paper.setCurrentIndex(1 if settings.get(PAPER_KEY) == "Letter" else 0)
        listed = self.recognition.findData(settings.get(RECOGNITION_KEY) or "off")
        self.recognition.setCurrentIndex(max(listed, 0))
        kept = settings.get(RETENTION_KEY)
        at = self.retention.findData(kept if kept in dict(RETENTION_CHOICES) else 365)
        self.retention.setCurrentIndex(at)
        months = validity_months(settings)
        if self.validity.findData(months) < 0:  # set outside the window (a number not offered here)
            self.validity.addItem(validity_words(months), months)
        self.validity.setCurrentIndex(self.validity.findData(months))
        program = self.ctx.program
        fixed = program.knowledge_check_pass_mark if program is not None else None
        mark = settings.get(PASS_MARK_KEY)
        self.pass_mark.setText(str(fixed if fixed else mark if isinstance(mark, int) else ""))
        self.pass_mark.setEnabled(not fixed)
        self.pass_mark_note.setText(
            f"Set to {fixed}% by the programme file (program.yaml), so it cannot be changed here."
            if fixed
            else "Empty: 80%. Applies to knowledge checks taken from now on."
        )
        self._logo_value = str(settings.get(LOGO_KEY) or "")
        self.saved.setText("")
        w.set_error(self.error, "")
        self._show_logo()
        self._preview()

    def current_values(self) -> dict:
        out: dict = {k: e.text().strip() for k, e in self.fields.items()}
        out[PAPER_KEY] = PAPERS[self.paper.currentIndex()]
        out[VALIDITY_KEY] = self.validity.currentData() or None
        out[RETENTION_KEY] = self.retention.currentData()
        out[RECOGNITION_KEY] = self.recognition.currentData()
        if self.pass_mark.isEnabled():
            out[PASS_MARK_KEY] = self.pass_mark.text().strip()
        return out

    def _preview(self) -> None:
        current = self.current_values()
        title = self.ctx.program.title if self.ctx.program else ""
        for f in SCHOOL_FIELDS + CERTIFICATE_FIELDS:
            value = current.get(f.key, "")
            fallback = KNOWN.get(f.key, (None, ""))[1] or (title if f.key == "programme.name" else "")
            shown = value or (f"(empty: “{fallback}”)" if fallback else "(empty)")
            self.previews[f.key].setText(f"{f.help} Shows as: {shown}")
        filled = values(current, title)
        rows = [
            ("Talk to", f"{filled['school.counsellor']}, {filled['school.counsellor_room']}"),
            ("Or go to", filled["school.office"]),
            ("Crisis line", filled["school.crisis_line"]),
            ("Emergency", filled["school.emergency_number"]),
        ]
        self.contacts_preview.setText(
            "<b>If someone may be in danger, get a trusted adult now.</b><br>"
            + "<br>".join(f"{html.escape(label)}: <b>{html.escape(text)}</b>" for label, text in rows)
        )
        self._schedule_preview()

    def _schedule_preview(self) -> None:
        self._timer.start()

    def _look(self):
        from app.modules.certificates import Look

        current = self.current_values()
        program = self.ctx.program
        logo = logo_path({LOGO_KEY: self._logo_value}, self.ctx.locations.data_dir)
        return Look(
            school=current.get("school.name") or "Your school",
            programme=current.get("programme.name") or (program.title if program else ""),
            signatory_name=current.get("certificate.signatory_name", ""),
            signatory_title=current.get("certificate.signatory_title", ""),
            paper=current[PAPER_KEY],
            logo=logo,
        )

    def _preview_certificate(self) -> None:
        from app.modules.certificate_pdf import render_image
        from app.modules.certificates import sample_data

        if self.ctx.program is None:
            return
        look = self._look()
        image = render_image(sample_data(self.ctx.program, look), "PHT1.preview.preview", look, PREVIEW_WIDTH * 2)
        pix = QPixmap.fromImage(image)
        pix.setDevicePixelRatio(2.0)  # sharp on high-density screens, PREVIEW_WIDTH wide on the page
        self.certificate_preview.setPixmap(pix)
        self.certificate_preview.setFixedSize(PREVIEW_WIDTH, round(image.height() / 2))

    # --- the logo ------------------------------------------------------------------------------
    def _choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the school's logo", str(Path.home()), "Pictures (*.png *.jpg *.jpeg)"
        )
        if path:
            self.use_logo(Path(path))

    def use_logo(self, path: Path) -> None:
        """Copy the picture into the data folder now; the setting is saved with the others."""
        from PySide6.QtGui import QImage

        if QImage(str(path)).isNull():
            w.set_error(self.error, f"{path.name} cannot be read as a picture. Choose a PNG or JPEG file.")
            return
        try:
            value = store_logo(path, self.ctx.locations.data_dir)
        except (SettingsError, OSError) as exc:
            w.set_error(self.error, str(exc))
            return
        w.set_error(self.error, "")
        self._set_logo(value)

    def _set_logo(self, value: str) -> None:
        self._logo_value = value
        self.saved.setText("Not saved yet")
        self._show_logo()
        self._schedule_preview()

    def _show_logo(self) -> None:
        path = logo_path({LOGO_KEY: self._logo_value}, self.ctx.locations.data_dir)
        self.remove_logo.setVisible(path is not None)
        if path is None:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("No logo")
            return
        pix = QPixmap(str(path)).scaled(
            96, 64, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self.logo_preview.setPixmap(pix)

    # --- saving --------------------------------------------------------------------------------
    def save(self) -> bool:
        current = self.current_values()
        problems = validate(current)
        if problems:
            w.set_error(self.error, "\n".join(problems.values()))
            first = next(iter(problems))
            (self.fields.get(first) or (self.pass_mark if first == PASS_MARK_KEY else self.paper)).setFocus()
            self.saved.setText("")
            return False
        w.set_error(self.error, "")
        if PASS_MARK_KEY in current:
            current[PASS_MARK_KEY] = parse_pass_mark(current[PASS_MARK_KEY]) if current[PASS_MARK_KEY] else None
        current[LOGO_KEY] = self._logo_value
        changed = {}
        for key, value in current.items():
            stored = self.ctx.settings.get(key)
            if (stored if stored is not None else "") != (value if value is not None else ""):
                changed[key] = value
        try:
            self.ctx.apply(self.ctx.training.settings.set_many(changed))  # one transaction: all or nothing
        except TrainingError as exc:
            w.set_error(self.error, exc.message)
            self.saved.setText("")
            return False
        self.saved.setText("Saved ✓")
        return True
