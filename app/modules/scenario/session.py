"""A trainee's recorded role-play: start, choose, finish and resume, against the records.

The player and the crash test drive runs only through here, so what the crash test proves
(every acknowledged step is on disk; resume lands where the last recorded step left off) is
what the program does. `RecordedRun.choose` returns only once the step and the run's new
state are committed in their own transaction: the caller shows the next node after that.

A finished run is recorded in a second transaction. If the program dies between the two,
the attempt is still "in progress" with its state at the ending; resuming it finishes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import TrainingError
from app.modules.records import progress_store
from app.modules.records.progress_store import ScenarioAttemptSummary

from ...core.i18n import _
from . import Line, Run, RunError, Scenario, StaleRunError, StepResult
from .translation import structure_key

# What can be done with an unfinished attempt (ResumeOffer.kind).
# RESUME: same file as when it started, or the same role-play in another language whose structure is the
# started version's (a translation is held to its source's structure, and the started version is unchanged):
# carry on at the last recorded step, in the reader's language.
RESUME = "resume"
CHANGED = "changed"  # the file was edited since: a fresh start only, the old record kept as it was
BROKEN = "broken"  # the file now has errors: not playable until a trainer fixes it
GONE = "gone"  # the file (or its id) is no longer in the content folder


class ScenarioGone(TrainingError):
    """The scenario's file disappeared during the run; the run was ended and kept as it was."""


@dataclass(frozen=True, slots=True)
class ResumeOffer:
    attempt: ScenarioAttemptSummary
    scenario: Scenario | None  # the current version of the file, None when it is gone
    kind: str
    steps_done: int
    # The version the attempt started on, when it is another language's file than `scenario` (unchanged
    # since, with the same structure): the run carries on in `scenario`'s language.
    started: Scenario | None = None

    @property
    def title(self) -> str:
        if self.scenario is not None:
            return self.scenario.title
        return self.attempt.scenario_id.replace("-", " ").capitalize()


def reload_scenario(scenario: Scenario, program) -> Scenario | None:
    """The scenario as its file is now (re-read, so an edit since the content loaded is seen).

    None when the file is gone, unreadable or now holds another scenario id.
    """
    from ..translations import is_translation
    from . import load_scenario

    path = scenario.path
    if path is None or not Path(path).is_file():
        return None
    if getattr(scenario, "language", "en") != "en" or is_translation(Path(path)):
        from .loader import load_translation  # checked against its source again, and its language kept

        fresh, _findings = load_translation(Path(path), program, scenario.shown or None)
    else:
        fresh, _findings = load_scenario(Path(path), program, scenario.shown or None)
    if fresh is None or fresh.id != scenario.id:
        return None
    return fresh


Versions = Callable[[str], list[Scenario]]  # scenario id -> its files in every language, as they are now


def started_version(
    attempt: ScenarioAttemptSummary, scenario: Scenario, versions: Iterable[Scenario] = ()
) -> Scenario | None:
    """The version (in another language) the attempt started on, when the run can carry on in ``scenario``:
    that file is unchanged since (its hash is the attempt's) and has ``scenario``'s structure. Else None."""
    key = None
    for version in versions:
        if version is None or version.has_errors or version.content_hash != attempt.content_hash:
            continue
        if version.id != scenario.id:
            continue
        key = key or structure_key(scenario)
        if structure_key(version) == key:
            return version
    return None


def may_carry_on(attempt: ScenarioAttemptSummary, scenario: Scenario, started: Scenario | None = None) -> bool:
    """The saved run fits ``scenario``: the same file as it started on, or ``started`` (the unchanged
    file of another language it started on) has the same structure."""
    if scenario.content_hash == attempt.content_hash:
        return True
    return (
        started is not None
        and not started.has_errors
        and started.content_hash == attempt.content_hash
        and started.id == scenario.id
        and structure_key(started) == structure_key(scenario)
    )


def classify(
    attempt: ScenarioAttemptSummary, scenario: Scenario | None, versions: Iterable[Scenario] | None = None
) -> ResumeOffer:
    """What can be done with an unfinished attempt. `versions`: the role-play's files in other languages
    as they are now, so that a run started in one language carries on in another (same structure)."""
    steps = len(attempt.state.get("steps", [])) if isinstance(attempt.state, dict) else 0
    started = None
    if scenario is None:
        kind = GONE
    elif scenario.has_errors:
        kind = BROKEN
    elif scenario.content_hash == attempt.content_hash:
        kind = RESUME
    else:
        started = started_version(attempt, scenario, versions or ())
        kind = RESUME if started is not None else CHANGED
    return ResumeOffer(attempt, scenario, kind, steps, started)


def resume_offers(
    db, profile_id: str, find: Callable[[str], Scenario | None], versions: Versions | None = None
) -> list[ResumeOffer]:
    """Every unfinished run of a trainee, the most recently played first.

    `find(scenario_id)` gives the current version of a scenario (in the reader's language), or None when it
    is gone; `versions(scenario_id)`, its files in every language as they are now (asked only when the
    attempt started on another file than `find`'s).
    """
    out = []
    for a in progress_store.unfinished_attempts(db, profile_id):
        scenario = find(a.scenario_id)
        others = (
            versions(a.scenario_id)
            if versions is not None and scenario is not None and scenario.content_hash != a.content_hash
            else ()
        )
        out.append(classify(a, scenario, others))
    return out


