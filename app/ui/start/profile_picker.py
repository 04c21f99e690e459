"""The profile picker, like a family computer's: trainees pick their name (PIN optional);
trainers and coordinators also type their password."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import N_, _, ngettext
from app.core.setting_keys import SCHOOL_NAME_KEY
from app.ui.common import widgets as w

ROLE_WORDS = {"trainee": N_("Trainee"), "trainer": N_("Trainer"), "coordinator": N_("Coordinator")}
COLUMNS = 4


def role_word(role: str) -> str:
    """What the picker calls a role, in the reader's language."""
    return _(ROLE_WORDS[role]) if role in ROLE_WORDS else role


class ProfileButton(QPushButton):
    def __init__(self, profile, parent: QWidget | None = None):
        super().__init__(parent)
        self.profile = profile
        self.setProperty("role", "profile")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumSize(QSize(170, 120))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 12, 10, 10)
        lay.setSpacing(6)
        lay.addWidget(w.Avatar(profile.display_name, 52), 0, Qt.AlignmentFlag.AlignHCenter)
        name = w.Label(profile.display_name)
        name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        name.setWordWrap(True)
        name.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        lay.addWidget(name)
        note = getattr(profile, "note", None)  # tells apart two people with the same name in one class
        if note:
            shown_note = w.muted(note)
            shown_note.setObjectName("ProfileNote")
            shown_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            shown_note.setWordWrap(True)
            shown_note.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            lay.addWidget(shown_note)
        if profile.role != "trainee":
            role = w.muted(role_word(profile.role))
            role.setAlignment(Qt.AlignmentFlag.AlignCenter)
            role.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            lay.addWidget(role)
        if profile.role != "trainee":
            spoken = _("{name}, {role} (asks for a password)")
        elif profile.has_secret:
            spoken = _("{name}, {role} (asks for a PIN)")
        else:
            spoken = _("{name}, {role}")
        shown_name = _("{name} ({note})").format(name=profile.display_name, note=note) if note else profile.display_name
        self.setAccessibleName(spoken.format(name=shown_name, role=role_word(profile.role)))

    def sizeHint(self) -> QSize:
        return self.layout().sizeHint().expandedTo(QSize(170, 120))


