"""A support check-in: four quick answers after a helper supported someone, never who it was.

A helper younger than the school's age for wellbeing questions gets two: the form does not ask how
heavy it felt or whether they want to talk it over (records/wellbeing.py; the domain refuses them too).
"""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.core.i18n import N_, _
from app.ui.common import widgets as w
from app.ui.common.text_fit import WrappingCheckBox, WrappingRadioButton

KINDS = (
    ("listening", N_("I listened")),
    ("conflict", N_("I helped with a conflict")),
    ("referral", N_("I helped them go to an adult (a referral)")),
)
WEIGHTS = (N_("1 light"), "2", "3", "4", N_("5 very heavy"))


class CheckInDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.saving = None
        self.saved = None
        supervisor = ctx.placeholder_values().get("school.supervisor")
        self.setWindowTitle(_("I supported someone"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 20)
        lay.setSpacing(10)
        lay.addWidget(w.title(_("I supported someone")))
        self.asked = ctx.training.checkins.asks_about_wellbeing()
        if self.asked:
            why = w.muted(
                _(
                    "Four quick answers. This form never asks who you helped or what they told you, and has nowhere "
                    "to type it, so nobody can be named from it. Only you and the staff who supervise helpers see it."
                )
            )
        else:
            why = w.muted(
                _(
                    "Two quick answers. This form never asks who you helped or what they told you, and has nowhere "
                    "to type it, so nobody can be named from it. Only you and the staff who supervise helpers see it."
                )
            )
        lay.addWidget(why)
        self.why = why

        lay.addWidget(_question(_("What kind of support was it?")))
        self.kind = QButtonGroup(self)
        for i, (_key, text) in enumerate(KINDS):
            b = WrappingRadioButton(_(text))
            self.kind.addButton(b, i)
            lay.addWidget(b)

        lay.addWidget(_question(_("Did you bring in an adult?")))
        self.adult = QButtonGroup(self)
        row = QHBoxLayout()
        for i, text in enumerate((_("No"), _("Yes"))):
            b = WrappingRadioButton(text)
            b.setMinimumWidth(b.sizeHint().width())  # "No" needs no more (at 200 % the dialog was past the screen)
            self.adult.addButton(b, i)
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)

        self.weight = QButtonGroup(self)
        self.talk = WrappingCheckBox(
            _("I would like to talk it over with {supervisor}.").format(supervisor=supervisor)
            if supervisor
            else _("I would like to talk it over with the programme's supervisor.")
        )
        if self.asked:
            lay.addWidget(_question(_("How heavy did it feel?")))
            row = QHBoxLayout()
            for i, text in enumerate(WEIGHTS, start=1):
                b = WrappingRadioButton(_(text))
                if i == 1:
                    b.setAccessibleName(_("{n} out of 5, light").format(n=i))
                elif i == 5:
                    b.setAccessibleName(_("{n} out of 5, very heavy").format(n=i))
                else:
                    b.setAccessibleName(_("{n} out of 5").format(n=i))
                b.setMinimumWidth(b.sizeHint().width())  # "1 light" or "3": its own width, no more
                self.weight.addButton(b, i)
                row.addWidget(b)
            row.addStretch(1)
            lay.addLayout(row)
            lay.addWidget(self.talk)
        else:
            self.talk.hide()
            lay.addWidget(
                w.muted(
                    _("You can always talk to {supervisor} about anything.").format(supervisor=supervisor)
                    if supervisor
                    else _("You can always talk to the programme's supervisor about anything.")
                )
            )
        self.error = QLabel()
        self.error.setObjectName("ErrorBanner")
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        lay.addStretch(1)
        self.save_button = w.button(_("Save"), "primary", name=_("Save the check-in"))
        self.save_button.clicked.connect(self.save)
        cancel = w.button(_("Cancel"))
        cancel.clicked.connect(self.reject)
        lay.addLayout(w.row(None, cancel, self.save_button))
        for group in (self.kind, self.adult, self.weight):
            group.idToggled.connect(lambda *_args: self._ready())
        self._ready()
        m = self.fontMetrics().horizontalAdvance("m")
        self.resize(max(640, m * 46), max(520, m * 36))
        if parent is not None and parent.window().isVisible():  # 200 % text, small screen: not wider than the window
            self.resize(min(self.width(), parent.window().width()), self.height())  # its height: wrapped lines need it

    def _ready(self) -> None:
        groups = (self.kind, self.adult, self.weight) if self.asked else (self.kind, self.adult)
        self.save_button.setEnabled(all(g.checkedId() >= 0 for g in groups))

    def save(self) -> None:
        from app.ui.common.tasks import Operation

        kind = KINDS[self.kind.checkedId()][0]
        adult = self.adult.checkedId() == 1
        # Not asked, not answered: None for both, not a number or a "no" nobody gave.
        weight = self.weight.checkedId() if self.asked else None
        talk = self.talk.isChecked() if self.asked else None
        checkins = self.ctx.training.checkins
        self.save_button.setEnabled(False)
        self.save_button.setText(_("Saving…"))
        self.saving = Operation(
            self,
            lambda _work: checkins.log(kind, adult, weight, talk),
            on_success=self._saved,
            on_failure=self._failed,
            apply=self.ctx.apply,
        ).run()

    def _saved(self, made) -> None:
        self.saved = made
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        w.set_error(self.error, getattr(exc, "message", None) or str(exc))
        self.save_button.setText(_("Save"))
        self._ready()


def _question(text: str) -> QLabel:
    label = w.plain_label(text)
    label.setObjectName("SectionTitle")
    return label
