"""A seeded school for what comes after the certificate: 30 trainees over a school year, some
certified, built through the real record stores (no rows written by hand)."""

from __future__ import annotations

from cohort_helpers import school, trainee

from app.modules.records import certificate_store

GROUPS = ("9A", "9B", "10A")


def _sign(number, issued_at):
    return {"number": number, "issued": issued_at.isoformat()}, "c2lnbmF0dXJl"


def seeded_school(db, size: int = 30, certified: int = 12) -> tuple[str, str, list[str]]:
    """(coordinator id, trainer id, trainee ids); the first `certified` trainees hold a certificate."""
    coord, trainer = school(db)
    ids = [trainee(db, f"Helper {n:02d}", GROUPS[n % len(GROUPS)], coord) for n in range(size)]
    for n, tid in enumerate(ids[:certified]):
        certificate_store.issue(db, tid, f"Helper {n:02d}", coord, _sign)
    return coord, trainer, ids
