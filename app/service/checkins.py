"""Support check-ins: a certified helper logs that they supported someone; staff see who asked
for a debrief and who had a heavy week. Never who was helped (records/checkin_store.py)."""

from __future__ import annotations

from datetime import date

from app.modules.records import checkin_store, wellbeing
from app.modules.records.checkin_store import CheckIn, HelperWeek

from .changes import NOTHING, PROGRESS, Changes
from .training import Part


class CheckIns(Part):
    def log(
        self,
        kind: str,
        adult_involved: bool,
        weight: int | None,
        wants_debrief: bool | None,
        today: date | None = None,
    ) -> tuple[CheckIn, Changes]:
        """The signed-in helper's own check-in; nobody can log one for someone else. `weight` and
        `wants_debrief` are None for a helper not asked about their own wellbeing (and refused if
        given for them: see `asks_about_wellbeing`)."""
        made = checkin_store.log(self.db, self.actor.id, kind, adult_involved, weight, wants_debrief, today)
        return made, PROGRESS

    def asks_about_wellbeing(self) -> bool:
        """Whether the signed-in helper is asked how it felt and whether they want to talk it over:
        not when a coordinator ticked them as younger than the school's age for those questions."""
        return wellbeing.asked(self.db, self.actor.id)

    def mine(self) -> list[CheckIn]:
        return checkin_store.own(self.db, self.actor.id)

    def of(self, helper_id: str) -> list[CheckIn]:
        """A helper's entries: their own, or anyone's for staff who supervise."""
        return checkin_store.of_helper(self.db, self.actor.id, helper_id)

    def supervision(self, today: date | None = None) -> list[HelperWeek]:
        return checkin_store.supervision(self.db, self.actor.id, today)

    def mark_debrief_done(self, checkin_ids: list[str]) -> tuple[int, Changes]:
        done = checkin_store.mark_debrief_done(self.db, self.actor.id, checkin_ids)
        return done, PROGRESS if done else NOTHING

    def retention_days(self) -> int:
        days = self.training.settings.get(checkin_store.RETENTION_KEY)
        ok = isinstance(days, int) and not isinstance(days, bool) and days >= 1
        return days if ok else checkin_store.DEFAULT_RETENTION_DAYS

    def apply_retention(self, today: date | None = None) -> tuple[int, Changes]:
        """Entries past the school's retention period become monthly counts, then go (staff)."""
        gone = checkin_store.apply_retention(self.db, self.actor.id, self.retention_days(), today)
        return gone, PROGRESS if gone else NOTHING

    def monthly_counts(self) -> dict[str, dict[str, int]]:
        return checkin_store.monthly_counts(self.db, self.actor.id)
