"""School settings (coordinators): the school, its support contacts, its certificates and the
knowledge-check pass mark, each with a preview of where it appears.

Edits are never lost: the Save bar sits above the form (always in view) and says when there
are unsaved changes; leaving the page (another tab, Home, Switch profile, closing the window)
with unsaved changes asks first: save, discard or stay. Showing the page again never overwrites
edits that are not saved yet."""

from __future__ import annotations

import html
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import TrainingError
from app.core.i18n import LANGUAGE_NAMES, _
from app.core.setting_keys import SCHOOL_NAME_KEY
from app.modules.placeholders import KNOWN, values
from app.modules.school_settings import (
    CERTIFICATE_FIELDS,
    LANGUAGE_KEY,
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
    WELLBEING_AGE_CHOICES,
    WELLBEING_AGE_KEY,
    SettingsError,
    logo_path,
    parse_pass_mark,
    store_logo,
    validate,
    validity_months,
    validity_words,
    wellbeing_age,
    wellbeing_age_words,
)
from app.ui.common import widgets as w

CONTACT_KEYS = (
    "school.counsellor",
    "school.counsellor_room",
    "school.office",
    "school.supervisor",
    "school.crisis_line",
    "school.emergency_number",
)
PREVIEW_WIDTH = 420
SAVE, DISCARD, STAY = "save", "discard", "stay"


