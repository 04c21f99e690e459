"""Evaluation: trainees' confidence in each competency (before, after, at renewal), and the
end-of-course survey, whose answers are stored WITHOUT the trainee's id and read only in aggregate
where at least MIN_ANSWERS exist (small groups identify people).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from app.core.errors import PermissionDenied, TrainingError
from app.core.i18n import _

from . import rights
from .models import CONFIDENCE_MOMENTS, TRAINEE, ConfidenceRating, Profile, SurveyAnswer, utcnow

if TYPE_CHECKING:
    from .database import Database

MIN_ANSWERS = 5
COMMENT_MAX = 500
ANSWERED_KEY = "survey_answered"  # in the trainee's preferences: asked once, never twice


class EvaluationError(TrainingError):
    """An answer that cannot be recorded as given."""


def _rating(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise EvaluationError(_("Choose a rating from 1 to 5."))
    return value


def rate_confidence(db: Database, actor_id: str | None, moment: str, ratings: dict[str, int], known: set[str]) -> int:
    """The signed-in trainee's own ratings for one moment; `known`: the programme's competency ids."""
    if moment not in CONFIDENCE_MOMENTS:
        raise EvaluationError(_("This is not a moment the program asks about."))
    if not ratings or len(ratings) > len(known) or any(cid not in known for cid in ratings):
        raise EvaluationError(_("Rate the skills the programme lists."))
    values = {cid: _rating(v) for cid, v in ratings.items()}
    with db.session() as session:
        actor = rights.require(session, actor_id, rights.Right.RECORD_OWN_PROGRESS, subject_id=actor_id)
        now = utcnow()
        for cid, value in values.items():
            row = session.scalar(
                select(ConfidenceRating).where(
                    ConfidenceRating.profile_id == actor.id,
                    ConfidenceRating.moment == moment,
                    ConfidenceRating.competency_id == cid,
                )
            )
            if row is None:
                session.add(
                    ConfidenceRating(profile_id=actor.id, moment=moment, competency_id=cid, rating=value, rated_at=now)
                )
            else:
                row.rating, row.rated_at = value, now
        return len(values)


def own_moments(db: Database, profile_id: str) -> set[str]:
    """The moments the trainee has already rated."""
    with db.session() as session:
        query = select(ConfidenceRating.moment).where(ConfidenceRating.profile_id == profile_id).distinct()
        return set(session.scalars(query))


def confidence(db: Database, actor_id: str | None) -> dict[str, dict[str, list[int]]]:
    """moment -> competency id -> ratings, for staff (no names: the report shows averages only)."""
    out: dict[str, dict[str, list[int]]] = {m: {} for m in CONFIDENCE_MOMENTS}
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.VIEW_COHORT)
        query = select(ConfidenceRating.moment, ConfidenceRating.competency_id, ConfidenceRating.rating)
        for moment, cid, rating in session.execute(query):
            out[moment].setdefault(cid, []).append(rating)
    return out


def clean_comment(text: object) -> str | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise EvaluationError(_("The comment must be text."))
    text = "".join(c if unicodedata.category(c)[0] != "C" or c == "\n" else " " for c in text)
    text = " ".join(text.split())
    if len(text) > COMMENT_MAX:
        raise EvaluationError(
            _("Keep the comment under {limit} characters ({n} now).").format(limit=COMMENT_MAX, n=len(text))
        )
    return text or None


def answer_survey(
    db: Database, actor_id: str | None, ratings: dict[str, int], comment: str | None, items: set[str]
) -> None:
    """A trainee's one survey answer, stored without their id; their profile notes only that they answered."""
    if not ratings or any(k not in items for k in ratings):
        raise EvaluationError(_("Answer the questions the survey asks."))
    values = {k: _rating(v) for k, v in ratings.items()}
    text = clean_comment(comment)
    with db.session() as session:
        actor = rights.require(session, actor_id, rights.Right.RECORD_OWN_PROGRESS, subject_id=actor_id)
        if actor.role != TRAINEE:
            raise PermissionDenied(_("The feedback survey is for trainees."))
        preferences = dict(actor.preferences or {})
        if preferences.get(ANSWERED_KEY):
            raise EvaluationError(_("You have already answered the feedback survey. Thank you!"))
        session.add(SurveyAnswer(month=utcnow().strftime("%Y-%m"), ratings=values, comment=text))
        preferences[ANSWERED_KEY] = True
        session.get(Profile, actor.id).preferences = preferences


def has_answered(db: Database, profile_id: str) -> bool:
    with db.session() as session:
        p = session.get(Profile, profile_id)
        return bool(p is not None and (p.preferences or {}).get(ANSWERED_KEY))


def survey_results(db: Database, actor_id: str | None) -> list[tuple[dict[str, int], str]]:
    """Every answer as (ratings, comment) for staff, or [] while fewer than MIN_ANSWERS exist."""
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.VIEW_COHORT)
        if (session.scalar(select(func.count()).select_from(SurveyAnswer)) or 0) < MIN_ANSWERS:
            return []
        return [(dict(r), c or "") for r, c in session.execute(select(SurveyAnswer.ratings, SurveyAnswer.comment))]


def survey_count(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(SurveyAnswer)) or 0)
