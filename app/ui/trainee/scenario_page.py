"""The role-play player for trainees: before starting, the conversation, the results, and
the offer to carry on an unfinished run.

Every choice is committed (app.modules.scenario.session) before the next node is shown, so
leaving, closing the window or a crash loses nothing: the next sign-in offers to carry on at
exactly the last recorded step. The commit runs off the UI thread (play_loop, `background`):
the choices are disabled until it is done. Starting, carrying on and closing an attempt are
written off the UI thread too (`_change`), and anything that reads the run's records again
(opening a role-play, the offer to carry on) waits for the step or the attempt being written
(`after_write`), so it never offers an attempt that is being closed.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from app.core.i18n import N_, _, isolate, ngettext
from app.modules.outcome_words import person, shown_score, verdict_sentence
from app.modules.scenario import session as ss
from app.modules.scenario.text import display_html, plain
from app.service.changes import PROGRESS
from app.ui.common import theme
from app.ui.common import widgets as w
from app.ui.common.content_language import reader_language, show_untranslated_note, untranslated_note
from app.ui.common.read_aloud import ReadAloudButton
from app.ui.trainee.conversation_view import ConversationView
from app.ui.trainee.play_loop import PlayLoop

SUPPORT_KEYS = (
    ("school.counsellor", N_("Talk to")),
    ("school.counsellor_room", N_("Where")),
    ("school.crisis_line", N_("Crisis line")),
    ("school.emergency_number", N_("In an emergency")),
)


def current_scenario(ctx, scenario_id: str):
    """The scenario as its file is now, or None when it is gone from the content."""
    known = ctx.content.scenario(scenario_id, reader_language()) if ctx.content is not None else None
    if known is None or known.is_draft:  # a draft is not for trainees, even one that was published before
        return None
    return ss.reload_scenario(known, ctx.program)


def scenario_versions(ctx, scenario_id: str) -> list:
    """The role-play's files in every language (the source and its translations), as they are now."""
    source = ctx.content.scenario(scenario_id) if ctx.content is not None else None
    if source is None:
        return []
    found = [ss.reload_scenario(v, ctx.program) for v in (source, *source.translations.values())]
    return [v for v in found if v is not None]


def pending_offer(ctx, scenario_id: str | None = None) -> ss.ResumeOffer | None:
    """The most recent unfinished run to offer (of one scenario, or any that can be acted on)."""
    offers = ctx.training.progress.resume_offers(
        lambda sid: current_scenario(ctx, sid), lambda sid: scenario_versions(ctx, sid)
    )
    for offer in offers:
        if scenario_id is None and offer.kind == ss.BROKEN:
            continue  # nothing the trainee can do about it at sign-in
        if scenario_id is None or offer.attempt.scenario_id == scenario_id:
            return offer
    return None