def ask_about_unsaved(parent: QWidget) -> str:
    """Save, discard or stay: asked when leaving the page with unsaved changes (tests replace it)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Unsaved school settings"))
    box.setText(_("You have changed the school settings without saving them."))
    box.setInformativeText(_("Save the changes now? The support contacts are shown to trainees in the crisis module."))
    save = box.addButton(_("Save changes"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(_("Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
    stay = box.addButton(_("Keep editing"), QMessageBox.ButtonRole.RejectRole)
    save.setProperty("role", "primary")
    box.setDefaultButton(save)
    box.setEscapeButton(stay)
    box.exec()
    clicked = box.clickedButton()
    return SAVE if clicked is save else DISCARD if clicked is discard else STAY


def _section(title: str, intro: str) -> tuple[QWidget, QVBoxLayout]:
    """A card with a title and an introduction (both already translated by the caller)."""
    box = w.card()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(20, 16, 20, 16)
    lay.setSpacing(8)
    lay.addWidget(w.title(title, "SectionTitle"))
    lay.addWidget(w.muted(intro))
    return box, lay


class SchoolTab(QWidget):
    dirty_changed = Signal(bool)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.fields: dict[str, QLineEdit] = {}
        self.previews: dict[str, QLabel] = {}
        self._form_labels: list[QLabel] = []
        self._label_for: dict = {}
        self._logo_value = ""  # the logo setting as it will be saved
        self._dirty = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        outer.setSpacing(8)
        # The Save bar: above the form, so it is in view however far down the edit was.
        self.saved = w.muted("")
        self.saved.setAccessibleName(_("Whether the settings are saved"))
        self.undo_button = w.button(_("Undo changes"), tip=_("Put back the settings as they were last saved"))
        self.undo_button.clicked.connect(self.discard)
        self.save_button = w.button(_("Save settings"), "primary", tip=_("Save every change on this page"))
        self.save_button.clicked.connect(self.save)
        self.save_bar = QWidget()
        self.save_bar.setObjectName("SaveBar")
        bar = w.row(self.saved, self.undo_button, self.save_button, stretch_first=True)
        bar.setContentsMargins(0, 0, 12, 0)
        self.save_bar.setLayout(bar)
        outer.addWidget(self.save_bar)
        self.error = w.Label()
        self.error.setObjectName("ErrorBanner")
        self.error.setWordWrap(True)
        self.error.hide()
        outer.addWidget(self.error)
        body = QWidget()
        body.setObjectName("Page")
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 12, 0)
        lay.setSpacing(14)
        by_key = {f.key: f for f in SCHOOL_FIELDS + CERTIFICATE_FIELDS}

        # The school.
        box, inner = _section(_("Your school"), _("Shown on the profile picker, in lessons and on certificates."))
        form = self._form(inner, [by_key[SCHOOL_NAME_KEY], by_key["programme.name"]])
        self.logo_preview = w.Label()
        self.logo_preview.setMinimumSize(96, 64)  # the logo's size; "No logo" in large text may need more
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setAccessibleName(_("School logo"))
        choose = w.button(
            _("Choose a logo…"), tip=_("A PNG or JPEG picture under 5 MB; a copy is kept with the records")
        )
        choose.clicked.connect(self._choose_logo)
        self.remove_logo = w.button(_("Remove"), "link")
        self.remove_logo.clicked.connect(lambda: self._set_logo(""))
        logo_row = QWidget()
        logo_row.setLayout(w.row(self.logo_preview, choose, self.remove_logo, None))
        logo_row.layout().setContentsMargins(0, 0, 0, 0)
        self._add_row(form, _("Logo"), logo_row)
        self._language_row(form)
        lay.addWidget(box)

        # Support contacts, with the crisis module's block as trainees see it.
        box, inner = _section(
            _("Support contacts"),
            _(
                "Lessons and role-plays name your school's own people and contacts, "
                "so trainees know exactly who to go to. Empty fields use general wording."
            ),
        )
        self._form(inner, [by_key[k] for k in CONTACT_KEYS])
        inner.addWidget(w.muted(_("In the crisis module, trainees will see:")))
        self.contacts_preview = w.Label()
        self.contacts_preview.setObjectName("Banner")
        self.contacts_preview.setWordWrap(True)
        self.contacts_preview.setTextFormat(Qt.TextFormat.RichText)
        self.contacts_preview.setAccessibleName(_("Preview of the support contacts"))
        inner.addWidget(self.contacts_preview)
        lay.addWidget(box)

        # Certificates, with a picture of one.
        box, inner = _section(_("Certificates"), _("Who signs the certificates and the paper they are printed on."))
        form = self._form(inner, list(CERTIFICATE_FIELDS))
        self.paper = QComboBox()
        self.paper.addItems(["A4", "Letter"])
        self.paper.setItemText(1, _("US Letter"))
        self.paper.setAccessibleName(_("Paper size"))
        self.paper.currentIndexChanged.connect(lambda _i: (self._schedule_preview(), self._update_dirty()))
        self._add_row(form, _("Paper size"), self.paper)
        self.validity = QComboBox()
        self.validity.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.validity.setMinimumContentsLength(14)  # long choices shrink at large text: never wider than the page
        for months in VALIDITY_CHOICES:
            self.validity.addItem(validity_words(months), months)
        self.validity.setAccessibleName(_("How long a certificate is valid"))
        self.validity.setAccessibleDescription(
            _("Printed on each certificate from now on. Helpers are due for renewal 30 days before it runs out.")
        )
        self.validity_note = w.muted(_("Printed on certificates issued from now on."))
        self.validity.currentIndexChanged.connect(lambda _i: self._update_dirty())
        self._add_row(form, _("Valid for"), self.validity)
        form.addRow("", self.validity_note)
        self.certificate_preview = w.Label()
        self.certificate_preview.setAccessibleName(_("Preview of a certificate"))
        self.certificate_preview.setMinimumHeight(200)
        inner.addWidget(self.certificate_preview, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(box)

        # Support check-ins: how long they are kept.
        box, inner = _section(
            _("Support check-ins"),
            _("Helpers' notes that they supported someone. After this time only monthly counts by kind stay."),
        )
        form = QFormLayout()
        self.retention = QComboBox()
        self.retention.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.retention.setMinimumContentsLength(14)  # long choices shrink at large text: never wider than the page
        for days, words in RETENTION_CHOICES:
            self.retention.addItem(_(words), days)  # the domain marks these N_
        self.retention.setAccessibleName(_("How long support check-ins are kept"))
        self.retention.currentIndexChanged.connect(lambda _i: self._update_dirty())
        self._add_row(form, _("Keep them for"), self.retention)
        self.recognition = QComboBox()
        self.recognition.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.recognition.setMinimumContentsLength(14)  # long choices shrink at large text: never wider than the page
        for key, words in RECOGNITION_CHOICES:
            self.recognition.addItem(_(words), key)  # the domain marks these N_
        self.recognition.setAccessibleName(_("Printable list of certified helpers"))
        self.recognition.currentIndexChanged.connect(lambda _i: self._update_dirty())
        self._add_row(form, _("List of helpers"), self.recognition)
        inner.addLayout(form)
        lay.addWidget(box)

        # Wellbeing questions: the age under which trainees are not asked about their own wellbeing.
        box, inner = _section(
            _("Wellbeing questions"),
            _(
                "Trainees younger than this age are asked nothing about their own wellbeing: a check-in does "
                "not ask how heavy it felt or whether they want to talk it over. Confidence in the skills is "
                "still asked. Tick who is younger in People (Edit…); no date of birth is kept."
            ),
        )
        form = QFormLayout()
        self.wellbeing_age = QComboBox()
        self.wellbeing_age.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.wellbeing_age.setMinimumContentsLength(14)  # long choices shrink at large text
        for age in WELLBEING_AGE_CHOICES:
            self.wellbeing_age.addItem(wellbeing_age_words(age), age)
        self.wellbeing_age.setAccessibleName(_("Age under which trainees are not asked about their wellbeing"))
        self.wellbeing_age.currentIndexChanged.connect(lambda _i: self._update_dirty())
        self._add_row(form, _("Not asked under"), self.wellbeing_age)
        inner.addLayout(form)
        lay.addWidget(box)

        # Knowledge checks.
        box, inner = _section(_("Knowledge checks"), _("The score a trainee needs to pass a lesson's knowledge check."))
        form = QFormLayout()
        self.pass_mark = QLineEdit()
        self.pass_mark.setAccessibleName(_("Pass mark in percent"))
        self.pass_mark.setPlaceholderText("80")
        self.pass_mark.setMaximumWidth(90)
        self.pass_mark.textChanged.connect(lambda _t: self._update_dirty())
        self.pass_mark_note = w.muted("")
        mark_row = w.row(self.pass_mark, self.pass_mark_note, stretch_first=False)
        self._add_row(form, _("Pass mark (%)"), mark_row, beside=self.pass_mark)
        inner.addLayout(form)
        lay.addWidget(box)
        lay.addStretch(1)
        outer.addWidget(w.scroll(body))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._preview_certificate)
        self._align_labels()
        self._show_dirty()

    def _language_row(self, form: QFormLayout) -> None:
        """The school's language: the profile picker's, and everyone's who has not chosen their own."""
        self.language_choice = QComboBox()
        self.language_choice.addItem(_("The computer's language"), "")
        for code, name in LANGUAGE_NAMES.items():
            self.language_choice.addItem(name, code)  # each by its own name, as someone looking for it reads it
        self.language_choice.setAccessibleName(_("The school's language"))
        self.language_choice.currentIndexChanged.connect(lambda _i: self._update_dirty())
        self._add_row(form, _("Language"), self.language_choice)
        form.addRow(
            "",
            w.muted(
                _(
                    "The profile picker's language, and everyone's who has not chosen their own under Display. "
                    "Certificates and the programme report are printed in it."
                )
            ),
        )

    def _add_row(self, form: QFormLayout, text: str, field, beside=None) -> None:
        """A labelled row; the label sits level with `beside` (the field itself when not given)."""
        label = w.Label(text)
        label.setObjectName("FormLabel")
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._form_labels.append(label)
        self._label_for[label] = beside if beside is not None else field
        form.addRow(label, field)

    def _align_labels(self) -> None:
        """One label column for every section: the fields of all the cards start at the same place."""
        if not shiboken6.isValid(self) or not shiboken6.isValid(self.save_button):
            return  # closed meanwhile
        if not self._form_labels:
            return
        for label in self._form_labels:
            label.setMinimumWidth(0)
            label.setMinimumHeight(0)
            label.setMaximumHeight(16777215)
        width = max(label.sizeHint().width() for label in self._form_labels)
        for label in self._form_labels:
            label.setMinimumWidth(width)
            beside = self._label_for.get(label)
            if isinstance(beside, QWidget):  # level with its field, however tall the text is
                label.setFixedHeight(max(beside.sizeHint().height(), label.sizeHint().height()))

    def changeEvent(self, event) -> None:  # Qt's name: the text size or the theme changed
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            QTimer.singleShot(0, self, self._align_labels)
        super().changeEvent(event)

    def _form(self, parent_layout: QVBoxLayout, fields) -> QFormLayout:
        form = QFormLayout()
        form.setVerticalSpacing(4)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        for f in fields:
            edit = QLineEdit()
            edit.setAccessibleName(_(f.label))  # the domain marks labels and help N_
            edit.setAccessibleDescription(_(f.help))
            edit.setMaxLength(f.max_length + 20)  # over-long text gets a message, not a silent cut
            edit.textChanged.connect(self._preview)
            edit.textChanged.connect(lambda _t: self._update_dirty())
            preview = w.muted("")
            # The field and what it shows as, together: one row, the label level with the field.
            column = QWidget()
            stack = QVBoxLayout(column)
            stack.setContentsMargins(0, 0, 0, 6)
            stack.setSpacing(2)
            stack.addWidget(edit)
            stack.addWidget(preview)
            label = _("{label} *").format(label=_(f.label)) if f.required else _(f.label)  # * : required
            self._add_row(form, label, column, beside=edit)
            self.fields[f.key] = edit
            self.previews[f.key] = preview
        parent_layout.addLayout(form)
        return form

    # --- showing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the saved settings, unless there are edits not saved yet: those stay as typed."""
        if self._dirty:
            self._show_dirty()
            return
        self._load()

    def _load(self) -> None:
        settings = self.ctx.settings
        for key, edit in self.fields.items():
            edit.blockSignals(True)
            edit.setText(str(settings.get(key) or ""))
            edit.blockSignals(False)
        self.paper.setCurrentIndex(1 if settings.get(PAPER_KEY) == "Letter" else 0)
        self.language_choice.setCurrentIndex(max(0, self.language_choice.findData(settings.get(LANGUAGE_KEY) or "")))
        listed = self.recognition.findData(settings.get(RECOGNITION_KEY) or "off")
        self.recognition.setCurrentIndex(max(listed, 0))
        kept = settings.get(RETENTION_KEY)
        at = self.retention.findData(kept if kept in dict(RETENTION_CHOICES) else 365)
        self.retention.setCurrentIndex(at)
        self.wellbeing_age.setCurrentIndex(max(self.wellbeing_age.findData(wellbeing_age(settings)), 0))
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
            _("Set to {mark}% by the training programme itself, so it cannot be changed here.").format(mark=fixed)
            if fixed
            else _("Empty: 80%. Applies to knowledge checks taken from now on.")
        )
        self._logo_value = str(settings.get(LOGO_KEY) or "")
        w.set_error(self.error, "")
        self._show_logo()
        self._preview()
        self._dirty = False
        self.saved.setText("")
        self._show_dirty()
        self.dirty_changed.emit(False)

    def current_values(self) -> dict:
        out: dict = {k: e.text().strip() for k, e in self.fields.items()}
        out[PAPER_KEY] = PAPERS[self.paper.currentIndex()]
        out[LANGUAGE_KEY] = self.language_choice.currentData() or ""
        out[VALIDITY_KEY] = self.validity.currentData() or None
        out[RETENTION_KEY] = self.retention.currentData()
        out[RECOGNITION_KEY] = self.recognition.currentData()
        out[WELLBEING_AGE_KEY] = self.wellbeing_age.currentData() or None
        if self.pass_mark.isEnabled():
            out[PASS_MARK_KEY] = self.pass_mark.text().strip()
        return out

    def _preview(self) -> None:
        current = self.current_values()
        program = self._school_program(current)
        title = program.title if program else ""
        for f in SCHOOL_FIELDS + CERTIFICATE_FIELDS:
            value = current.get(f.key, "")
            fallback = KNOWN.get(f.key, (None, ""))[1] or (title if f.key == "programme.name" else "")
            if value:
                shown = _("Shows as: {value}").format(value=value)
            else:
                shown = _("Left empty, so it shows as: {value}") if fallback else _("Left empty.")
                shown = shown.format(value=fallback)
            self.previews[f.key].setText(_("{help} {shown}").format(help=_(f.help), shown=shown))
        filled = values(current, title)
        rows = [
            (
                _("Talk to: {contact}"),
                _("{person}, {room}").format(person=filled["school.counsellor"], room=filled["school.counsellor_room"]),
            ),
            (_("Or go to: {contact}"), filled["school.office"]),
            (_("Crisis line: {contact}"), filled["school.crisis_line"]),
            (_("Emergency: {contact}"), filled["school.emergency_number"]),
        ]
        danger = _("If someone may be in danger, get a trusted adult now.")
        self.contacts_preview.setText(
            f"<b>{html.escape(danger)}</b><br>"
            + "<br>".join(html.escape(line).format(contact=f"<b>{html.escape(text)}</b>") for line, text in rows)
        )
        self._schedule_preview()

    def _schedule_preview(self) -> None:
        self._timer.start()

    def _look(self):
        from app.modules.certificates import Look

        current = self.current_values()
        program = self._school_program(current)
        logo = logo_path({LOGO_KEY: self._logo_value}, self.ctx.locations.data_dir)
        return Look(
            school=current.get(SCHOOL_NAME_KEY) or _("Your school"),
            programme=current.get("programme.name") or (program.title if program else ""),
            signatory_name=current.get("certificate.signatory_name", ""),
            signatory_title=current.get("certificate.signatory_title", ""),
            paper=current[PAPER_KEY],
            logo=logo,
        )

    def _school_program(self, current: dict):
        """The program in the school's language (as being set here), as certificates print it."""
        from app.modules.translations import school_language

        program = self.ctx.program
        return program.in_language(school_language({**self.ctx.settings, **current})) if program else None

    def _preview_certificate(self) -> None:
        from app.modules.certificate_pdf import render_image
        from app.modules.certificates import sample_data

        if self.ctx.program is None:
            return
        look = self._look()
        program = self._school_program(self.current_values())
        image = render_image(sample_data(program, look), "PHT1.preview.preview", look, PREVIEW_WIDTH * 2)
        pix = QPixmap.fromImage(image)
        pix.setDevicePixelRatio(2.0)  # sharp on high-density screens, PREVIEW_WIDTH wide on the page
        self.certificate_preview.setPixmap(pix)
        self.certificate_preview.setFixedSize(PREVIEW_WIDTH, round(image.height() / 2))

    # --- the logo ------------------------------------------------------------------------------
    def _choose_logo(self) -> None:
        path, _unused = QFileDialog.getOpenFileName(
            self, _("Choose the school's logo"), str(Path.home()), _("Pictures (*.png *.jpg *.jpeg)")
        )
        if path:
            self.use_logo(Path(path))

    def use_logo(self, path: Path) -> None:
        """Copy the picture into the data folder now; the setting is saved with the others."""
        from PySide6.QtGui import QImage

        if QImage(str(path)).isNull():
            w.set_error(
                self.error, _("{file} cannot be read as a picture. Choose a PNG or JPEG file.").format(file=path.name)
            )
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
        self._show_logo()
        self._schedule_preview()
        self._update_dirty()

    def _show_logo(self) -> None:
        path = logo_path({LOGO_KEY: self._logo_value}, self.ctx.locations.data_dir)
        self.remove_logo.setVisible(path is not None)
        if path is None:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(_("No logo"))
            return
        pix = QPixmap(str(path)).scaled(
            96, 64, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self.logo_preview.setPixmap(pix)

    # --- unsaved changes -----------------------------------------------------------------------
    def _stored_values(self) -> dict:
        """The saved settings in the form's terms, to compare with what is on the page."""
        settings = self.ctx.settings
        out: dict = {k: str(settings.get(k) or "").strip() for k in self.fields}
        out[PAPER_KEY] = "Letter" if settings.get(PAPER_KEY) == "Letter" else "A4"
        language = settings.get(LANGUAGE_KEY) or ""
        out[LANGUAGE_KEY] = language if self.language_choice.findData(language) > 0 else ""
        if self.pass_mark.isEnabled():
            mark = settings.get(PASS_MARK_KEY)
            out[PASS_MARK_KEY] = str(mark) if isinstance(mark, int) else ""
        out[LOGO_KEY] = str(settings.get(LOGO_KEY) or "")
        # The choices as refresh() shows them, so a page just saved or loaded is never "unsaved".
        out[VALIDITY_KEY] = validity_months(settings) or None
        kept = settings.get(RETENTION_KEY)
        out[RETENTION_KEY] = kept if kept in dict(RETENTION_CHOICES) else 365
        out[WELLBEING_AGE_KEY] = wellbeing_age(settings) or None
        recognition = settings.get(RECOGNITION_KEY) or "off"
        out[RECOGNITION_KEY] = (
            recognition if self.recognition.findData(recognition) >= 0 else self.recognition.itemData(0)
        )
        return out

    def has_unsaved_changes(self) -> bool:
        current = self.current_values()
        current[LOGO_KEY] = self._logo_value
        return current != self._stored_values()

    def _update_dirty(self) -> None:
        dirty = self.has_unsaved_changes()
        if dirty:
            self.saved.setText("")
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
        self._show_dirty()

    def _show_dirty(self) -> None:
        self.undo_button.setEnabled(self._dirty)
        if self._dirty:
            self.saved.setText(_("You have unsaved changes."))
        self.saved.setProperty("tone", "warning" if self._dirty else "")
        self.saved.style().unpolish(self.saved)
        self.saved.style().polish(self.saved)

    def discard(self) -> None:
        """Put back the saved settings (the Undo button; "Discard changes" when leaving)."""
        self._dirty = False
        self._load()

    def confirm_leave(self) -> bool:
        """True when the page may be left: nothing unsaved, or saved or discarded on request."""
        if not self.has_unsaved_changes():
            return True
        answer = ask_about_unsaved(self.window() if self.window() is not None else self)
        if answer == SAVE:
            return self.save()
        if answer == DISCARD:
            self.discard()
            return True
        return False

    # --- saving --------------------------------------------------------------------------------
    def save(self) -> bool:
        """Check the page, then save it off the UI thread; False when there is a problem to fix first."""
        current = self.current_values()
        problems = validate(current)
        if problems:
            w.set_error(self.error, "\n".join(problems.values()))
            first = next(iter(problems))
            (self.fields.get(first) or (self.pass_mark if first == PASS_MARK_KEY else self.paper)).setFocus()
            self.saved.setText(_("Not saved: see the message below."))
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
        from app.ui.common import tasks

        def saved(_value) -> None:
            self._dirty = False
            self.dirty_changed.emit(False)
            self._show_dirty()
            self.saved.setText(_("Saved ✓"))

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, TrainingError):
                raise exc
            w.set_error(self.error, exc.message)  # what was typed stays on the page, to save again
            self.saved.setText("")
            self._show_dirty()

        # One transaction, all or nothing, off the UI thread (the records may be on a server).
        settings = self.ctx.training.settings
        self.saving = tasks.change(
            self,
            lambda: settings.set_many(changed),
            saved,
            failed,
            apply=self.ctx.apply,
            controls=(self.save_button, self.undo_button),
        )
        return True  # the save is under way (the page may be left: it finishes, or says why not)
