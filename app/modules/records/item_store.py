"""Each trainee's first attempt at a knowledge check or a role-play, without who made it.

The raw rows behind the item statistics (app/modules/item_statistics.py). Only trainees'
attempts count (a trainer trying a check is not a trainee), only the first attempt of each
trainee, and nothing that names or identifies a trainee leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from .models import TRAINEE, Profile, QuizAnswer, QuizAttempt, ScenarioAttempt, ScenarioStep

if TYPE_CHECKING:
    from .database import Database

_CHUNK = 500  # ids per IN (...) query: SQLite allows at most 999 parameters in older builds


@dataclass(frozen=True, slots=True)
class FirstQuizAttempt:
    content_hash: str
    answers: dict[int, tuple[Any, bool, str]]  # question index -> (what was given, right?, the question's text)


@dataclass(frozen=True, slots=True)
class FirstRolePlay:
    content_hash: str
    steps: tuple[tuple[str, int, str | None], ...]  # (node id, index of the choice in its node, its text), in order


def _firsts(rows) -> list:
    """The earliest attempt of each trainee (rows come ordered by start time)."""
    seen: dict[str, object] = {}
    for profile_id, attempt in rows:
        seen.setdefault(profile_id, attempt)
    return list(seen.values())


def _chunks(ids: list[str]):
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def first_quiz_attempts(db: Database, module_id: str, lesson_id: str) -> list[FirstQuizAttempt]:
    with db.session() as s:
        rows = s.execute(
            select(QuizAttempt.profile_id, QuizAttempt)
            .join(Profile, Profile.id == QuizAttempt.profile_id)
            .where(QuizAttempt.module_id == module_id, QuizAttempt.lesson_id == lesson_id, Profile.role == TRAINEE)
            .order_by(QuizAttempt.started_at, QuizAttempt.created_at, QuizAttempt.id)
        ).all()
        firsts = _firsts(rows)
        answers: dict[str, dict[int, tuple[Any, bool, str]]] = {a.id: {} for a in firsts}
        for chunk in _chunks(list(answers)):
            for ans in s.scalars(select(QuizAnswer).where(QuizAnswer.attempt_id.in_(chunk))):
                answers[ans.attempt_id][ans.question_index] = (ans.given, bool(ans.correct), ans.question_text)
        return [FirstQuizAttempt(a.content_hash, answers[a.id]) for a in firsts]


def first_role_plays(db: Database, scenario_id: str) -> list[FirstRolePlay]:
    with db.session() as s:
        rows = s.execute(
            select(ScenarioAttempt.profile_id, ScenarioAttempt)
            .join(Profile, Profile.id == ScenarioAttempt.profile_id)
            .where(ScenarioAttempt.scenario_id == scenario_id, Profile.role == TRAINEE)
            .order_by(ScenarioAttempt.started_at, ScenarioAttempt.created_at, ScenarioAttempt.id)
        ).all()
        firsts = _firsts(rows)
        steps: dict[str, list[tuple[str, int, str | None]]] = {a.id: [] for a in firsts}
        for chunk in _chunks(list(steps)):
            for step in s.scalars(
                select(ScenarioStep)
                .where(ScenarioStep.attempt_id.in_(chunk), ScenarioStep.choice_index.is_not(None))
                .order_by(ScenarioStep.attempt_id, ScenarioStep.seq)
            ):
                steps[step.attempt_id].append((step.node_id, int(step.choice_index), step.choice_text))
        return [FirstRolePlay(a.content_hash, tuple(steps[a.id])) for a in firsts]