class ProfilePickerPage(QWidget):
    signed_in = Signal(object)  # the ProfileSummary

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.profiles: list = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body, lay = w.page(32)
        self._title = w.title(_("Who is training today?"))
        lay.addWidget(self._title)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Find your name…"))
        self.search.setAccessibleName(_("Find your name"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(360)
        self.search.textChanged.connect(self._fill)
        lay.addWidget(self.search)
        self.groups = QVBoxLayout()
        self.groups.setSpacing(18)
        lay.addLayout(self.groups)
        lay.addStretch(1)
        outer.addWidget(w.scroll(body))
        self.buttons: list[ProfileButton] = []
        self._pending = None

    def refresh(self) -> None:
        self.set_profiles(self.ctx.front_door.profiles())

    def set_profiles(self, profiles: list) -> None:
        self.profiles = list(profiles)
        school = self.ctx.settings.get(SCHOOL_NAME_KEY)
        self._title.setText(
            _("Who is training today at {school}?").format(school=school) if school else _("Who is training today?")
        )
        self._fill()

    def _fill(self) -> None:
        w.clear(self.groups)
        self.buttons = []
        needle = self.search.text().strip().casefold()
        shown = [p for p in self.profiles if needle in p.display_name.casefold() or needle in (p.note or "").casefold()]
        trainees = [p for p in shown if p.role == "trainee"]
        staff = [p for p in shown if p.role != "trainee"]
        by_group: dict[str, list] = {}
        for p in sorted(
            trainees,
            key=lambda p: ((p.group_name or "").casefold(), p.display_name.casefold(), (p.note or "").casefold()),
        ):
            by_group.setdefault(p.group_name or "", []).append(p)
        if not self.profiles:
            self.groups.addWidget(
                w.muted(
                    _(
                        "No profiles yet. The coordinator sets the school up first; "
                        "then trainers and classes are added under “People”."
                    )
                )
            )
        elif not shown:
            self.groups.addWidget(
                w.muted(
                    _(
                        "Nobody called “{name}”. Check the spelling, or ask the programme coordinator to add you."
                    ).format(name=self.search.text().strip())
                )
            )
        elif not trainees and not needle:
            self.groups.addWidget(
                w.muted(_("No trainees yet. The coordinator signs in below and adds the class under “People”."))
            )
        for group, people in by_group.items():
            self._section(group or (_("Trainees") if len(by_group) == 1 else _("No class")), people)
        if staff:
            self._section(_("Trainers and coordinators"), sorted(staff, key=lambda p: p.display_name.casefold()))

    def records_ready(self) -> None:
        """The records are open: carry out a click that came before they were."""
        self.unsetCursor()
        pending, self._pending = self._pending, None
        if pending is not None:
            match = next((p for p in self.profiles if p.id == pending.id), None)
            if match is not None:
                self._pick(match)

    def _section(self, heading: str, people: list) -> None:
        self.groups.addWidget(w.at_start(w.title(heading, "SectionTitle")))
        grid = QGridLayout()
        grid.setSpacing(12)
        for i, p in enumerate(people):
            b = ProfileButton(p)
            b.clicked.connect(lambda _checked=False, prof=p: self._pick(prof))
            grid.addWidget(b, i // COLUMNS, i % COLUMNS)
            self.buttons.append(b)
        grid.setColumnStretch(COLUMNS, 1)
        holder = QWidget()
        holder.setLayout(grid)
        self.groups.addWidget(holder)

    def _pick(self, profile) -> None:
        if self.ctx.db is None:
            # Clicked on the quick start-up list while the records are still opening.
            self._pending = profile
            self.setCursor(Qt.CursorShape.BusyCursor)
            return
        if not profile.has_secret and profile.role == "trainee":
            self.signed_in.emit(profile)
            return
        dlg = SecretDialog(self.ctx, profile, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.signed_in.emit(profile)


class SecretDialog(QDialog):
    """Asks for a password or PIN. Wrong entries slow down; the wait is kept in the records,
    so restarting the program does not reset it."""

    def __init__(self, ctx, profile, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.profile = profile
        pin = profile.role == "trainee"
        self.setWindowTitle(_("Sign in as {name}").format(name=profile.display_name))
        lay = QVBoxLayout(self)
        lay.setSpacing(12)
        lay.addWidget(w.title(_("Hello, {name}").format(name=profile.display_name), "SectionTitle"))
        lay.addWidget(w.muted(_("Type your PIN to continue.") if pin else _("Type your password to continue.")))
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName(_("Your PIN") if pin else _("Your password"))
        lay.addWidget(self.field)
        self.message = w.Label()
        self.message.setWordWrap(True)
        self.message.setObjectName("ErrorBanner")
        self.message.hide()
        lay.addWidget(self.message)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        w.main_button(box)
        self.ok = box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Sign in"))
        self.ok.setAccessibleName(_("Sign in"))
        box.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(_("Cancel"))
        box.accepted.connect(self._try)
        box.rejected.connect(self.reject)
        lay.addWidget(box)
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)
        self._wait_until = 0.0
        m = self.fontMetrics().horizontalAdvance("m")
        self.resize(max(380, m * 24), 10)  # wider with larger text, then as tall as its wrapped lines want
        self.resize(
            self.width(), max(self.height(), self.layout().heightForWidth(self.width()), self.sizeHint().height())
        )
        self._check_wait()

    def _check_wait(self) -> None:
        remaining = self.ctx.front_door.seconds_until_next_try(self.profile.id)
        if remaining > 0:
            self._start_wait(remaining, _("Too many wrong tries."))

    def _start_wait(self, seconds: float, why: str) -> None:
        import time

        self._wait_until = time.monotonic() + seconds
        self._why = why
        self.ok.setEnabled(False)
        self._timer.start()
        self._tick()

    def _tick(self) -> None:
        import math
        import time

        left = self._wait_until - time.monotonic()
        if left <= 0:
            self._timer.stop()
            self.ok.setEnabled(True)
            w.set_error(self.message, _("You can try again now."))
            self.field.setFocus()
            return
        seconds = math.ceil(left)
        w.set_error(
            self.message,
            ngettext(
                "{why} Please wait {n} second before trying again.",
                "{why} Please wait {n} seconds before trying again.",
                seconds,
            ).format(why=self._why, n=seconds),
        )

    def _try(self) -> None:
        from app.ui.common import tasks

        secret = self.field.text()
        self.field.clear()
        self.ok.setEnabled(False)
        self.field.setEnabled(False)
        w.set_error(self.message, "")
        door, pid = self.ctx.front_door, self.profile.id
        # scrypt takes about half a second on purpose: keep the window responsive meanwhile.
        tasks.run(self, lambda: door.sign_in(pid, secret), self._checked, self._failed)

    def _checked(self, result) -> None:
        self.field.setEnabled(True)
        if result.ok:
            self.accept()
            return
        if result.wait_seconds > 0:
            why = (
                _("That PIN is not right, and there have been several wrong tries.")
                if self.profile.role == "trainee"
                else _("That password is not right, and there have been several wrong tries.")
            )
            self._start_wait(result.wait_seconds, why)
        else:
            self.ok.setEnabled(True)
            w.set_error(self.message, result.message or _("That was not right. Try again."))
            self.field.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self.field.setEnabled(True)
        self.ok.setEnabled(True)
        w.set_error(self.message, _("Signing in did not work: {error}").format(error=exc))
