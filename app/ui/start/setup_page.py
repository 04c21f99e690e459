"""First start: the school's name and the coordinator's account."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLineEdit, QVBoxLayout, QWidget

from app.core.i18n import _
from app.ui.common import widgets as w


class SetupPage(QWidget):
    done = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body, lay = w.page(40)
        outer.addWidget(w.scroll(body))
        box = w.card()
        box.setFixedWidth(600)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(32, 28, 32, 28)
        inner.setSpacing(14)
        inner.addWidget(w.title(_("Welcome to Peer Helper Trainer")))
        inner.addWidget(
            w.muted(
                _(
                    "Let's set this laptop up for your school. You will be the coordinator: you add trainers "
                    "and trainees, choose the school's support contacts and print certificates. "
                    "Everything stays on this computer."
                )
            )
        )
        form = QFormLayout()
        form.setSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.school = QLineEdit()
        self.school.setPlaceholderText(_("e.g. Riverside High School"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Your name, as trainees will see it"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("At least 8 characters"))
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        for label, field, acc in (
            (_("School name"), self.school, _("School name")),
            (_("Your name"), self.name, _("Coordinator's name")),
            (_("Password"), self.password, _("Coordinator password")),
            (_("Password again"), self.confirm, _("Repeat the password")),
        ):
            field.setAccessibleName(acc)
            field.setMinimumWidth(field.fontMetrics().horizontalAdvance("m") * 14)
            form.addRow(label, field)
        # Large text or a longer language: a field goes under its label rather than being squeezed to "p. ej., I…"
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        inner.addLayout(form)
        inner.addWidget(
            w.muted(_("Keep the password somewhere safe: it protects the trainees' records. Trainees never need it."))
        )
        self.error = w.Label()
        self.error.setObjectName("ErrorBanner")
        self.error.setWordWrap(True)
        self.error.hide()
        inner.addWidget(self.error)
        self.create = w.button(_("Set up and continue"), "primary")
        self.create.setDefault(True)
        self.create.clicked.connect(self._create)
        self.confirm.returnPressed.connect(self._create)
        inner.addLayout(w.row(None, self.create))
        self.form_box = box
        self.sample = w.button(
            _("Explore a sample school first"),
            "link",
            tip=_(
                "Opens a second window with a made-up school, its staff and a class at every stage. "
                "It never touches this laptop's records."
            ),
        )
        self.sample.clicked.connect(self.explore_sample)
        self.sample_note = w.muted("")
        self.sample_note.hide()
        inner.addLayout(w.row(self.sample, None))
        inner.addWidget(self.sample_note)
        lay.addStretch(1)
        lay.addLayout(w.row(None, box, None))  # a row, not an alignment: wrapped text gets its height
        lay.addStretch(2)

    def showEvent(self, event):
        super().showEvent(event)
        self.school.setFocus()

    def _create(self) -> None:
        school, name = self.school.text().strip(), self.name.text().strip()
        pw, again = self.password.text(), self.confirm.text()
        if not school:
            return self._fail(_("Please type the school's name."), self.school)
        if not name:
            return self._fail(_("Please type your name."), self.name)
        if pw != again:
            return self._fail(_("The two passwords are different. Type them again."), self.confirm)
        from app.ui.common import tasks

        self.create.setEnabled(False)
        self.create.setText(_("Setting up…"))
        door = self.ctx.front_door
        tasks.run(self, lambda: door.set_up_school(school, name, pw), self._created, self._not_created)

    def _created(self, made) -> None:
        _unused, code = made
        self.password.clear()
        self.confirm.clear()
        self.ctx.open_records(self.ctx.db)  # the school's name is a setting now
        self._show_recovery_code(code)

    def _show_recovery_code(self, code: str) -> None:
        """Shown once, on the page itself: the way back if every coordinator forgets the password."""
        inner = self.form_box.layout()
        w.clear(inner)
        inner.addWidget(w.title(_("Your school's recovery code")))
        inner.addWidget(
            w.muted(
                _(
                    "If every coordinator forgets the password, this code sets a new one. Write it down or print "
                    "this page now, and keep it in the school safe: it is shown only this once. A coordinator can "
                    "make a new code on the People tab."
                )
            )
        )
        self.recovery_code = w.Label(code)
        self.recovery_code.setObjectName("PageTitle")
        self.recovery_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recovery_code.setAccessibleName(_("Recovery code {code}").format(code=" ".join(code)))
        inner.addWidget(self.recovery_code)
        self.written = w.button(_("I have written it down"), "primary")
        self.written.clicked.connect(self.done.emit)
        inner.addLayout(w.row(None, self.written))
        self.written.setFocus()

    # --- trying the program first ---------------------------------------------------------
    def explore_sample(self) -> None:
        """A sample school in a folder of its own, opened in a second copy of the program."""
        import time

        from platformdirs import user_cache_path

        from app.ui.common import tasks

        folder = user_cache_path("peer-trainer", appauthor=False) / f"sample-school-{time.strftime('%Y%m%d-%H%M%S')}"
        door = self.ctx.front_door
        self.sample.setEnabled(False)
        self.sample_note.setText(_("Making the sample school… (about half a minute)"))
        self.sample_note.show()

        def opened(_result) -> None:
            self.sample.setEnabled(True)
            launch_program(folder)
            from app.modules.demo_school import COORDINATOR_PASSWORD

            self.sample_note.setText(
                _(
                    "The sample school opens in a second window. Sign in as Ms Rivera (password “{password}”) "
                    "or pick a trainee. Nothing you do there reaches this laptop's records."
                ).format(password=COORDINATOR_PASSWORD)
            )

        def failed(exc: BaseException) -> None:
            self.sample.setEnabled(True)
            self.sample_note.setText(_("The sample school could not be made: {error}").format(error=exc))

        tasks.run(self, lambda: door.build_sample_school(folder), opened, failed)

    def _not_created(self, exc: BaseException) -> None:
        from app.core.errors import TrainingError

        self.create.setEnabled(True)
        self.create.setText(_("Set up and continue"))
        if isinstance(exc, TrainingError):
            self._fail(str(exc), self.password)
        else:
            self._fail(_("Setting up did not work: {error}").format(error=exc), self.school)

    def _fail(self, message: str, focus: QWidget) -> None:
        w.set_error(self.error, message)
        focus.setFocus()


def launch_program(data_dir) -> None:
    """Start a second copy of the program on `data_dir` (the bundle's own executable when frozen)."""
    import subprocess
    import sys

    command = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "app"]
    subprocess.Popen([*command, "--data-dir", str(data_dir)], close_fds=True)
