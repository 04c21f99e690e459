"""Progress: the actor's own lessons, checks and role-plays, and (for staff) anyone's record."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from app.core.i18n import _
from app.modules.cohort import TraineeSummary, summaries
from app.modules.competency import TraineeRecord
from app.modules.records import cohort_store, progress_store
from app.modules.records.progress_store import (
    AnswerRecord,
    LessonProgress,
    QuizAttemptSummary,
    ScenarioAttemptSummary,
    SignOffRecord,
    StepRecord,
)
from app.modules.records.rights import Right
from app.modules.scenario import Scenario
from app.modules.scenario import session as ss
from app.modules.trainee_record import trainee_record

from .changes import PROGRESS, Changes
from .training import Part


class Progress(Part):
    # --- whose records may be read ------------------------------------------------------
    def _may_read(self, profile_id: str) -> None:
        if profile_id != self.actor.id:
            self.training.require(Right.VIEW_COHORT)

    # --- the actor's own work -----------------------------------------------------------
    def save_lesson_position(
        self, module_id: str, lesson_id: str, position: float, completed: bool
    ) -> tuple[LessonProgress, Changes]:
        saved = progress_store.save_lesson_position(self.db, self.actor.id, module_id, lesson_id, position, completed)
        return saved, PROGRESS

    def record_check(
        self,
        module_id: str,
        lesson_id: str,
        content_hash: str,
        started_at: datetime,
        answers: list[AnswerRecord],
        pass_mark: float,
    ) -> tuple[QuizAttemptSummary, Changes]:
        summary = progress_store.record_quiz_attempt(
            self.db, self.actor.id, module_id, lesson_id, content_hash, started_at, answers, pass_mark
        )
        return summary, PROGRESS

    def resume_offers(
        self, find: Callable[[str], Scenario | None], versions: ss.Versions | None = None
    ) -> list[ss.ResumeOffer]:
        """The actor's unfinished role-plays; `versions` lets a run started in another language carry on."""
        return ss.resume_offers(self.db, self.actor.id, find, versions)

    def start_role_play(self, scenario: Scenario, replacing: ss.ResumeOffer | None = None) -> ss.RecordedRun:
        """A new recorded attempt; an unfinished one it replaces is closed first, its steps kept."""
        if replacing is not None:
            self.close_attempt(replacing)
        return ss.RecordedRun.start(self.db, self.actor.id, scenario)

    def resume_role_play(self, offer: ss.ResumeOffer) -> ss.RecordedRun:
        if offer.attempt.profile_id != self.actor.id:
            raise progress_store.RecordError(_("This role-play belongs to someone else."))
        return ss.RecordedRun.resume(self.db, offer.attempt, offer.scenario, offer.started)

    def close_attempt(self, offer: ss.ResumeOffer) -> Changes:
        if offer.attempt.profile_id != self.actor.id:
            raise progress_store.RecordError(_("This role-play belongs to someone else."))
        ss.start_again(self.db, offer)
        return PROGRESS

    # --- reading a record (your own, or anyone's for staff) -----------------------------
    def record_of(self, profile_id: str | None = None) -> TraineeRecord:
        pid = profile_id or self.actor.id
        self._may_read(pid)
        return trainee_record(self.db, pid)

    def has_started(self, profile_id: str | None = None) -> bool:
        """Any lesson opened, check tried or role-play started (what record_of() would show, cheaply)."""
        pid = profile_id or self.actor.id
        self._may_read(pid)
        return progress_store.has_started(self.db, pid)

    def lesson_progress(self, profile_id: str | None = None) -> dict[tuple[str, str], LessonProgress]:
        pid = profile_id or self.actor.id
        self._may_read(pid)
        return progress_store.lesson_progress(self.db, pid)

    def check_attempts(self, profile_id: str | None = None) -> list[QuizAttemptSummary]:
        pid = profile_id or self.actor.id
        self._may_read(pid)
        return progress_store.quiz_attempts(self.db, pid)

    def role_play_attempts(self, profile_id: str | None = None) -> list[ScenarioAttemptSummary]:
        pid = profile_id or self.actor.id
        self._may_read(pid)
        return progress_store.scenario_attempts(self.db, pid)

    def unfinished_role_plays(self) -> list[ScenarioAttemptSummary]:
        return progress_store.unfinished_attempts(self.db, self.actor.id)

    def steps(self, attempt: ScenarioAttemptSummary) -> list[StepRecord]:
        self._may_read(attempt.profile_id)
        return progress_store.attempt_steps(self.db, attempt.id)

    def sign_offs_of(self, profile_id: str, include_withdrawn: bool = False) -> list[SignOffRecord]:
        self._may_read(profile_id)
        return progress_store.sign_offs(self.db, profile_id, include_withdrawn=include_withdrawn)

    # --- the cohort (staff) -------------------------------------------------------------
    def groups(self) -> list[str]:
        self.training.require(Right.VIEW_COHORT)
        return cohort_store.groups(self.db)

    def roster(self, group: str | None = None, *, ungrouped: bool = False) -> list[cohort_store.RosterEntry]:
        self.training.require(Right.VIEW_COHORT)
        return cohort_store.roster(self.db, group, ungrouped=ungrouped)

    def summaries(
        self, entries: Sequence[cohort_store.RosterEntry], language: str | None = None
    ) -> list[TraineeSummary]:
        """Each trainee's readiness; with a `language`, module titles in it where program.yaml is translated."""
        self.training.require(Right.VIEW_COHORT)
        content = self.content
        program = content.program.in_language(language) if content.program is not None else None
        return summaries(self.db, program, content.all_module_contents(), entries)

    def summary_of(self, profile_id: str, language: str | None = None) -> TraineeSummary | None:
        entry = next((e for e in self.roster() if e.id == profile_id), None)
        return self.summaries([entry], language)[0] if entry is not None else None

    # --- how trainees answered (anonymous, first attempts; for trainers) ------------------
    def check_statistics(self, lesson):
        from app.modules import item_statistics

        self.training.require(Right.VIEW_COHORT)
        return item_statistics.lesson_statistics(self.db, lesson)

    def role_play_statistics(self, scenario):
        from app.modules import item_statistics

        self.training.require(Right.VIEW_COHORT)
        return item_statistics.scenario_statistics(self.db, scenario)

    def names(self, ids) -> dict[str, str]:
        self.training.require(Right.VIEW_COHORT)
        return cohort_store.names(self.db, ids)