def saved_run(attempt: ScenarioAttemptSummary, scenario: Scenario, started: Scenario | None = None) -> Run:
    """The run as its last recorded step left it (reads only; StaleRunError if the file changed).

    A run saved in another language (``started``, or steps taken since in another language) carries on
    in ``scenario``'s when the structure is the same (may_carry_on): node ids, values and scores are."""
    state = attempt.state
    if isinstance(state, dict) and may_carry_on(attempt, scenario, started):
        state = {**state, "content_hash": scenario.content_hash}
    return Run.from_json(scenario, state)


def start_again(db, offer: ResumeOffer) -> None:
    """Close an unfinished attempt before a fresh start; its steps stay as they were."""
    progress_store.set_attempt_status(db, offer.attempt.id, "abandoned" if offer.kind == RESUME else "stale")


class RecordedRun:
    """A run whose every step is committed before the next node is shown."""

    def __init__(self, db, attempt_id: str, run: Run):
        self.db = db
        self.attempt_id = attempt_id
        self.run = run
        self.summary: ScenarioAttemptSummary | None = None  # set once the attempt is finished
        self.ended_because: str | None = None  # "stuck" or "gone" when it ended without an ending

    @property
    def scenario(self) -> Scenario:
        return self.run.scenario

    @classmethod
    def start(cls, db, profile_id: str, scenario: Scenario) -> RecordedRun:
        """A new attempt, saved before the first node is shown. RunError if the scenario has errors."""
        run = Run.start(scenario)
        attempt_id = progress_store.start_scenario_attempt(
            db, profile_id, scenario.id, scenario.content_hash, run.to_json()
        )
        recorded = cls(db, attempt_id, run)
        recorded._finish_if_over()
        return recorded

    @classmethod
    def resume(
        cls, db, attempt: ScenarioAttemptSummary, scenario: Scenario, started: Scenario | None = None
    ) -> RecordedRun:
        """Carry on at the node and with the values of the last recorded step.

        StaleRunError when the file changed since; a run that had reached its ending (the
        program stopped before recording the result) is finished now. ``started``: the unchanged file
        in another language the attempt started on (ResumeOffer.started); the run carries on in
        ``scenario``'s language when their structure is the same.
        """
        if not may_carry_on(attempt, scenario, started):
            raise StaleRunError(_("the role-play has changed since this attempt started"))
        recorded = cls(db, attempt.id, saved_run(attempt, scenario, started))
        recorded._finish_if_over()
        return recorded

    @property
    def finished(self) -> bool:
        return self.summary is not None

    def choose(self, n: int) -> StepResult:
        """Take the n-th offered choice (1-based) and commit it; the run is unchanged if saving fails."""
        if self.finished:
            raise RunError(_("this run is over"))
        scenario = self.run.scenario
        if scenario.path is not None and not Path(scenario.path).is_file():
            self.end_gone()
            raise ScenarioGone(_("the file of {title!r} is no longer there").format(title=scenario.title))
        before = self.run.to_json()
        step = self.run.choose(n)
        try:
            progress_store.record_step(
                self.db,
                self.attempt_id,
                len(self.run.steps),
                step.from_node,
                step.choice_index,
                step.choice_text,
                step.to_node,
                [list(e) for e in step.effects],
                self.run.to_json(),
            )
        except BaseException:
            self.run = Run.from_json(scenario, before)  # nothing happened: the trainee may choose again
            raise
        self._finish_if_over()
        return step

    def _finish_if_over(self) -> None:
        run = self.run
        if run.finished:
            self.summary = progress_store.finish_scenario_attempt(
                self.db, self.attempt_id, run.ending, run.outcome, run.passed, dict(run.scores), run.to_json()
            )
        elif run.stuck:  # every choice hidden by its condition: a content mistake, not the trainee's
            self.ended_because = "stuck"
            self.summary = progress_store.finish_scenario_attempt(
                self.db, self.attempt_id, None, None, False, dict(run.scores), run.to_json()
            )

    def end_gone(self) -> None:
        """The file disappeared mid-run: end the attempt as stale, keeping every recorded step."""
        self.ended_because = "gone"
        try:
            progress_store.set_attempt_status(self.db, self.attempt_id, "stale")
        except progress_store.RecordError:
            pass  # already closed: nothing to do


def history(run: Run) -> list[tuple[list[Line], StepResult | None]]:
    """The conversation so far, node by node: (lines shown at the node, the step taken from it).

    Replays the recorded choices on a fresh run, so conditional lines show as they did at the
    time. If the replay cannot follow the record, only the current node is given.
    """
    try:
        replay = Run.start(run.scenario, at=run.started_at)
        out: list[tuple[list[Line], StepResult | None]] = []
        for step in run.steps:
            lines = replay.visible_lines()
            numbers = [k for k, (index, _c) in enumerate(replay.offered_choices(), 1) if index == step.choice_index]
            if replay.node_id != step.from_node or not numbers:
                raise RunError(_("the replay left the recorded path"))
            replay.choose(numbers[0])
            out.append((lines, step))
        out.append((replay.visible_lines(), None))
        if replay.node_id != run.node_id:
            raise RunError(_("the replay ended elsewhere"))
        return out
    except RunError:
        return [(run.visible_lines(), None)]
