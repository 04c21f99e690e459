"""Evaluation on the trainee's home: how confident they feel in each skill (before the first module,
after the certificate), and the end-of-course survey, saved without their name."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core import i18n
from app.core.i18n import N_, _
from app.ui.common import widgets as w
from app.ui.common.text_fit import WrappingRadioButton

SCALE_WORDS = {1: N_("1 not at all"), 2: "2", 3: "3", 4: "4", 5: N_("5 very")}


class RatingDialog(QDialog):
    """One 1-to-5 row per item; `values()` gives item key -> rating once every row is answered."""

    def __init__(self, title: str, intro: str, items: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.items = items
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 20)
        lay.setSpacing(10)
        lay.addWidget(w.title(title))
        self.intro = w.muted(intro)
        lay.addWidget(self.intro)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        self.groups: dict[str, QButtonGroup] = {}
        for row, (key, text) in enumerate(items.items()):
            label = w.plain_label(text)
            label.setWordWrap(True)
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance("m") * 10)
            grid.addWidget(label, row, 0)
            group = QButtonGroup(self)
            for value, word in SCALE_WORDS.items():
                b = WrappingRadioButton(_(word))
                # "2" or "5 very" needs no more than its own width: the room goes to the question beside it
                # (a longer language's question was squeezed to four lines, and the dialog off a 200 % screen).
                b.setMinimumWidth(b.sizeHint().width())
                b.setAccessibleName(_("{item}: {n} out of 5").format(item=text, n=value))
                group.addButton(b, value)
                grid.addWidget(b, row, value)
            group.idToggled.connect(lambda *_args: self._ready())
            self.groups[key] = group
        grid.setColumnStretch(0, 1)
        lay.addLayout(grid)
        self.extra = QVBoxLayout()
        lay.addLayout(self.extra)
        self.error = QLabel()
        self.error.setObjectName("ErrorBanner")
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        lay.addStretch(1)
        self.save_button = w.button(_("Save"), "primary", name=_("Save: {title}").format(title=title))
        self.save_button.clicked.connect(self.save)
        later = w.button(_("Not now"))
        later.clicked.connect(self.reject)
        lay.addLayout(w.row(None, later, self.save_button))
        self._ready()
        m = self.fontMetrics().horizontalAdvance("m")
        self.resize(max(760, m * 58), max(480, m * 34))
        if parent is not None and parent.window().isVisible():  # 200 % text, small screen: not wider than the window
            self.resize(min(self.width(), parent.window().width()), self.height())  # its height: wrapped lines need it

    def values(self) -> dict[str, int]:
        return {k: g.checkedId() for k, g in self.groups.items() if g.checkedId() > 0}

    def _ready(self) -> None:
        self.save_button.setEnabled(len(self.values()) == len(self.items))

    def save(self) -> None:
        """Saved off the UI thread (the Save button disabled meanwhile); closes once saved, or
        says why not and keeps every answer to save again."""
        from app.core.errors import TrainingError
        from app.ui.common import tasks

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, TrainingError):
                raise exc
            w.set_error(self.error, exc.message)
            self._ready()

        self.saving = tasks.change(
            self,
            self.commit(),
            lambda _value: self.accept(),
            failed,
            apply=self.ctx.apply,
            controls=(self.save_button,),
        )

    def commit(self):  # filled in by the two kinds below (which have `ctx`): the change, as a call for a worker
        raise NotImplementedError


class ConfidenceDialog(RatingDialog):
    def __init__(self, ctx, moment: str, parent: QWidget | None = None):
        if moment == "before":
            intro = _(
                "How confident do you feel about each skill, before you start? There are no right answers: "
                "this helps the school see what the training changes."
            )
        elif moment == "renewal":
            intro = _(
                "How confident do you feel about each skill, now that your certificate is renewed? There are no "
                "right answers: this helps the school see what the training changes."
            )
        else:
            intro = _(
                "How confident do you feel about each skill, now that you have your certificate? There are no "
                "right answers: this helps the school see what the training changes."
            )
        super().__init__(
            _("How confident do you feel?"),
            intro,
            ctx.training.evaluation.competencies(i18n.language()),
            parent,
        )
        self.ctx, self.moment = ctx, moment

    def commit(self):
        evaluation, moment, values = self.ctx.training.evaluation, self.moment, self.values()
        return lambda: evaluation.rate_confidence(moment, values)


class SurveyDialog(RatingDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        from app.service.evaluation import SURVEY_ITEMS

        super().__init__(
            _("Tell us about the training"),
            _(
                "Your answers are saved without your name, and the school only sees them added up with at least "
                "four other people's. 1 means you disagree, 5 that you agree."
            ),
            {key: _(text) for key, text in SURVEY_ITEMS.items()},  # marked N_ where they are defined
            parent,
        )
        self.ctx = ctx
        self.extra.addWidget(w.plain_label(_("What would you change? (You can leave this empty. Please name nobody.)")))
        self.comment = QPlainTextEdit()
        self.comment.setAccessibleName(_("What would you change?"))
        self.comment.setMaximumHeight(self.fontMetrics().height() * 5)
        self.extra.addWidget(self.comment)

    def commit(self):
        evaluation, values, comment = self.ctx.training.evaluation, self.values(), self.comment.toPlainText()
        return lambda: evaluation.answer_survey(values, comment)
