"""Coordinators manage people: add a trainer or trainee, or a whole class from a pasted list."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import TrainingError
from app.core.i18n import N_, _, ngettext
from app.ui.common import widgets as w
from app.ui.common.table_models import Row, RowsTable
from app.ui.common.text_fit import WrappingCheckBox

ROLES = [(N_("Trainee"), "trainee"), (N_("Trainer"), "trainer"), (N_("Coordinator"), "coordinator")]
ROLE_NAMES = {value: label for label, value in ROLES}


def _role_cell(person) -> str:
    role = _(ROLE_NAMES.get(person.role, person.role.capitalize()))
    return _("{role} (archived)").format(role=role) if person.archived else role


class PeopleTab(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.setSpacing(10)
        add_one = w.button(_("Add a person…"), "primary")
        add_one.clicked.connect(self._add_one)
        add_class = w.button(
            _("Add a class…"), tip=_("Paste a list of names, one per line, to add a whole class at once")
        )
        add_class.clicked.connect(self._add_class)
        self.edit_button = w.button(
            _("Change…"), tip=_("Fix a name, move to another class, archive, or give a new PIN")
        )
        self.edit_button.clicked.connect(self._edit)
        self.count = w.muted("")
        lay.addLayout(w.row(self.count, self.edit_button, add_class, add_one, stretch_first=True))
        # A→Z by name at first. The note tells apart two people with the same name in one class.
        self.table = RowsTable([N_("Name"), N_("Role"), N_("Class or group"), N_("Note")], _("People"))
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._selection_changed())
        self.table.doubleClicked.connect(lambda _index: self._edit())
        lay.addWidget(self.table, 1)
        self.show_archived = QCheckBox(_("Show people who have left (archived)"))
        self.show_archived.toggled.connect(self.refresh)
        self.recovery_button = w.button(_("Recovery code…"))
        self.recovery_button.clicked.connect(self._new_recovery_code)
        lay.addLayout(w.row(self.show_archived, self.recovery_button, stretch_first=True))

    def refresh(self) -> None:
        people = self.ctx.training.people.list(include_archived=self.show_archived.isChecked())
        self.table.set_rows(
            [
                Row(
                    (p.display_name, _role_cell(p), p.group_name or "", p.note or ""),
                    payload=p.id,
                    # Ties broken by name (then note), so a class or a role lists its people A→Z.
                    # Strings joined by a separator that sorts first: the proxy compares strings, not tuples.
                    sort_keys=(
                        _key(p.display_name, p.note),
                        (p.role, p.display_name.casefold()),
                        _key(p.group_name, p.display_name, p.note),
                        _key(p.note, p.display_name),
                    ),
                )
                for p in people
            ]
        )
        active = [p for p in people if not p.archived]
        n_tr = sum(p.role == "trainee" for p in active)
        self.count.setText(
            ngettext("{n} trainee, {staff} staff", "{n} trainees, {staff} staff", n_tr).format(
                n=n_tr, staff=len(active) - n_tr
            )
        )
        has_code = self.ctx.training.people.has_recovery_code()
        self.recovery_button.setText(_("Replace the recovery code…") if has_code else _("Make a recovery code…"))
        tip = (
            _(
                "The school's recovery code sets a new password if every coordinator forgets theirs. "
                "There is one, kept on paper."
            )
            if has_code
            else _(
                "The school's recovery code sets a new password if every coordinator forgets theirs. "
                "There is none yet: make one and keep it in the school safe."
            )
        )
        self.recovery_button.setToolTip(tip)
        self.recovery_button.setAccessibleDescription(tip)
        self._selection_changed()

    def selected_id(self) -> str | None:
        chosen = self.table.selected_payloads()
        return chosen[0] if chosen else None

    def _selection_changed(self) -> None:
        self.edit_button.setEnabled(self.selected_id() is not None)

    def _edit(self) -> None:
        pid = self.selected_id()
        if pid is None:
            return
        dlg = EditPersonDialog(self.ctx, self.ctx.training.people.get(pid), self)
        dlg.exec()
        self.refresh()

    def _new_recovery_code(self) -> None:
        sure = QMessageBox.question(
            self,
            _("Make a new recovery code"),
            _(
                "A new code replaces the old one, which stops working. Print the new one and keep it in the "
                "school safe. Make a new code now?"
            ),
        )
        if sure != QMessageBox.StandardButton.Yes:
            return
        from app.ui.common import tasks

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, TrainingError):
                raise exc
            QMessageBox.warning(self, _("No new code"), exc.message)

        def made(code: str) -> None:
            QMessageBox.information(
                self,
                _("The school's recovery code"),
                _(
                    "{code}\n\nWrite it down or print it now: it is shown only this once. If every coordinator "
                    "forgets the password, it sets a new one (peer-trainer recover)."
                ).format(code=code),
            )
            self.refresh()

        people = self.ctx.training.people  # the code is hashed with scrypt: off the UI thread
        return tasks.change(
            self, people.new_recovery_code, made, failed, apply=self.ctx.apply, controls=(self.recovery_button,)
        )

    def _add_one(self) -> None:
        dlg = AddPersonDialog(self.ctx, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def _add_class(self) -> None:
        dlg = AddClassDialog(self.ctx, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.refresh()


class AddPersonDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Add a person"))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName(_("Name"))
        self.role = QComboBox()
        self.role.setAccessibleName(_("Role"))
        for label, value in ROLES:
            self.role.addItem(_(label), value)
        self.group = QLineEdit()
        self.group.setAccessibleName(_("Class or group"))
        self.group.setPlaceholderText(_("e.g. 9B (optional)"))
        self.note = _note_field()
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName(_("PIN or password"))
        self.secret_label = w.Label()
        form.addRow(_("Name"), self.name)
        form.addRow(_("Role"), self.role)
        form.addRow(_("Class or group"), self.group)
        form.addRow(_("Note"), self.note)
        form.addRow(self.secret_label, self.secret)
        lay.addLayout(form)
        self.help = w.muted("")
        lay.addWidget(self.help)
        self.error = w.Label()
        self.error.setObjectName("ErrorBanner")
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        w.main_button(box)
        box.button(QDialogButtonBox.StandardButton.Ok).setText(_("Add"))
        box.accepted.connect(self._add)
        box.rejected.connect(self.reject)
        lay.addWidget(box)
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        # As tall as its fields want (a height of 10 squeezed them at 200 %: text cut at the bottom)
        self.resize(440, 10)
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _role_changed(self) -> None:
        trainee = self.role.currentData() == "trainee"
        self.secret_label.setText(_("PIN (optional)") if trainee else _("Password"))
        self.secret.setPlaceholderText(_("4 to 8 digits") if trainee else _("At least 8 characters"))
        self.help.setText(
            _("Trainees pick their name to sign in; a PIN is optional.")
            if trainee
            else _("Trainers and coordinators sign in with a password.")
        )

    def _add(self) -> None:
        from app.ui.common import tasks

        people, name, role = self.ctx.training.people, self.name.text(), self.role.currentData()
        group, secret = self.group.text().strip() or None, self.secret.text() or None
        note = self.note.text().strip() or None
        self.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.setEnabled(True)
            problem = _("Adding did not work: {problem}").format(problem=exc)
            w.set_error(self.error, exc.message if isinstance(exc, TrainingError) else problem)

        # A password is hashed with scrypt (about half a second): off the UI thread.
        tasks.run(
            self,
            lambda: people.add(name, role, group=group, secret=secret, note=note),
            lambda _p: self.accept(),
            failed,
            apply=self.ctx.apply,
        )


class AddClassDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Add a class of trainees"))
        lay = QVBoxLayout(self)
        lay.addWidget(w.muted(_("Paste or type the trainees' names, one per line. Blank lines are skipped.")))
        form = QFormLayout()
        self.group = QLineEdit()
        self.group.setAccessibleName(_("Class or group"))
        self.group.setPlaceholderText(_("e.g. 9B"))
        form.addRow(_("Class or group"), self.group)
        lay.addLayout(form)
        self.names = QPlainTextEdit()
        self.names.setAccessibleName(_("Names, one per line"))
        self.names.setPlaceholderText(
            _("Amara Okafor\nDiego Fernández\nMei Chen\n…")
        )  # example names: a translator may pick local ones
        self.names.setTabChangesFocus(True)
        lay.addWidget(self.names, 1)
        from app.modules.school_settings import wellbeing_age

        age = wellbeing_age(ctx.settings)
        # A whole class at once, when the school has set an age for wellbeing questions (School settings).
        self.younger = WrappingCheckBox(
            _("Everyone in this class is younger than {age}: asked nothing about their own wellbeing").format(age=age)
        )
        self.younger.setVisible(bool(age))
        lay.addWidget(self.younger)
        self.report = w.Label()
        self.report.setWordWrap(True)
        self.report.setObjectName("ErrorBanner")
        self.report.hide()
        lay.addWidget(self.report)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        w.main_button(box)
        box.button(QDialogButtonBox.StandardButton.Ok).setText(_("Add the class"))
        self.buttons = box
        box.accepted.connect(self._add)
        box.rejected.connect(self.reject)
        lay.addWidget(box)
        self.resize(480, 460)

    def _add(self):
        """Add the class off the UI thread (the dialog's buttons disabled meanwhile); on a problem
        the names stay as typed and the dialog says why."""
        from app.service.changes import NOTHING
        from app.ui.common import tasks

        people, text, group = self.ctx.training.people, self.names.toPlainText(), self.group.text().strip() or None
        tick = not self.younger.isHidden() and self.younger.isChecked()

        def write():
            try:
                result, changes = people.add_trainees(text, group)
            except TrainingError as exc:
                return exc, NOTHING
            if tick and result.created:
                try:
                    changes = changes | people.set_younger([p.id for p in result.created], True)[1]
                except TrainingError as exc:
                    return exc, changes  # the class is added; the tick is not
            return result, changes

        return tasks.change(self, write, self._added, apply=self.ctx.apply, controls=(self.buttons,))

    def _added(self, result) -> None:
        if isinstance(result, TrainingError):
            w.set_error(self.report, result.message)
            return
        if result.same_names:
            w.show_plain_message(self, _("Some names are given twice"), "\n\n".join(result.same_names))
        if result.problems:
            lines = "\n".join(
                _("Line {n}: {name}: {why}").format(n=n, name=name or _("(blank)"), why=why)
                for n, name, why in result.problems
            )
            added = len(result.created)
            w.show_plain_message(
                self,
                _("Some names were not added"),
                ngettext(
                    "{n} trainee added. These lines were not added:\n\n{lines}",
                    "{n} trainees added. These lines were not added:\n\n{lines}",
                    added,
                ).format(n=added, lines=lines),
            )
        self.accept()


class EditPersonDialog(QDialog):
    """Fix a name, move to another class, archive or bring back, or give a new PIN or password."""

    def __init__(self, ctx, person, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.person = person
        self.setWindowTitle(_("Change {name}").format(name=person.display_name))
        lay = QVBoxLayout(self)
        lay.addWidget(w.title(person.display_name, "SectionTitle"))
        form = QFormLayout()
        self.name = QLineEdit(person.display_name)
        self.name.setAccessibleName(_("Name"))
        self.group = QLineEdit(person.group_name or "")
        self.group.setAccessibleName(_("Class or group"))
        self.group.setPlaceholderText(_("no class"))
        self.note = _note_field(person.note)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Class or group"), self.group)
        form.addRow(_("Note"), self.note)
        lay.addLayout(form)
        self.younger = None
        if person.role == "trainee":
            from app.modules.school_settings import wellbeing_age

            age = wellbeing_age(ctx.settings)
            self.younger = WrappingCheckBox(
                _("Younger than {age}: asked nothing about their own wellbeing").format(age=age)
                if age
                else _("Younger than the school's age for wellbeing questions")
            )
            self.younger.setChecked(person.id in ctx.training.people.younger([person.id]))
            lay.addWidget(self.younger)
            if not age:
                lay.addWidget(
                    w.muted(_("The school has not set an age (School settings), so this changes nothing for now."))
                )
        if person.role == "trainee":
            self.reset_button = w.button(_("Give a new PIN…"), tip=_("For someone who forgot their PIN"))
        else:
            self.reset_button = w.button(_("Give a new password…"), tip=_("For someone who forgot their password"))
        self.reset_button.clicked.connect(self._reset)
        self.archive_button = w.button(_("Bring back") if person.archived else _("Archive (has left)"))
        self.archive_button.clicked.connect(self._archive)
        lay.addLayout(w.row(self.reset_button, self.archive_button, None))
        self.message = w.plain_label("")
        self.message.setObjectName("Banner")
        self.message.hide()
        lay.addWidget(self.message)
        self.error = w.Label()
        self.error.setObjectName("ErrorBanner")
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = box.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setProperty("role", "primary")
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        lay.addWidget(box)
        # As tall as its fields want (a height of 10 squeezed them at 200 %: text cut at the bottom)
        self.resize(460, 10)
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _done(self, text: str) -> None:
        self.error.hide()
        self.message.setText(text)
        self.message.show()

    def save(self):
        """Rename, note, move and tick off the UI thread (Save disabled meanwhile); on a problem the
        form keeps what was typed and says why. Returns the operation."""
        from app.service.changes import NOTHING
        from app.ui.common import tasks

        people, person = self.ctx.training.people, self.person
        name, note, group = self.name.text(), self.note.text(), self.group.text()
        younger = self.younger.isChecked() if self.younger is not None else None

        def write():
            changes, problem = NOTHING, None
            try:
                if name.strip() != person.display_name:
                    changes = changes | people.rename(person.id, name)
                if " ".join(note.split()) != (person.note or ""):
                    changes = changes | people.set_note(person.id, note)
                if (group.strip() or None) != person.group_name:
                    changes = changes | people.move(person.id, group)
                if younger is not None:
                    changes = changes | people.set_younger([person.id], younger)[1]
            except TrainingError as exc:
                problem = exc  # a part may have been saved before the refusal: applied all the same
            return (people.get(person.id), problem), changes

        def saved(result) -> None:
            self.person, problem = result
            if problem is not None:
                w.set_error(self.error, problem.message)
                return
            if self.person.note:
                self._done(
                    _("Saved: {name} ({note}), {group}.").format(
                        name=self.person.display_name,
                        note=self.person.note,
                        group=self.person.group_name or _("no class"),
                    )
                )
            else:
                self._done(
                    _("Saved: {name}, {group}.").format(
                        name=self.person.display_name, group=self.person.group_name or _("no class")
                    )
                )

        return tasks.change(self, write, saved, apply=self.ctx.apply, controls=(self.save_button,))

    def _archive(self):
        """Archive or bring back, off the UI thread (the button disabled meanwhile)."""
        from app.ui.common import tasks

        people, person = self.ctx.training.people, self.person

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, TrainingError):
                raise exc
            w.set_error(self.error, exc.message)

        def write():
            changes = people.archive(person.id, archived=not person.archived)
            return people.get(person.id), changes

        return tasks.change(self, write, self._archived, failed, apply=self.ctx.apply, controls=(self.archive_button,))

    def _archived(self, person) -> None:
        self.person = person
        self.archive_button.setText(_("Bring back") if self.person.archived else _("Archive (has left)"))
        self._done(
            _("{name} is archived: off the sign-in screen, records kept.").format(name=self.person.display_name)
            if self.person.archived
            else _("{name} is back on the sign-in screen.").format(name=self.person.display_name)
        )

    def _reset(self) -> None:
        from app.ui.common import tasks

        people, pid = self.ctx.training.people, self.person.id
        self.reset_button.setEnabled(False)

        def shown(code) -> None:
            self.reset_button.setEnabled(True)
            if self.person.role == "trainee":
                text = _("New PIN for {name}: {code}. It is shown only now: give it to them privately.")
            else:
                text = _("New password for {name}: {code}. It is shown only now: give it to them privately.")
            self._done(text.format(name=self.person.display_name, code=code))

        def failed(exc: BaseException) -> None:
            self.reset_button.setEnabled(True)
            w.set_error(self.error, exc.message if isinstance(exc, TrainingError) else str(exc))

        tasks.run(self, lambda: people.reset_secret(pid), shown, failed, apply=self.ctx.apply)


def _key(*parts: str | None) -> str:
    return "\x01".join((part or "").casefold() for part in parts)


def _note_field(text: str | None = None) -> QLineEdit:
    """The short note that tells apart two people with the same name in one class."""
    from app.service.people import NOTE_MAX

    field = QLineEdit(text or "")
    field.setAccessibleName(_("Note"))
    field.setMaxLength(NOTE_MAX)
    field.setPlaceholderText(_("e.g. Year 9, tall (optional)"))
    tip = _("Only needed when two people in one class have the same name: a few words that tell them apart.")
    field.setToolTip(tip)
    field.setAccessibleDescription(tip)
    return field
