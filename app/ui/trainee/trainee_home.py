"""A trainee's home: the modules in order, what is in each, their progress, and what is
left for the certificate."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import N_, _, ngettext
from app.modules import competency as rules
from app.modules.refreshers import QUEUE_LIMIT
from app.ui.common import widgets as w
from app.ui.common.content_language import reader_language
from app.ui.common.text_fit import WrappingCheckBox, WrapWhenNeededLabel

STATE_WORDS = {
    rules.NOT_STARTED: N_("Not started"),
    rules.IN_PROGRESS: N_("In progress"),
    rules.WAITING_SIGN_OFF: N_("Waiting for a trainer's sign-off"),
    rules.COMPLETE: N_("Complete ✓"),
}


class TraineeHomePage(QWidget):
    open_lesson = Signal(str, str)  # module id, lesson id
    open_check = Signal(str, str)
    open_scenario = Signal(str)  # scenario id

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.readiness = None
        self.record = None
        self.unfinished: set[str] = set()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 20, 28, 20)
        outer.setSpacing(14)
        self.hello = w.title("")
        outer.addWidget(self.hello)
        self.banner = w.Label()
        self.banner.setObjectName("Banner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.banner)
        self.refresher_strip = self._refresher_strip()
        outer.addWidget(self.refresher_strip)
        self.evaluation_strip = self._evaluation_strip()
        outer.addWidget(self.evaluation_strip)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.modules = QListWidget()
        self.modules.setAccessibleName(_("Modules"))
        self.modules.setAccessibleDescription(
            _("The training modules in order. Pick one to see its lessons and role-plays.")
        )
        self.modules.setMinimumWidth(260)
        self.modules.setSpacing(2)
        self.modules.setWordWrap(True)  # long module names wrap at large text sizes instead of being cut
        self.modules.currentRowChanged.connect(self._show_module)
        split.addWidget(self.modules)
        self.detail_holder = QWidget()
        self.detail = QVBoxLayout(self.detail_holder)
        self.detail.setContentsMargins(18, 0, 0, 0)
        self.detail.setSpacing(12)
        detail_area = w.scroll(self.detail_holder)
        detail_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # cards fit the width
        split.addWidget(detail_area)
        split.setStretchFactor(1, 3)
        split.setSizes([300, 700])
        outer.addWidget(split, 1)

    def _refresher_strip(self) -> QFrame:
        """For certified helpers: how many refresher questions are due, and a button to start."""
        frame = _strip_card()
        lay = QHBoxLayout(frame)
        lay.setContentsMargins(16, 10, 16, 10)
        self.refresher_text = WrapWhenNeededLabel()
        self.refresher_text.setTextFormat(Qt.TextFormat.RichText)  # the program's own messages, with <b>
        lay.addWidget(self.refresher_text, 1)
        self.refresher_button = w.button(_("Start refreshers"), "primary", name=_("Start the refresher questions"))
        self.refresher_button.clicked.connect(self._start_refreshers)
        lay.addWidget(self.refresher_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.checkin_button = w.button(
            _("I supported someone"),
            name=_("Log that you supported someone (never who)"),
            tip=_("Four quick answers"),
        )
        self.checkin_button.clicked.connect(self._log_checkin)
        lay.addWidget(self.checkin_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.recognition_box = WrappingCheckBox(_("Put my name on the school's list of peer helpers"))
        self.recognition_box.setToolTip(_("The school may print the list for an assembly. You can change your mind."))
        self.recognition_box.toggled.connect(self._recognition_changed)
        lay.addWidget(self.recognition_box, 0, Qt.AlignmentFlag.AlignVCenter)
        frame.hide()
        return frame

    def _evaluation_strip(self) -> QFrame:
        """A question for the trainee when one is due: their confidence, or the feedback survey."""
        frame = _strip_card()
        lay = QHBoxLayout(frame)
        lay.setContentsMargins(16, 10, 16, 10)
        self.evaluation_text = WrapWhenNeededLabel()
        # Its messages are the program's own, with <b> in them (no names or content): shown as markup,
        # not as "<b>Before you start:</b>" (the label is plain text for names everywhere else).
        self.evaluation_text.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.evaluation_text, 1)
        self.confidence_button = w.button(_("Rate my confidence"), name=_("Rate how confident you feel in each skill"))
        self.confidence_button.clicked.connect(self._rate_confidence)
        lay.addWidget(self.confidence_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.survey_button = w.button(_("Give feedback"), name=_("Answer the feedback survey, without your name"))
        self.survey_button.clicked.connect(self._answer_survey)
        lay.addWidget(self.survey_button, 0, Qt.AlignmentFlag.AlignVCenter)
        frame.hide()
        return frame

    def _show_evaluation(self) -> None:
        evaluation = self.ctx.training.evaluation
        self.moment = evaluation.moment_due()
        survey = evaluation.survey_due()
        self.confidence_button.setVisible(self.moment is not None)
        self.survey_button.setVisible(survey)
        parts = []  # each a whole message of its own, shown one after the other
        if self.moment == "before":
            parts.append(
                _("<b>Before you start:</b> how confident do you feel about the skills you will learn? One minute.")
            )
        elif self.moment == "renewal":
            parts.append(_("<b>Your certificate is renewed:</b> how confident do you feel now? One minute."))
        elif self.moment is not None:
            parts.append(_("<b>You have your certificate:</b> how confident do you feel now? One minute."))
        if survey:
            parts.append(_("<b>Feedback:</b> tell us what you thought of the training (no names)."))
        text = " ".join(parts)
        self.evaluation_text.setText(text)
        self.evaluation_strip.setVisible(bool(text))

    def _rate_confidence(self) -> None:
        from app.ui.trainee.evaluation_dialogs import ConfidenceDialog

        ConfidenceDialog(self.ctx, self.moment or "before", self).exec()
        self._show_evaluation()

    def _answer_survey(self) -> None:
        from app.ui.trainee.evaluation_dialogs import SurveyDialog

        SurveyDialog(self.ctx, self).exec()
        self._show_evaluation()

    def _show_refreshers(self) -> None:
        refreshers = self.ctx.training.refreshers
        if not refreshers.certified():
            self.refresher_strip.hide()
            return
        due = refreshers.due_count()
        if due > QUEUE_LIMIT:
            self.refresher_text.setText(
                ngettext(
                    "<b>Refreshers:</b> {n} refresher question is due. Answer {limit} now: it takes a few minutes.",
                    "<b>Refreshers:</b> {n} refresher questions are due. Answer {limit} now: it takes a few minutes.",
                    due,
                ).format(n=due, limit=QUEUE_LIMIT)
            )
        elif due:
            self.refresher_text.setText(
                ngettext(
                    "<b>Refreshers:</b> {n} refresher question is due. They take a few minutes.",
                    "<b>Refreshers:</b> {n} refresher questions are due. They take a few minutes.",
                    due,
                ).format(n=due)
            )
        else:
            self.refresher_text.setText(_("<b>Refreshers:</b> you are up to date. New questions appear here when due."))
        self.refresher_button.setVisible(bool(due))
        from app.modules.school_settings import RECOGNITION_CONSENT, RECOGNITION_KEY

        listed = self.ctx.settings.get(RECOGNITION_KEY) == "consented"
        self.recognition_box.setVisible(listed)
        self.recognition_box.blockSignals(True)
        self.recognition_box.setChecked(bool(self.ctx.preferences().get(RECOGNITION_CONSENT)))
        self.recognition_box.blockSignals(False)
        self.refresher_strip.show()

    def _start_refreshers(self) -> None:
        from app.ui.trainee.refresher_dialog import RefresherDialog

        dialog = RefresherDialog(self.ctx, self)
        dialog.exec()
        self._show_refreshers()

    def _recognition_changed(self, on: bool) -> None:
        from app.modules.school_settings import RECOGNITION_CONSENT

        self.ctx.save_preferences({RECOGNITION_CONSENT: bool(on)})  # off the UI thread

    def _log_checkin(self) -> None:
        from app.ui.trainee.checkin_dialog import CheckInDialog

        dialog = CheckInDialog(self.ctx, self)
        if dialog.exec() and dialog.saved is not None:
            self.refresher_text.setText(
                _(
                    "<b>Thank you:</b> your check-in is saved. "
                    "The staff who supervise helpers will see that you would like to talk."
                )
                if dialog.saved.wants_debrief
                else _("<b>Thank you:</b> your check-in is saved.")
            )

    def refresh(self) -> None:

        ctx = self.ctx
        self.hello.setText(_("Hi, {name}").format(name=ctx.profile.display_name))
        program = ctx.program
        if program is None:
            self.banner.setText(
                _(
                    "The training content could not be loaded. Please tell your trainer: "
                    "they can see why under “Content problems”."
                )
            )
            self.modules.clear()
            w.clear(self.detail)
            return
        progress = ctx.training.progress
        self._show_refreshers()
        self._show_evaluation()
        self.record = progress.record_of()
        self.unfinished = {a.scenario_id for a in progress.unfinished_role_plays()}
        # In the reader's language (module titles, competency names): the same structure as the source.
        shown = ctx.reader_program
        self.readiness = rules.certificate_readiness(shown, ctx.content.all_module_contents(), self.record)
        done = sum(s.complete for s in self.readiness.modules)
        total = len(self.readiness.modules)
        if self.readiness.ready:
            self.banner.setText(
                _(
                    "<b>You have done everything the certificate needs.</b> Well done! "
                    "Your coordinator can now print your certificate."
                )
            )
        else:
            # The next few things to do, not the whole list: the module pages have the details.
            nxt = next((st for st in self.readiness.modules if not st.complete), None)
            if nxt and nxt.missing:
                banner = ngettext(
                    "<b>Your certificate:</b> {done} of {total} module complete. Next: <b>{module}</b> — {missing}.",
                    "<b>Your certificate:</b> {done} of {total} modules complete. Next: <b>{module}</b> — {missing}.",
                    total,
                ).format(done=done, total=total, module=_esc(nxt.title), missing=_esc(nxt.missing[0]))
            else:
                banner = ngettext(
                    "<b>Your certificate:</b> {done} of {total} module complete.",
                    "<b>Your certificate:</b> {done} of {total} modules complete.",
                    total,
                ).format(done=done, total=total)
            self.banner.setText(banner)
        current = max(self.modules.currentRow(), 0)
        self.modules.blockSignals(True)
        self.modules.clear()
        first_open = None
        for i, st in enumerate(self.readiness.modules):
            state = (
                _(STATE_WORDS[st.state])
                if st.complete
                else _("{state} · {percent}%").format(state=_(STATE_WORDS[st.state]), percent=int(st.fraction * 100))
            )
            item = QListWidgetItem(f"{i + 1}. {st.title}\n    {state}")
            item.setData(Qt.ItemDataRole.UserRole, st.module_id)
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole,
                _("Module {n}, {title}: {state}").format(n=i + 1, title=st.title, state=_(STATE_WORDS[st.state])),
            )
            self.modules.addItem(item)
            if first_open is None and not st.complete:
                first_open = i
        self.modules.blockSignals(False)
        if self.modules.currentRow() < 0 and self.modules.count():
            self.modules.setCurrentRow(current if current else (first_open or 0))
        self._show_module(self.modules.currentRow())

    def _show_module(self, row: int) -> None:
        w.clear(self.detail)
        if row < 0 or self.readiness is None:
            return
        ctx = self.ctx
        st = self.readiness.modules[row]
        module = ctx.reader_program.module(st.module_id)
        self.detail.addWidget(w.at_start(w.title(module.title)))  # content titles line up with the page's headings
        if module.summary:
            self.detail.addWidget(w.muted(module.summary))
        bar = QProgressBar()
        bar.setValue(int(st.fraction * 100))
        bar.setTextVisible(False)
        bar.setAccessibleName(
            _("Progress in {module}: {percent} percent").format(module=module.title, percent=int(st.fraction * 100))
        )
        self.detail.addWidget(bar)
        state = w.Label(
            _(STATE_WORDS[st.state])
            if st.complete
            else _("{state} — still to do: {missing}").format(
                state=_(STATE_WORDS[st.state]), missing=w.listed(st.missing, "; ")
            )
        )
        state.setWordWrap(True)
        self.detail.addWidget(state)

        lessons = ctx.content.module_lessons(st.module_id, reader_language())
        self.detail.addWidget(w.title(_("Lessons"), "SectionTitle"))
        if not lessons:
            from app.ui.common.empty_state import EmptyState

            self.detail.addWidget(
                EmptyState(
                    _("No lessons here yet"),
                    _(
                        "Your trainer is still preparing this module. "
                        "Carry on with the other modules: this one appears here when it is ready."
                    ),
                )
            )
        attempts = _best_attempts(ctx, st.module_id)
        for lesson in lessons:
            self.detail.addWidget(self._lesson_row(st.module_id, lesson, attempts.get(lesson.id)))

        scenarios = ctx.content.module_scenarios(st.module_id, reader_language())
        if scenarios:
            self.detail.addWidget(w.title(_("Role-plays"), "SectionTitle"))
            for s in scenarios:
                self.detail.addWidget(self._scenario_row(s))
        self.detail.addStretch(1)

    def _lesson_row(self, module_id: str, lesson, best) -> QFrame:
        frame = Card()
        lay = QGridLayout(frame)
        lay.setContentsMargins(16, 12, 16, 12)
        read = (module_id, lesson.id) in self.record.lessons_read
        name = w.at_start(w.rich_label(f"<b>{_esc(lesson.title)}</b>"))
        name.setWordWrap(True)
        lay.addWidget(name, 0, 0)
        bits = []
        if lesson.minutes:
            bits.append(_("{n} min").format(n=lesson.minutes))
        bits.append(
            _("Read ✓")
            if read
            else (_("Started") if (module_id, lesson.id) in self.record.lessons_started else _("Not read yet"))
        )
        if lesson.has_check:
            if best is None:
                bits.append(_("Knowledge check: not tried"))
            else:
                pct = round(best.score * 100)
                bits.append(
                    _("Knowledge check: passed {percent}%").format(percent=pct)
                    if best.passed
                    else _("Knowledge check: best {percent}%").format(percent=pct)
                )
        info = w.muted(" · ".join(bits))
        lay.addWidget(info, 1, 0)
        if lesson.summary:
            lay.addWidget(w.muted(lesson.summary), 2, 0)
        buttons = QHBoxLayout()
        open_b = w.button(
            _("Read again") if read else _("Read"),
            "primary" if not read else None,
            name=_("Read the lesson {title}").format(title=lesson.title),
        )
        open_b.clicked.connect(lambda _checked=False, m=module_id, l=lesson.id: self.open_lesson.emit(m, l))
        buttons.addWidget(open_b)
        if lesson.has_check:
            chk = w.button(_("Knowledge check"), name=_("Knowledge check for {title}").format(title=lesson.title))
            chk.clicked.connect(lambda _checked=False, m=module_id, l=lesson.id: self.open_check.emit(m, l))
            buttons.addWidget(chk)
        frame.place(buttons, 3)
        return frame

    def _scenario_row(self, scenario) -> QFrame:
        frame = Card()
        lay = QGridLayout(frame)
        lay.setContentsMargins(16, 12, 16, 12)
        heading = w.at_start(w.rich_label(f"<b>{_esc(scenario.title)}</b>"))
        heading.setWordWrap(True)
        lay.addWidget(heading, 0, 0)
        passed = scenario.id in self.record.scenarios_passed
        unfinished = scenario.id in self.unfinished
        if unfinished:
            status, label = _("Started: carry on where you left off"), _("Continue")
        elif passed:
            status, label = _("Passed ✓"), _("Play again")
        else:
            status = _("Tried") if scenario.id in self.record.scenarios_tried else _("Not tried yet")
            label = _("Play")
        lay.addWidget(w.muted(status + (" · " + scenario.summary if scenario.summary else "")), 1, 0)
        spoken = _("Continue the role-play {title}") if unfinished else _("Play the role-play {title}")
        play = w.button(label, "primary" if unfinished else None, name=spoken.format(title=scenario.title))
        play.clicked.connect(lambda _checked=False, s=scenario.id: self.open_scenario.emit(s))
        box = QHBoxLayout()
        box.addWidget(play)
        frame.place(box, 2)
        return frame


class Card(QFrame):
    """A lesson's or role-play's card: its buttons beside the text, or under it when the card is
    too narrow for both (large text, small screen), so the page never scrolls sideways."""

    def __init__(self):
        super().__init__()
        self.setObjectName("Card")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._buttons = None
        self._rows = 1
        self._below: bool | None = None

    def place(self, buttons: QHBoxLayout, rows: int) -> None:
        self._buttons, self._rows = buttons, rows
        self.layout().setColumnStretch(0, 1)
        self.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # narrower: buttons go under
        self._arrange(below=False)

    def _arrange(self, below: bool) -> None:
        if self._buttons is None or below == self._below:
            return
        lay: QGridLayout = self.layout()
        lay.removeItem(self._buttons)
        if below:
            self._buttons.addStretch(1)
            lay.addLayout(self._buttons, self._rows, 0, 1, 1)
        else:
            last = self._buttons.itemAt(self._buttons.count() - 1)
            if last is not None and last.spacerItem() is not None:
                self._buttons.removeItem(last)
            lay.addLayout(self._buttons, 0, 1, self._rows, 1, Qt.AlignmentFlag.AlignVCenter)
        self._below = below

    def resizeEvent(self, event) -> None:  # Qt's name
        super().resizeEvent(event)
        if self._buttons is None:
            return
        em = self.fontMetrics().horizontalAdvance("m")
        beside = self._buttons.sizeHint().width() + em * 14 + 40  # the buttons and a readable text column
        self._arrange(below=self.width() < beside)

    def minimumSizeHint(self):  # Qt's name: never wider than the buttons alone need
        hint = super().minimumSizeHint()
        if self._buttons is not None and not self._below:
            hint.setWidth(min(hint.width(), self._buttons.sizeHint().width() + 60))
        return hint


def _strip_card() -> QFrame:
    """A card that keeps the height its wrapped text needs: the module list gives way, not the text."""
    frame = w.card()
    frame.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return frame


def _best_attempts(ctx, module_id: str) -> dict:
    """The attempt that counts for each knowledge check of the module, by lesson id."""
    from app.modules.trainee_record import best_check_attempts

    best = best_check_attempts(ctx.training.progress.check_attempts())
    return {lesson_id: a for (m, lesson_id), a in best.items() if m == module_id}


def _esc(text: str) -> str:
    import html

    return html.escape(text)
