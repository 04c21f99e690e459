"""A seeded school for what comes after the certificate: 30 trainees over a school year, some
certified, built through the real record stores (no rows written by hand)."""

from __future__ import annotations

from cohort_helpers import school, trainee

from app.modules.records import certificate_store

GROUPS = ("9A", "9B", "10A")


def _sign(number, issued_at):
    return {"number": number, "issued": issued_at.isoformat()}, "c2lnbmF0dXJl"


def seeded_school(db, size: int = 30, certified: int = 12, once=None) -> tuple[str, str, list[str]]:
    """(coordinator id, trainer id, trainee ids); the first `certified` trainees hold a certificate.

    With `once` (the seeded_once fixture) the school is built once per run and copied into `db`."""
    if once is not None:
        key = f"after_certificate_school.seeded_school({size}, {certified})"
        return once.into(db, key, lambda fresh: seeded_school(fresh, size, certified))
    coord, trainer = school(db)
    ids = [trainee(db, f"Helper {n:02d}", GROUPS[n % len(GROUPS)], coord) for n in range(size)]
    for n, tid in enumerate(ids[:certified]):
        certificate_store.issue(db, tid, f"Helper {n:02d}", coord, _sign)
    return coord, trainer, ids


def right_answer(step) -> list[int]:
    """A right answer to a refresher step: a question's right options, or a moment's best reply."""
    from app.modules.refreshers import Moment

    if isinstance(step, Moment):
        return [min(step.best)]
    return sorted(step.question.correct_indexes)


def wrong_answer(step) -> list[int]:
    """A wrong answer to a refresher step: one wrong option, or a reply the scenario scores lower."""
    from app.modules.refreshers import Moment

    if isinstance(step, Moment):
        return [next(i for i in range(len(step.choices)) if i not in step.best)]
    return [i for i in range(len(step.question.options)) if i not in step.question.correct_indexes][:1]
