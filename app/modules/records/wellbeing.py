"""Who is asked about their own wellbeing: the school sets an age, staff tick who is younger.

Issue 17: "Trainees younger than an age the school sets are asked nothing about their own
wellbeing beyond confidence in the skills." The least data that serves: no date or year of birth
anywhere, only the school's age (a setting, AGE_KEY; none by default, so everyone is asked, as
before) and, per trainee, a yes/no that a coordinator ticks: younger than that age (YOUNGER_KEY in
the profile's preferences, which a trainee cannot change for themself).

What counts as their own wellbeing: in a support check-in, how heavy it felt and whether they want
to talk it over. Not: the kind of support and whether an adult came in (about what they did), the
confidence self-ratings (about the skills, allowed), and the end-of-course survey (about the course).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import TrainingError
from app.core.i18n import _

from . import audit, rights
from .models import TRAINEE, Profile, Setting

if TYPE_CHECKING:
    from .database import Database

AGE_KEY = "wellbeing.min_age"  # school_settings.WELLBEING_AGE_KEY (records import no domain module)
YOUNGER_KEY = "younger_than_wellbeing_age"  # in a trainee's preferences, set by a coordinator
AGE_MIN, AGE_MAX = 8, 21  # an age outside these is no age the setting can mean
MAX_AT_ONCE = 2000  # a whole school, not an unbounded list


class WellbeingError(TrainingError):
    """A wellbeing answer or setting that cannot be taken as given."""


def parse_age(value: object) -> int:
    """The school's age as stored; 0 (no age: everyone is asked) for anything else."""
    if isinstance(value, bool) or not isinstance(value, int):
        return 0
    return value if AGE_MIN <= value <= AGE_MAX else 0


def school_age(session: Session) -> int:
    found = session.get(Setting, AGE_KEY)
    return parse_age(found.value if found is not None else None)


def is_younger(profile: Profile) -> bool:
    return (profile.preferences or {}).get(YOUNGER_KEY) is True


def asked_in(session: Session, profile: Profile) -> bool:
    """Whether this person may be asked about their own wellbeing, inside a caller's transaction."""
    return not (is_younger(profile) and school_age(session))


def asked(db: Database, profile_id: str) -> bool:
    with db.session() as session:
        profile = session.get(Profile, profile_id)
        return profile is None or asked_in(session, profile)


def younger_ids(db: Database, profile_ids: Iterable[str]) -> set[str]:
    """Of these people, those ticked as younger than the school's age (whether an age is set or not)."""
    ids = list(profile_ids)
    with db.session() as session:
        rows = session.scalars(select(Profile).where(Profile.id.in_(ids))) if ids else []
        return {p.id for p in rows if is_younger(p)}


def set_younger(db: Database, actor_id: str | None, profile_ids: Iterable[str], younger: bool) -> int:
    """A coordinator ticks (or unticks) trainees as younger than the school's age; how many changed.

    One person or a whole class at once; only trainees (staff are never asked these questions
    anyway). Audited without names, as every change to a profile is.
    """
    if not isinstance(younger, bool):
        raise WellbeingError(_("Say yes or no."))
    ids = [i for i in profile_ids if isinstance(i, str)][: MAX_AT_ONCE + 1]
    if len(ids) > MAX_AT_ONCE:
        raise WellbeingError(_("Too many people at once: at most {n}.").format(n=MAX_AT_ONCE))
    changed = 0
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.MANAGE_PEOPLE)
        for profile in session.scalars(select(Profile).where(Profile.id.in_(ids))) if ids else []:
            if profile.role != TRAINEE or is_younger(profile) == younger:
                continue
            prefs = dict(profile.preferences or {})
            if younger:
                prefs[YOUNGER_KEY] = True
            else:
                prefs.pop(YOUNGER_KEY, None)
            profile.preferences = prefs  # a new dict: JSON columns do not see in-place edits
            audit.record(session, actor_id, "update", "profile", profile.id, {"preferences": [YOUNGER_KEY]})
            changed += 1
    return changed
