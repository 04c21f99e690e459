"""The play loop of a role-play, shared by the trainee's player (scenario_page) and the trainers'
play-test (playtest_window): show the node's lines, offer its choices, take a choice, show its
feedback when asked for, then the next node, until the run is over.

The loop drives a ConversationView and plays a *session*: anything with `run` (the engine's
Run), `finished` and `choose(number) -> StepResult`. The trainee's player plays a
scenario.session.RecordedRun, which commits each choice before the next node shows; the
play-test plays an `Unrecorded` run, which records nothing. What differs stays with the screen:
`node_shown()` (the ending, side panels, reading aloud), `feedback_now()`, and what to do when a
choice cannot be taken (`choice_failed(exc)`).

A recorded run's choice is a write that may go to PostgreSQL, so with `background` (a QObject
to own the operation) it runs off the UI thread (app.ui.common.tasks.Operation): the choices are
disabled at once, the reply and the next node show only once the step is committed (a step on
screen is a step recorded, so resuming after a crash lands exactly there), and "Saving…" shows
in the prompt if that takes longer than SAVING_NOTE_MS. One step at a time: no other choice is
taken, and `after_write` waits, while a step is being written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer

from app.core.i18n import _
from app.modules.scenario.text import plain
from app.ui.common import tasks
from app.ui.trainee.conversation_view import ConversationView

SAVING_NOTE_MS = 300  # a write quicker than this shows no "Saving…"


class Unrecorded:
    """A run played without records (the play-test), with the face of a RecordedRun."""

    def __init__(self, run):
        self.run = run

    @property
    def finished(self) -> bool:
        return self.run.finished

    def choose(self, number: int):
        return self.run.choose(number)


class PlayLoop:
    def __init__(
        self,
        view: ConversationView,
        *,
        node_shown: Callable[[], None],
        feedback_now: Callable[[], bool],
        before_choice: Callable[[], None] | None = None,
        chosen: Callable[[object], None] | None = None,
        choice_failed: Callable[[Exception], None] | None = None,
        background: QObject | None = None,
    ):
        self.view = view
        self.background = background
        self.writing: tasks.Operation | None = None  # the step being written, if any
        self._waiting: list[Callable[[], None]] = []  # what runs once it is written
        self.node_shown = node_shown
        self.feedback_now = feedback_now
        self.before_choice = before_choice
        self.chosen = chosen
        self.choice_failed = choice_failed
        self.session = None
        self.filled: dict[str, str] = {}
        view.chose.connect(self._chose)

    def begin(self, session, filled: dict[str, str], past: Iterable = (), past_feedback: bool = False) -> None:
        """Play `session` from where it is; `past` ((lines, step) per node, scenario.session.history)
        is shown first, with each step's feedback when `past_feedback`."""
        self.session, self.filled = session, filled
        view = self.view
        view.clear()
        for lines, step in past:
            view.add_lines(lines, filled)
            if step is not None:
                view.add_reply(step.choice_text, filled)
                if past_feedback and step.feedback:
                    view.add_feedback(step.feedback, filled)
        self._after_lines()

    def show_node(self) -> None:
        """The current node's lines, then its choices."""
        self.view.add_lines(self.session.run.visible_lines(), self.filled)
        self._after_lines()

    def offer_choices(self) -> int:
        """Offer the current node's choices (as its conditions now allow); how many there are."""
        offered = self.session.run.offered_choices()
        self.view.set_choices([(k, plain(c.text, self.filled)) for k, (_i, c) in enumerate(offered, 1)])
        return len(offered)

    def end(self) -> None:
        """Nothing more is played (the run is gone, or the screen is left)."""
        self.session = None

    def _after_lines(self) -> None:
        if not self.session.finished:
            self.offer_choices()
        self.node_shown()

    @property
    def pending(self) -> bool:
        """A step is being written."""
        return self.writing is not None

    def after_write(self, then: Callable[[], None]) -> None:
        """`then()` now, or once the step being written is written (or has failed)."""
        if self.writing is None:
            then()
        else:
            self._waiting.append(then)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the step being written is written or has failed (the window is closing)."""
        return self.writing is None or self.writing.wait(timeout)

    def _chose(self, number: int) -> None:
        session = self.session
        if session is None or session.finished or self.writing is not None:
            return
        if self.before_choice is not None:
            self.before_choice()
        self.view.set_choices_enabled(False)
        if self.background is None:
            try:
                step = session.choose(number)
            except Exception as exc:
                self._not_taken(exc)
                return
            self._taken(session, step)
            return
        operation = tasks.Operation(
            self.background,
            lambda _work: session.choose(number),
            on_success=lambda step: self._written(operation, session, number, step),
            on_failure=lambda exc: self._written(operation, session, number, None, exc),
        )
        self.writing = operation
        QTimer.singleShot(SAVING_NOTE_MS, self.view, lambda: self._slow(operation))
        operation.run()

    def _slow(self, operation: tasks.Operation) -> None:
        if self.writing is operation:
            self.view.show_saving(True)

    def _written(self, operation, session, number: int, step, exc: BaseException | None = None) -> None:
        if self.writing is not operation:
            return
        self.writing = None
        self.view.show_saving(False)
        if session is self.session:  # still the run on screen
            if exc is None:
                self._taken(session, step)
            elif isinstance(exc, Exception):
                self._not_taken(exc)
                self.view.focus_choice(number)
            else:
                raise exc
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            then()

    def _not_taken(self, exc: Exception) -> None:
        if self.choice_failed is None:
            raise exc
        self.choice_failed(exc)

    def _taken(self, session, step) -> None:
        if self.chosen is not None:
            self.chosen(step)
        self.view.add_reply(step.choice_text, self.filled)
        if self.feedback_now() and step.feedback:
            label = _("See what happens →") if not session.run.finished else _("Continue →")
            self.view.show_feedback(step.feedback, self.filled, label, self.show_node)
        else:
            self.show_node()
