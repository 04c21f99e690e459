"""People: profiles, passwords and PINs, preferences."""

from __future__ import annotations

from typing import Any

from app.modules.records import accounts, wellbeing
from app.modules.records.profile_summary import ProfileSummary
from app.modules.records.rights import Right

from .changes import NOTHING, PEOPLE, Changes
from .training import Part


class People(Part):
    def list(self, include_archived: bool = False) -> list[ProfileSummary]:
        return accounts.list_profiles(self.db, include_archived=include_archived)

    def get(self, profile_id: str) -> ProfileSummary:
        if profile_id != self.actor.id:
            self.training.require(Right.VIEW_COHORT)
        return accounts.get_profile(self.db, profile_id)

    def trainees(self, include_archived: bool = False) -> list[ProfileSummary]:
        return [p for p in self.list(include_archived) if p.role == accounts.TRAINEE]

    def add(
        self, name: str, role: str, group: str | None = None, secret: str | None = None
    ) -> tuple[ProfileSummary, Changes]:
        """Slow when a secret is given (scrypt): run it as a background operation."""
        made = accounts.create_profile(self.db, name, role, group=group, secret=secret, actor_id=self.actor.id)
        return made, PEOPLE

    def add_trainees(self, text: str, group: str | None, dry_run: bool = False) -> tuple[accounts.BulkResult, Changes]:
        result = accounts.create_trainees_from_text(self.db, text, group, self.actor.id, dry_run=dry_run)
        return result, (PEOPLE if result.created else NOTHING)

    def rename(self, profile_id: str, name: str) -> Changes:
        accounts.rename_profile(self.db, profile_id, name, actor_id=self.actor.id)
        return PEOPLE

    def archive(self, profile_id: str, archived: bool = True) -> Changes:
        accounts.archive_profile(self.db, profile_id, actor_id=self.actor.id, archived=archived)
        return PEOPLE

    def set_secret(self, profile_id: str, secret: str | None) -> Changes:
        """Your own secret, or (coordinators) anyone's. Slow (scrypt): run it in the background."""
        accounts.set_secret(self.db, profile_id, secret, actor_id=self.actor.id)
        return PEOPLE

    def move(self, profile_id: str, group: str | None) -> Changes:
        accounts.move_to_group(self.db, profile_id, group, actor_id=self.actor.id)
        return PEOPLE

    def reset_secret(self, profile_id: str) -> tuple[str, Changes]:
        """A new PIN or password made up for them (shown once). Slow (scrypt): run it in the background."""
        return accounts.reset_secret(self.db, profile_id, actor_id=self.actor.id), PEOPLE

    def new_recovery_code(self) -> str:
        """The school's recovery code, for the safe; the old one stops working. Shown once."""
        return accounts.new_recovery_code(self.db, actor_id=self.actor.id)

    def has_recovery_code(self) -> bool:
        return accounts.has_recovery_code(self.db)

    # --- wellbeing questions: who is younger than the school's age ------------------------
    def younger(self, profile_ids: list[str]) -> set[str]:
        """Of these trainees, those a coordinator ticked as younger than the school's age."""
        if set(profile_ids) - {self.actor.id}:
            self.training.require(Right.VIEW_COHORT)
        return wellbeing.younger_ids(self.db, profile_ids)

    def set_younger(self, profile_ids: list[str], younger: bool) -> tuple[int, Changes]:
        """Tick (or untick) trainees as younger than the school's age for wellbeing questions (coordinators)."""
        changed = wellbeing.set_younger(self.db, self.actor.id, profile_ids, younger)
        return changed, PEOPLE if changed else NOTHING

    # --- the actor's own preferences ----------------------------------------------------
    def preferences(self) -> dict[str, Any]:
        return accounts.get_preferences(self.db, self.actor.id)

    def set_preferences(self, changes: dict[str, Any]) -> dict[str, Any]:
        return accounts.set_preferences(self.db, self.actor.id, changes, actor_id=self.actor.id)