class ScenarioPage(QWidget):
    back = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.scenario = None
        self.offer: ss.ResumeOffer | None = None  # an unfinished run to close if a fresh one starts
        self.filled: dict[str, str] = {}
        self._writing = None  # starting, carrying on or closing an attempt (app.ui.tasks.change), if under way
        self._waiting: list[Callable[[], None]] = []  # what runs once that is written (after_write)
        self._visit = 0  # counts the times the page was opened or left

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 14, 24, 16)
        outer.setSpacing(10)
        self.back_button = w.button(_("← Back to the module"), "link", name=_("Back to the module"))
        self.back_button.clicked.connect(self.leave)
        self.heading = w.Label("")
        self.heading.setObjectName("SectionTitle")
        self.heading.setWordWrap(True)  # a long title at 200 % text takes two lines, never cut
        self.read_button = ReadAloudButton(
            ctx, _("Read the conversation aloud"), lambda _button: self._read_node(), stays_on=True
        )
        self.read_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.read_button.sentence.connect(lambda index: self.view.highlight_line(index))
        self.read_button.ended.connect(lambda: self.view.highlight_line(None))
        keep = self.read_button.sizePolicy()
        keep.setRetainSizeWhenHidden(True)  # the title stays centred on every screen
        self.read_button.setSizePolicy(keep)
        top = w.row(self.back_button, None, self.heading, None, self.read_button)
        outer.addLayout(top)
        self.untranslated = untranslated_note()
        outer.addWidget(self.untranslated)

        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.screens: dict[str, QWidget] = {}
        self.boxes: dict[str, QVBoxLayout] = {}
        for name in ("intro", "results", "offer", "notice"):
            self._card_screen(name)
        self.view = ConversationView()
        self.loop = PlayLoop(
            self.view,
            node_shown=self._node_shown,
            feedback_now=lambda: self.scenario.feedback == "immediate",
            before_choice=self._stop_speaking,
            choice_failed=self._choice_failed,
            background=self,
        )
        column = QWidget()  # the conversation reads best at a chat's width, centred
        self.view.setMaximumWidth(980)
        column_lay = QHBoxLayout(column)
        column_lay.setContentsMargins(0, 0, 0, 0)
        column_lay.addWidget(self.view)
        self.screens["play"] = column
        self.stack.addWidget(column)

        QShortcut(QKeySequence("Ctrl+R"), self, activated=self.toggle_reading)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.leave)
        ctx.changed.connect(self._content_changed)

    def _card_screen(self, name: str) -> None:
        body, lay = w.page(8)
        box = w.card()
        box.setMaximumWidth(860)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(28, 22, 28, 22)
        inner.setSpacing(12)
        centred = QHBoxLayout()  # a row, not an alignment: wrapped text gets its height
        centred.addStretch(1)
        centred.addWidget(box, 12)
        centred.addStretch(1)
        lay.addLayout(centred)
        lay.addStretch(1)
        area = w.scroll(body)
        self.screens[name] = area
        self.boxes[name] = inner
        self.stack.addWidget(area)

    def _screen(self, name: str) -> QVBoxLayout:
        """Empty a screen, show it, and hand back its layout to fill."""
        if name != "play":
            w.clear(self.boxes[name])
        self.stack.setCurrentWidget(self.screens[name])
        playing = name == "play"
        self.read_button.setVisible(playing)
        self.back_button.setText(_("← Leave for now") if playing else _("← Back to the module"))
        self.back_button.setAccessibleName(
            _("Leave for now: your place is saved") if playing else _("Back to the module")
        )
        self.back_button.setToolTip(_("Your place is saved: you can carry on later") if playing else "")
        return self.boxes.get(name)

    @property
    def recorded(self) -> ss.RecordedRun | None:
        """The run being played (each choice committed before the next node shows), or None."""
        return self.loop.session

    @recorded.setter
    def recorded(self, value: ss.RecordedRun | None) -> None:
        self.loop.session = value

    @property
    def current(self) -> str:
        return next(n for n, s in self.screens.items() if s is self.stack.currentWidget())

    # --- writing the run's records off the UI thread ---------------------------------------------
    @property
    def writing(self) -> bool:
        """A step, or the start, carrying on or closing of an attempt, is being written."""
        return self.loop.pending or (self._writing is not None and self._writing.running)

    def after_write(self, then: Callable[[], None]) -> None:
        """`then()` now, or once every step and attempt being written is written (or has failed)."""
        if self.loop.pending:
            self.loop.after_write(lambda: self.after_write(then))
        elif self._writing is not None and self._writing.running:
            self._waiting.append(then)
        else:
            then()

    def _change(self, fn, done=None, failed=None, controls: tuple = ()) -> None:
        """Start, carry on or close an attempt off the UI thread (app.ui.common.tasks.change); what
        waits for it (after_write) runs once it has returned, after `done` or `failed`."""
        from app.ui.common import tasks

        def written(value) -> None:
            try:
                if done is not None:
                    done(value)
            finally:
                self._written()

        def not_written(exc: BaseException) -> None:
            try:
                if failed is None:
                    raise exc
                failed(exc)
            finally:
                self._written()

        self._writing = tasks.change(self, fn, written, not_written, apply=self.ctx.apply, controls=controls)

    def _written(self) -> None:
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            self.after_write(then)  # (waits again if another write has started meanwhile)

    # --- entry points ---------------------------------------------------------------------------
    def open(self, scenario_id: str) -> None:
        """From the module's Play button: offer to carry on an unfinished run, else the intro."""
        self._visit += 1  # at once: a write under way from before does not move on from what is opened now
        if self.writing:  # the offer must see the step or the attempt being written
            self.after_write(lambda: self.open(scenario_id))
            return
        self._stop_reading()
        self.recorded = None
        self.filled = self.ctx.placeholder_values()
        self._follow_language(scenario_id)
        offer = pending_offer(self.ctx, scenario_id)
        if offer is not None:
            self.show_offer(offer)
            return
        self.offer = None
        scenario = current_scenario(self.ctx, scenario_id)
        if scenario is None or scenario.has_errors:
            self._cannot_play(scenario_id, scenario)
            return
        self.show_intro(scenario)

    def show_offer(self, offer: ss.ResumeOffer) -> None:
        """ "Carry on where you left off?", or say plainly why that is not possible."""
        if self.writing:
            self.after_write(lambda: self.show_offer(offer))
            return
        self._stop_reading()
        self.recorded = None
        self.filled = self.ctx.placeholder_values()
        self.offer = offer
        self.scenario = offer.scenario
        self.heading.setText(offer.title)
        box = self._screen("offer")
        title = offer.title
        made = ngettext("You had made {n} choice.", "You had made {n} choices.", offer.steps_done).format(
            n=offer.steps_done
        )
        buttons = []
        if offer.kind == ss.RESUME:
            box.addWidget(w.title(_("Carry on where you left off in “{title}”?").format(title=title)))
            box.addWidget(
                w.muted(
                    _(
                        "{choices_made} You can carry on from exactly where you stopped, "
                        "or start again from the beginning."
                    ).format(choices_made=made)
                )
            )
            go = w.button(_("Carry on"), "primary", name=_("Carry on with {title}").format(title=title))
            go.clicked.connect(self.resume)
            again = w.button(_("Start again"), name=_("Start {title} again from the beginning").format(title=title))
            again.clicked.connect(lambda: self.show_intro(offer.scenario))
            buttons = [again, go]
        elif offer.kind == ss.CHANGED:
            box.addWidget(w.title(_("“{title}” has changed since you started it").format(title=title)))
            box.addWidget(
                w.muted(
                    _(
                        "A trainer has edited this role-play since you last played it, so you can't carry on "
                        "from where you stopped. {choices_made} They stay in your record as they were. You can start "
                        "the new version from the beginning."
                    ).format(choices_made=made)
                )
            )
            go = w.button(_("Start the new version"), "primary")
            go.clicked.connect(lambda: self.show_intro(offer.scenario))
            buttons = [go]
        elif offer.kind == ss.GONE:
            box.addWidget(w.title(_("“{title}” is no longer in the training").format(title=title)))
            box.addWidget(
                w.muted(
                    _(
                        "It was removed or renamed, so it can't be carried on. {choices_made} They stay in your record."
                    ).format(choices_made=made)
                )
            )
            ok = w.button(_("OK"), "primary")
            ok.clicked.connect(self._close_gone)
            buttons = [ok]
        else:
            box.addWidget(w.title(_("“{title}” can't be played right now").format(title=title)))
            box.addWidget(
                w.muted(
                    _(
                        "It has a problem that a trainer needs to fix (trainers can see it under “Content "
                        "problems”). {choices_made} They stay in your record."
                    ).format(choices_made=made)
                )
            )
        later = w.button(_("Not now"), name=_("Not now: back to the module"))
        later.clicked.connect(self.leave)
        box.addLayout(w.row(None, later, *buttons))
        (buttons[-1] if buttons else later).setFocus()

    def _close_gone(self) -> None:
        """The attempt of a role-play that is gone is closed off the UI thread, then back to the module
        once it is written (the offer stays on screen, disabled, however long that takes)."""
        progress, offer, visit = self.ctx.training.progress, self.offer, self._visit
        if offer is None or offer.kind != ss.GONE or self.writing:
            return

        def closed(_value) -> None:
            if self.offer is offer:
                self.offer = None
            if self._visit == visit and self.isVisible():  # still waiting on this screen: the trainee
                self.leave()  # who went elsewhere meanwhile stays there

        self._change(
            lambda: progress.close_attempt(offer),
            closed,
            self._record_failed,  # shown, never lost; the attempt stays to be closed next time
            controls=(self.screens["offer"], self.back_button),
        )

    def _cannot_play(self, scenario_id: str, scenario) -> None:
        box = self._screen("notice")
        self.heading.setText(scenario.title if scenario else "")
        box.addWidget(w.title(_("This role-play can't be played right now")))
        why = (
            _(
                "It has a problem that a trainer needs to fix; trainers can see it under “Content problems”. "
                "Please tell your trainer."
            )
            if scenario is not None
            else _("It is no longer in the training content. Please tell your trainer.")
        )
        box.addWidget(w.muted(why))
        ok = w.button(_("Back to the module"), "primary")
        ok.clicked.connect(self.leave)
        box.addLayout(w.row(None, ok))
        ok.setFocus()

    # --- before starting ------------------------------------------------------------------------
    def show_intro(self, scenario) -> None:
        self._stop_reading()
        self.recorded = None
        self.scenario = scenario
        self.filled = self.ctx.placeholder_values()
        self.heading.setText("")
        box = self._screen("intro")
        program = self.ctx.reader_program
        module = program.module(scenario.module) if program else None
        box.addWidget(w.muted(_("Role-play · {module}").format(module=module.title) if module else _("Role-play")))
        box.addWidget(w.title(scenario.title))
        if scenario.summary:
            box.addWidget(_rich(display_html(scenario.summary, self.filled)))
        box.addWidget(w.title(_("What you practise"), "SectionTitle"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        for i, cid in enumerate(scenario.competencies):
            name = program.competency_name(cid) if program else cid
            grid.addWidget(w.Label(f"• {name}"), i, 0)
            mark = scenario.pass_marks.get(cid)
            grid.addWidget(
                w.muted(
                    ngettext("pass mark: {n} point", "pass mark: {n} points", mark).format(n=mark)
                    if mark is not None
                    else _("no pass mark"),
                    wrap=False,
                ),
                i,
                1,
            )
        grid.setColumnStretch(2, 1)
        box.addLayout(grid)
        people = [person(c.name) for c in scenario.characters.values()]
        if people:
            box.addWidget(w.muted(_("You will talk with {people}.").format(people=_and(people))))
        box.addWidget(
            w.muted(
                _("You'll see feedback after each choice.")
                if scenario.feedback == "immediate"
                else _(
                    "You'll find out how you did at the end. Nothing tells you during the conversation, just like in "
                    "real life."
                )
            )
        )
        box.addWidget(w.muted(_("You can leave at any moment: your place is saved, and you can carry on later.")))
        if scenario.content_warning:
            box.addWidget(self._warning(scenario))
        start = w.button(
            _("Start the role-play"), "primary", name=_("Start the role-play {title}").format(title=scenario.title)
        )
        start.clicked.connect(self.start)
        if scenario.content_warning:
            skip = w.button(_("Skip this role-play"), name=_("Skip this role-play and go back to the module"))
            skip.clicked.connect(self.leave)
            box.addLayout(w.row(None, skip, start))
        else:
            back = w.button(_("Back to the module"))
            back.clicked.connect(self.leave)
            box.addLayout(w.row(None, back, start))
        start.setFocus()

    def _warning(self, scenario) -> QWidget:
        panel = w.Label()
        panel.setObjectName("Banner")
        panel.setWordWrap(True)
        panel.setTextFormat(Qt.TextFormat.RichText)
        contacts = "".join(
            "<br>• {line}".format(
                # a phone number kept whole: "0800 376 633" would read backwards in Arabic
                line=_("{label}: <b>{value}</b>").format(
                    label=_(label), value=isolate(html.escape(self.filled.get(key, "")))
                )
            )
            for key, label in SUPPORT_KEYS
        )
        panel.setText(
            _(
                "<b>Before you start</b><br>{warning}<br><br>"
                "If anything here is hard for you, you can skip it, and you can talk to someone:{contacts}"
            ).format(warning=isolate(display_html(scenario.content_warning, self.filled)), contacts=contacts)
        )
        panel.setAccessibleName(_("Content warning and who to talk to"))
        return panel

    # --- the run --------------------------------------------------------------------------------
    def start(self) -> None:
        """A fresh run: the attempt is recorded (off the UI thread, the intro disabled meanwhile)
        before the first node shows."""
        if self.writing:
            return
        scenario, replacing, progress, visit = self.scenario, self.offer, self.ctx.training.progress, self._visit

        def started(recorded) -> None:
            if self._visit != visit:
                return  # left meanwhile: the attempt is offered to carry on next time
            self.recorded = recorded
            self.offer = None
            self._begin_play([(recorded.run.visible_lines(), None)])

        self._change(
            lambda: (progress.start_role_play(scenario, replacing=replacing), PROGRESS),
            started,
            self._record_failed,  # shown, never lost
            controls=(self.screens["intro"], self.back_button),
        )

    def resume(self) -> None:
        """Carry on: read back off the UI thread, since a run that had reached its ending is finished now."""
        if self.writing:
            return
        offer, progress, visit = self.offer, self.ctx.training.progress, self._visit

        def resumed(recorded) -> None:
            if self._visit != visit:
                return  # left meanwhile
            self.recorded = recorded
            self.offer = None
            self.scenario = offer.scenario
            self._begin_play(ss.history(recorded.run))

        def failed(exc: BaseException) -> None:
            if self._visit != visit:
                return
            if isinstance(exc, ss.StaleRunError):
                self.show_offer(
                    ss.classify(offer.attempt, offer.scenario, scenario_versions(self.ctx, offer.attempt.scenario_id))
                )
            elif isinstance(exc, Exception):
                self._record_failed(exc)
            else:
                raise exc

        self._change(
            lambda: (progress.resume_role_play(offer), PROGRESS),
            resumed,
            failed,
            controls=(self.screens["offer"], self.back_button),
        )

    def _begin_play(self, past) -> None:
        self.heading.setText(self.scenario.title)
        self._screen("play")
        self.loop.begin(self.recorded, self.filled, past, past_feedback=self.scenario.feedback == "immediate")

    def _node_shown(self) -> None:
        """After each node's lines and choices: at the end, the way to the results; read it aloud if asked."""
        rec = self.recorded
        if rec.finished:
            if rec.ended_because == "stuck":
                self.view.show_notice(
                    _(
                        "The role-play can't go on from here because of a mistake in it. "
                        "Your choices are saved. Please tell your trainer."
                    )
                )
            self.view.offer_continue(_("See how you did →"), self.show_results)
        self._read_node()

    def _choice_failed(self, exc: Exception) -> None:
        if isinstance(exc, ss.ScenarioGone):
            self._gone_mid_run()
            return
        # The run is unchanged; the trainee may try again.
        self.view.show_notice(
            _(
                "Your choice could not be saved ({error}). Nothing is lost: please choose again. "
                "If this keeps happening, tell your trainer."
            ).format(error=exc)
        )
        self.view.set_choices_enabled(True)

    def _gone_mid_run(self) -> None:
        self._stop_speaking()
        self.view.show_notice(
            _(
                "This role-play has just been removed from the training, so it can't go on. "
                "Your choices so far are saved in your record."
            )
        )
        self.view.offer_continue(_("Back to the module"), self.leave)
        self.recorded = None

    def _content_changed(self, changes) -> None:
        if not changes.touches("content"):
            return
        if self.loop.pending:  # the run is not to be touched while its step is written
            self.loop.after_write(lambda: self._content_changed(changes))
            return
        rec = self.recorded
        if rec is not None and not rec.finished and self.current == "play" and self.ctx.content is not None:
            if self.ctx.content.scenario(rec.scenario.id) is None:
                self._gone_mid_run()  # the run stops on screen at once; its attempt is closed off the UI thread
                self._change(lambda: (rec.end_gone(), PROGRESS)[1])

    def _record_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, Exception):
            raise exc
        box = self._screen("notice")
        box.addWidget(w.title(_("The role-play could not be saved")))
        box.addWidget(
            w.muted(
                _(
                    "Your records could not be written ({error}). Nothing has been lost. "
                    "Try again in a moment; if this keeps happening, tell your trainer."
                ).format(error=exc)
            )
        )
        ok = w.button(_("Back to the module"), "primary")
        ok.clicked.connect(self.leave)
        box.addLayout(w.row(None, ok))

    # --- results --------------------------------------------------------------------------------
    def show_results(self) -> None:
        self._stop_reading()
        rec = self.recorded
        run, scenario = rec.run, rec.scenario
        program = self.ctx.reader_program
        self.ctx.apply(PROGRESS)
        box = self._screen("results")
        self.heading.setText(scenario.title)
        passed = bool(rec.summary and rec.summary.passed)
        verdict = w.title(_("Passed ✓") if passed else _("Not passed yet"))
        colours = theme.current()[0]
        verdict.setStyleSheet(f"color: {colours.success if passed else colours.warning};")
        box.addWidget(verdict)
        if rec.ended_because == "stuck":
            box.addWidget(
                w.muted(_("The role-play stopped early because of a mistake in it. Please tell your trainer."))
            )
        else:
            said = w.plain_label(
                verdict_sentence(
                    scenario,
                    run.outcome,
                    passed,
                    run.scores,
                    (lambda cid: program.competency_name(cid)) if program else (lambda cid: cid),
                )
            )
            said.setAccessibleName(_("How it went"))
            box.addWidget(said)
        box.addWidget(w.title(_("Your scores"), "SectionTitle"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        for col, head in enumerate((_("Competency"), _("Your score"), _("Pass mark"), "")):
            grid.addWidget(w.muted(head, wrap=False), 0, col)
        for i, cid in enumerate(scenario.competencies, 1):
            score = shown_score(run.scores.get(cid, 0))
            mark = scenario.pass_marks.get(cid)
            grid.addWidget(w.Label(program.competency_name(cid) if program else cid), i, 0)
            grid.addWidget(w.Label(str(score)), i, 1)
            grid.addWidget(w.Label("—" if mark is None else str(mark)), i, 2)
            met = w.Label("" if mark is None else (_("✓ met") if score >= mark else _("✗ not yet")))
            met.setStyleSheet(f"color: {colours.success if mark is not None and score >= mark else colours.danger};")
            grid.addWidget(met, i, 3)
        grid.setColumnStretch(4, 1)
        box.addLayout(grid)
        if not passed:
            box.addWidget(
                w.muted(_("Read the feedback below, then try again. Every try is kept, and one pass is enough."))
            )
        box.addWidget(w.title(_("Your conversation, step by step"), "SectionTitle"))
        for k, step in enumerate(run.steps, 1):
            said = w.Label(
                _("<b>{n}. You chose:</b> {choice}").format(n=k, choice=display_html(step.choice_text, self.filled))
            )
            said.setWordWrap(True)
            said.setTextFormat(Qt.TextFormat.RichText)
            box.addWidget(said)
            if step.feedback:
                fb = _rich(display_html(step.feedback, self.filled))
                fb.setObjectName("Banner")
                box.addWidget(fb)
        if not run.steps:
            box.addWidget(w.muted(_("No choices were made.")))
        again = w.button(_("Try again"), name=_("Play {title} again").format(title=scenario.title))
        again.clicked.connect(lambda: self.show_intro(scenario))
        done = w.button(_("Back to the module"), "primary")
        done.clicked.connect(self.leave)
        box.addLayout(w.row(None, again, done))
        done.setFocus()

    # --- leaving --------------------------------------------------------------------------------
    def finish_writing(self, timeout: float = 10.0) -> bool:
        """Block until a step being written is committed (the window is closing); False on timeout."""
        return self.loop.wait(timeout)

    def leave(self) -> None:
        """Back to the module. An unfinished run stays in progress, to carry on later."""
        self._visit += 1  # a start or carry-on still being written does not open the run on return
        self._stop_reading()
        self.back.emit()

    def hideEvent(self, event) -> None:
        self._stop_reading()
        super().hideEvent(event)

    # --- read aloud -----------------------------------------------------------------------------
    def toggle_reading(self) -> None:
        """Read-aloud on or off; while on, each node is read as it comes (Ctrl+R, or the button)."""
        self.read_button.toggle()

    def _follow_language(self, scenario_id: str) -> None:
        """The note when the role-play is not in the reader's language, and a voice for the language it is in."""
        shown = self.ctx.content.scenario(scenario_id, reader_language()) if self.ctx.content is not None else None
        show_untranslated_note(self.untranslated, shown, "role-play")
        self.read_button.language = shown.language if shown is not None else None

    def _read_node(self) -> None:
        """While read-aloud is on, speak the current node's lines, each character in their voice."""
        if not self.read_button.on or self.recorded is None or self.current != "play" or self.loop.pending:
            return  # (while a step is written the run may already be at the next node, not yet shown)
        self.read_button.say_lines([(plain(l.text, self.filled), l.voice) for l in self.recorded.run.visible_lines()])

    def _stop_speaking(self) -> None:
        """Stop the voice (the trainee chose or left); read-aloud stays on for the next node."""
        self.read_button.hush()
        self.view.highlight_line(None)

    def _stop_reading(self) -> None:
        self.read_button.stop()
        self.view.highlight_line(None)


def _rich(html_text: str) -> QLabel:
    label = w.Label(html_text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _and(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return _("{names} and {last}").format(names=_(", ").join(names[:-1]), last=names[-1])
