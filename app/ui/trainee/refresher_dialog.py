"""Refreshers: a certified helper answers the questions and role-play moments that FSRS says are
due, one at a time. A moment shows as the role-play screen does (who speaks, their line, the
replies as large buttons, then the feedback), in the same conversation view.

Each answer is recorded as it is given (the domain grades it and moves the item on the helper's
schedule), so closing the window halfway loses nothing.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QLabel, QProgressBar, QVBoxLayout, QWidget

from app.core.i18n import _
from app.modules.refreshers import Moment
from app.modules.scenario.text import plain
from app.ui.common import theme
from app.ui.common import widgets as w
from app.ui.common.content_language import reader_language
from app.ui.trainee.answer_choices import add_question
from app.ui.trainee.conversation_view import ConversationView


class RefresherDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        from app.modules.placeholders import fill

        self.ctx = ctx
        self.setWindowTitle(_("Refreshers"))
        self.setAccessibleName(_("Refresher questions"))
        values = ctx.placeholder_values()
        self.filled = values
        self._t = lambda text: fill(text, values)  # noqa: E731 - questions may name the school's contacts
        self.queue = ctx.training.refreshers.due(language=reader_language())  # worded in the reader's language
        self.index = 0
        self.right = 0
        self.option_buttons: list[QAbstractButton] = []
        self.saving = None
        self._action_slot = None
        self.moment_verdict: str | None = None  # the last moment's verdict, for tests and screen readers
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.setSpacing(12)
        outer.addWidget(w.title(_("Refreshers")))
        outer.addWidget(
            w.muted(
                _(
                    "A few questions from your training, so that what you learnt stays fresh. "
                    "Questions you find easy come back less often."
                )
            )
        )
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximum(max(1, len(self.queue)))
        outer.addWidget(self.progress)
        holder = QWidget()
        self.inner = QVBoxLayout(holder)
        self.inner.setContentsMargins(0, 0, 0, 0)
        self.inner.setSpacing(10)
        self.question_area = w.scroll(holder)
        outer.addWidget(self.question_area, 1)
        self.moment_header = w.muted("")
        self.moment_header.hide()
        outer.addWidget(self.moment_header)
        self.conversation = ConversationView()
        self.conversation.chose.connect(self._choose_reply)
        self.conversation.hide()
        outer.addWidget(self.conversation, 1)
        self.action = w.button(_("Check my answer"), "primary")
        self.action_row = w.row(None, self.action)
        outer.addLayout(self.action_row)
        m = self.fontMetrics().horizontalAdvance("m")  # grows with the text size
        self.resize(max(760, m * 52), max(560, m * 40))
        if parent is not None and parent.window().isVisible():
            room = parent.window().size()
            self.resize(min(self.width(), room.width()), min(self.height(), room.height()))
        self._show_question()

    def _on_action(self, slot) -> None:
        """The action button does one thing at a time."""
        if self._action_slot is not None:
            self.action.clicked.disconnect(self._action_slot)
        self._action_slot = slot
        self.action.clicked.connect(slot)

    def _show_question(self) -> None:
        w.clear(self.inner)
        self.progress.setValue(self.index)
        if self._action_slot is not None:
            self.action.clicked.disconnect(self._action_slot)
            self._action_slot = None
        if self.index >= len(self.queue):
            self._show_end()
            return
        item, _due = self.queue[self.index]
        moment = isinstance(item, Moment)
        self.question_area.setVisible(not moment)
        self.action.setVisible(not moment)
        self.conversation.setVisible(moment)
        self.moment_header.setVisible(moment)
        if moment:
            self._show_moment(item)
            return
        q = item.question
        self.inner.addWidget(
            w.muted(
                _("Question {n} of {total} · from “{lesson}”").format(
                    n=self.index + 1, total=len(self.queue), lesson=item.lesson_title
                )
            )
        )
        self.group, self.option_buttons = add_question(self.inner, self, q, self._t)
        self.group.buttonToggled.connect(lambda *_args: self.action.setEnabled(self._chosen() != set()))
        self.inner.addStretch(1)
        self.action.setText(_("Check my answer"))
        self.action.setAccessibleName(self.action.text())
        self.action.setEnabled(False)
        self._on_action(self._check)
        if self.option_buttons:
            self.option_buttons[0].setFocus()

    def _chosen(self) -> set[int]:
        return {i for i, b in enumerate(self.option_buttons) if b.isChecked()}

    def _check(self) -> None:
        from app.ui.common.tasks import Operation

        item, _due = self.queue[self.index]
        chosen = sorted(self._chosen())
        refreshers = self.ctx.training.refreshers
        self.action.setEnabled(False)
        self.action.setText(_("Saving your answer…"))
        for b in self.option_buttons:
            b.setEnabled(False)
        self.saving = Operation(
            self,
            lambda _work: refreshers.answer(item.key, chosen),
            on_success=lambda result: self._show_feedback(item, set(chosen), result),
            on_failure=self._not_saved,
            apply=self.ctx.apply,
        ).run()

    def _not_saved(self, exc: BaseException) -> None:
        message = getattr(exc, "message", None) or str(exc) or _("Your answer could not be saved.")
        self.inner.insertWidget(
            self.inner.count() - 1, w.plain_label(_("{problem} Try again.").format(problem=message))
        )
        for b in self.option_buttons:
            b.setEnabled(True)
        self.action.setText(_("Check my answer"))
        self.action.setEnabled(True)

    def _show_feedback(self, item, chosen: set[int], result) -> None:
        q = item.question
        t = theme.current()[0]
        self.right += result.correct
        verdict = QLabel(_("✓ That's right.") if result.correct else _("✗ Not quite. This one comes back sooner."))
        verdict.setObjectName("SectionTitle")
        self.verdict = verdict
        verdict.setStyleSheet(f"color: {t.success if result.correct else t.danger};")
        at = self.inner.count() - 1
        self.inner.insertWidget(at, verdict)
        at += 1
        if q.kind == "true_false":
            answer = _("The answer is <b>True</b>.") if q.options[0].correct else _("The answer is <b>False</b>.")
            self.inner.insertWidget(at, QLabel(answer))
            at += 1
        else:
            for i, opt in enumerate(q.options):
                if not opt.correct and i not in chosen:
                    continue
                mark = html.escape(_("✓ Right answer") if opt.correct else _("✗ Not right"))
                why = f"<br>{html.escape(self._t(opt.why))}" if opt.why else ""
                lbl = QLabel(f"<b>{html.escape(self._t(opt.text))}</b> — {mark}{why}")
                lbl.setWordWrap(True)
                lbl.setTextFormat(Qt.TextFormat.RichText)
                self.inner.insertWidget(at, lbl)
                at += 1
        if q.explanation:
            exp = w.plain_label(self._t(q.explanation))
            exp.setWordWrap(True)
            exp.setObjectName("Banner")
            self.inner.insertWidget(at, exp)
        last = self.index == len(self.queue) - 1
        self.action.setText(_("Finish") if last else _("Next question →"))
        self.action.setAccessibleName(self.action.text())
        self.action.setEnabled(True)
        self._on_action(self._next)
        self.action.setFocus()

    # --- a role-play moment ------------------------------------------------------------------
    def _show_moment(self, moment: Moment) -> None:
        view = self.conversation
        view.clear()
        self.moment_verdict = None
        self.moment_header.setText(
            _("Step {n} of {total} · a moment from the role-play “{title}”").format(
                n=self.index + 1, total=len(self.queue), title=plain(moment.scenario_title, self.filled)
            )
        )
        if moment.content_warning:
            view.show_notice(_("Content note: {note}").format(note=plain(moment.content_warning, self.filled)))
        if moment.summary:
            view.show_notice(plain(moment.summary, self.filled), tone="info")
        if moment.before:
            view.add_lines(moment.before, self.filled)
        if moment.reply is not None:
            view.add_reply(moment.reply, self.filled)
        view.add_lines(moment.lines, self.filled)
        view.set_choices([(k, plain(c.text, self.filled)) for k, c in enumerate(moment.choices, 1)])

    def _choose_reply(self, number: int) -> None:
        from app.ui.common.tasks import Operation

        item, _due = self.queue[self.index]
        if not isinstance(item, Moment) or (self.saving is not None and self.saving.running):
            return
        index = number - 1
        refreshers = self.ctx.training.refreshers
        self.conversation.set_choices_enabled(False)
        self.saving = Operation(
            self,
            lambda _work: refreshers.answer(item.key, [index]),
            on_success=lambda result: self._moment_feedback(item, index, result),
            on_failure=self._reply_not_saved,
            apply=self.ctx.apply,
        ).run()

    def _reply_not_saved(self, exc: BaseException) -> None:
        message = getattr(exc, "message", None) or str(exc) or _("Your reply could not be saved.")
        self.conversation.show_notice(_("{message} Try again.").format(message=message))
        self.conversation.set_choices_enabled(True)

    def _moment_feedback(self, moment: Moment, index: int, result) -> None:
        view = self.conversation
        chosen = moment.choices[index]
        self.right += result.correct
        if result.correct:
            verdict = _("✓ A good reply.")
        else:
            verdict = _("✗ There was a better reply. This moment comes back sooner.")
        self.moment_verdict = verdict
        view.add_reply(chosen.text, self.filled)
        view.add_feedback(chosen.feedback or "", self.filled, heading=verdict)
        if not result.correct:
            for i in sorted(moment.best):
                better = moment.choices[i]
                said = better.text + ("\n\n" + better.feedback if better.feedback else "")
                view.add_feedback(said, self.filled, heading=_("A better reply"))
        last = self.index == len(self.queue) - 1
        view.offer_continue(_("Finish") if last else _("Next →"), self._next)

    def _next(self) -> None:
        self.index += 1
        self._show_question()

    def _show_end(self) -> None:
        self.progress.setValue(self.progress.maximum())
        if not self.queue:
            head = _("Nothing is due right now.")
            more = _("Your next refresher questions appear on your home page when they are due.")
        else:
            head = _("Done: {right} of {total} right.").format(right=self.right, total=len(self.queue))
            more = _("Your next refresher questions appear on your home page when they are due. Thank you!")
        title = w.plain_label(head)
        title.setObjectName("SectionTitle")
        self.inner.addWidget(title)
        self.inner.addWidget(w.plain_label(more))
        self.inner.addStretch(1)
        self.question_area.show()
        self.conversation.hide()
        self.moment_header.hide()
        self.action.show()
        self.action.setText(_("Close"))
        self.action.setAccessibleName(_("Close the refreshers"))
        self.action.setEnabled(True)
        self._on_action(self.accept)
