"""Sign-offs: a trainer's record of competencies observed in a live role-play."""

from __future__ import annotations

from datetime import date

from app.modules import sign_offs as rules
from app.modules.records.progress_store import SignOffRecord

from .changes import PROGRESS, Changes
from .training import Part


class SignOffs(Part):
    def record(
        self,
        trainee_id: str,
        competency_id: str,
        behaviours: dict[str, bool],
        note: str = "",
        observed_on: date | None = None,
    ) -> tuple[SignOffRecord, Changes]:
        program = self.content.program
        made = rules.record(self.db, program, trainee_id, self.actor, competency_id, behaviours, note, observed_on)
        return made, PROGRESS

    def may_withdraw(self, sign_off: SignOffRecord) -> bool:
        return rules.may_withdraw(sign_off, self.actor)

    def withdraw(self, sign_off: SignOffRecord, reason: str = "") -> tuple[SignOffRecord, Changes]:
        return rules.withdraw(self.db, sign_off, self.actor, reason), PROGRESS

    def of(self, trainee_id: str, include_withdrawn: bool = True) -> list[SignOffRecord]:
        return self.training.progress.sign_offs_of(trainee_id, include_withdrawn=include_withdrawn)
