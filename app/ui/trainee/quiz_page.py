"""A lesson's knowledge check: one question at a time, the explanation after each answer,
the score against the pass mark at the end. Every try is recorded with every answer."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _, isolate
from app.modules.lesson_render import split_sentences
from app.ui.common import theme
from app.ui.common import widgets as w
from app.ui.common.content_language import reader_language
from app.ui.common.widgets import shown_text
from app.ui.trainee.answer_choices import add_question


def _now() -> datetime:
    return datetime.now(UTC)


class QuizPage(QWidget):
    back = Signal()
    finished = Signal()
    scored = Signal(object)  # the recorded attempt, once it is saved and its score is on screen

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.lesson = None
        self.index = 0
        self.answers: list = []
        self.started_at = _now()
        self._t = lambda text: text  # noqa: E731 - replaced by start()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body, self.lay = w.page(32)
        self.scroll_area = w.scroll(body)
        outer.addWidget(self.scroll_area)
        self._follow_action = False  # after answering: keep the button in view while the feedback lays out
        self.scroll_area.verticalScrollBar().rangeChanged.connect(lambda _lo, _hi: self._show_action())
        top = w.button(_("← Back to the module"), "link", name=_("Back to the module"))
        top.clicked.connect(self.back.emit)
        from app.ui.common.read_aloud import ReadAloudButton

        self.read_button = ReadAloudButton(
            ctx, _("Read the question and its answers aloud"), lambda button: button.say(self._texts_to_read())
        )
        QShortcut(QKeySequence("Ctrl+R"), self, activated=self.read_button.click)
        self.lay.addLayout(w.row(top, None, self.read_button))
        self.heading = w.title("")
        self.lay.addWidget(self.heading)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(_("Questions answered"))
        self.lay.addWidget(self.progress)
        self.box = w.card()
        self.box.setMaximumWidth(820)
        self.inner = QVBoxLayout(self.box)
        self.inner.setContentsMargins(28, 24, 28, 24)
        self.inner.setSpacing(12)
        self.lay.addWidget(self.box)
        self.lay.addStretch(1)
        self.group: QButtonGroup | None = None
        self.option_buttons: list[QAbstractButton] = []
        self.action: QAbstractButton | None = None

    # --- flow ---------------------------------------------------------------------------------
    def start(self, module_id: str, lesson_id: str) -> None:
        from app.modules.placeholders import fill

        values = self.ctx.placeholder_values()
        self._t = lambda text: fill(text, values)  # noqa: E731 - questions may name the school's contacts
        self.lesson = self.ctx.content.lesson(module_id, lesson_id, reader_language())
        self.read_button.language = self.lesson.language  # read in a voice of the lesson's language
        self.index = 0
        self.answers = []
        self.started_at = _now()
        self.heading.setText(_("Knowledge check: {title}").format(title=self.lesson.title))
        self.progress.setMaximum(len(self.lesson.questions))
        self._show_question()

    def _show_question(self) -> None:
        self.read_button.stop()
        w.clear(self.inner)
        self.box.setMaximumWidth(max(820, self.fontMetrics().horizontalAdvance("m") * 52))  # grows with the text size
        q = self.lesson.questions[self.index]
        self.progress.setValue(self.index)
        total = len(self.lesson.questions)
        self.inner.addWidget(w.muted(_("Question {n} of {total}").format(n=self.index + 1, total=total)))
        self.group, self.option_buttons = add_question(self.inner, self, q, self._t)
        self.group.buttonToggled.connect(self._selection_changed)
        self.action = w.button(_("Check my answer"), "primary")
        self.action.setEnabled(False)
        self.action.clicked.connect(self._check)
        self.inner.addLayout(w.row(None, self.action))
        self.question_shown_at = _now()
        if self.option_buttons:
            self.option_buttons[0].setFocus()

    def _texts_to_read(self) -> list[str]:
        """The card's sentences as on screen, top to bottom: question, answers, and the feedback once checked."""
        out = []
        for i in range(self.inner.count()):
            widget = self.inner.itemAt(i).widget()
            if widget is None or (
                widget.isHidden() and widget.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
            ):
                continue  # hidden on purpose (a label just added is shown on the next turn of the loop)
            if widget in self.option_buttons:
                answer = widget.accessibleName().rstrip()
                if answer[-1:] not in ".?!":
                    answer += "."  # read as a sentence of its own
                number = self.option_buttons.index(widget) + 1
                out.extend(split_sentences(_("Answer {n}: {answer}").format(n=number, answer=answer)))
            elif isinstance(widget, QLabel):
                out.extend(split_sentences(shown_text(widget)))
        return out

    def hideEvent(self, event):  # Qt's name
        self.read_button.stop()
        super().hideEvent(event)

    def _selection_changed(self, *_args):
        self.action.setEnabled(any(b.isChecked() for b in self.option_buttons))

    def _chosen(self) -> set[int]:
        return {i for i, b in enumerate(self.option_buttons) if b.isChecked()}

    def _check(self) -> None:
        from app.service.progress import AnswerRecord

        q = self.lesson.questions[self.index]
        chosen = self._chosen()
        right = q.is_correct(chosen)
        given = sorted(chosen) if q.kind != "true_false" else (0 in chosen)
        self.answers.append(AnswerRecord(q.index, q.prompt, given, right, _now()))
        for b in self.option_buttons:
            b.setEnabled(False)
        verdict = w.Label(_("✓ That's right.") if right else _("✗ Not quite."))
        verdict.setObjectName("SectionTitle")
        t = theme.current()[0]
        verdict.setStyleSheet(f"color: {t.success if right else t.danger};")
        self.inner.insertWidget(self.inner.count() - 1, verdict)
        for i, opt in enumerate(q.options):
            if not opt.why and q.kind != "true_false":
                continue
            if q.kind == "true_false":
                continue
            if opt.correct:
                mark = _("✓ Right answer (your choice)") if i in chosen else _("✓ Right answer")
            else:
                mark = _("✗ Not right (your choice)") if i in chosen else _("✗ Not right")
            # The answer and why (content) kept whole, and the line in the window's direction (rich
            # text would take it from the answer's first letter): in Arabic it reads from the verdict.
            answer, why = isolate(self._t(opt.text)), isolate(self._t(opt.why)) if opt.why else ""
            direction = "\u200f" if self.isRightToLeft() else ""
            lbl = w.Label(f"{direction}<b>{html.escape(answer)}</b> — {html.escape(mark)}<br>{html.escape(why)}")
            lbl.setWordWrap(True)
            lbl.setTextFormat(Qt.TextFormat.RichText)
            lbl.setStyleSheet(
                f"background: {t.accent_soft if opt.correct else t.surface_alt}; border-radius: 6px; padding: 8px;"
            )
            self.inner.insertWidget(self.inner.count() - 1, lbl)
        if q.kind == "true_false":
            answer = _("The answer is <b>True</b>.") if q.options[0].correct else _("The answer is <b>False</b>.")
            self.inner.insertWidget(self.inner.count() - 1, w.rich_label(answer))
        if q.explanation:
            exp = w.plain_label(self._t(q.explanation))
            exp.setWordWrap(True)
            exp.setObjectName("Banner")
            self.inner.insertWidget(self.inner.count() - 1, exp)
        self.action.clicked.disconnect()
        last = self.index == len(self.lesson.questions) - 1
        self.action.setText(_("See my score") if last else _("Next question →"))
        self.action.setAccessibleName(self.action.text())
        self.action.clicked.connect(self._next)
        self.action.setEnabled(True)
        self.action.setFocus()
        # The feedback pushed the button down: bring it into view, with the feedback just above it.
        self._follow_action = True
        QTimer.singleShot(0, self, self._show_action)
        QTimer.singleShot(300, lambda: setattr(self, "_follow_action", False))

    def _show_action(self) -> None:
        if not shiboken6.isValid(self) or not shiboken6.isValid(self.scroll_area):
            return  # closed meanwhile
        action = self.action  # the question's button goes with it when the next question is laid out
        if self._follow_action and action is not None and shiboken6.isValid(action) and action.isVisible():
            self.scroll_area.ensureWidgetVisible(action, 0, 16)

    def _next(self) -> None:
        if self.index < len(self.lesson.questions) - 1:
            self.index += 1
            self._show_question()
        else:
            self._finish()

    def _finish(self) -> None:
        """Record the attempt off the UI thread (the records may be on a server), then the score."""
        from app.ui.common.tasks import Operation

        training, lesson, answers = self.ctx.training, self.lesson, list(self.answers)
        pass_mark = self.ctx.pass_mark()
        self.action.setEnabled(False)
        self.action.setText(_("Saving your answers…"))
        self.saving = Operation(
            self,
            lambda _work: training.progress.record_check(
                lesson.module_id, lesson.id, lesson.content_hash, self.started_at, answers, pass_mark / 100
            ),
            on_success=lambda summary: self._show_score(summary, pass_mark),
            on_failure=self._not_saved,
            apply=self.ctx.apply,
        ).run()

    def _not_saved(self, exc: BaseException) -> None:
        self.action.setEnabled(True)
        self.action.setText(_("Try saving again"))
        self.action.setAccessibleName(self.action.text())
        message = getattr(exc, "message", None) or _("Your answers could not be saved ({error}).").format(error=exc)
        self.inner.insertWidget(
            self.inner.count() - 1,
            w.plain_label(_("{problem} Nothing is lost yet: try again.").format(problem=message)),
        )

    def _show_score(self, summary, pass_mark: int) -> None:
        self.progress.setValue(len(self.lesson.questions))
        w.clear(self.inner)
        pct = round(summary.score * 100)
        head = w.Label(
            _("Passed! You scored {pct}%.").format(pct=pct)
            if summary.passed
            else _("Not passed yet. You scored {pct}%.").format(pct=pct)
        )
        head.setObjectName("PageTitle")
        t = theme.current()[0]
        head.setStyleSheet(f"color: {t.success if summary.passed else t.warning};")
        self.inner.addWidget(head)
        self.inner.addWidget(
            w.Label(
                _("{correct} of {total} right. The pass mark is {pass_mark}%.").format(
                    correct=summary.correct, total=summary.total, pass_mark=pass_mark
                )
            )
        )
        if not summary.passed:
            self.inner.addWidget(
                w.muted(
                    _(
                        "Have another look at the lesson, then try again. "
                        "Every try is kept, and only your best one counts."
                    )
                )
            )
        for a in self.answers:
            lbl = w.plain_label(("✓ " if a.correct else "✗ ") + a.question_text)
            lbl.setWordWrap(True)
            self.inner.addWidget(lbl)
        again = w.button(_("Try again"))
        again.clicked.connect(lambda: self.start(self.lesson.module_id, self.lesson.id))
        done = w.button(_("Back to the module"), "primary")
        done.clicked.connect(self.finished.emit)
        self.inner.addLayout(w.row(None, again, done))
        done.setFocus()
        self.scored.emit(summary)
