"""People: profiles, passwords and PINs, preferences."""

from __future__ import annotations

from typing import Any

from app.modules.records import class_lists, preference_store, profile_store, school_setup, wellbeing
from app.modules.records.models import NOTE_MAX
from app.modules.records.profile_summary import ProfileSummary
from app.modules.records.rights import Right

from .changes import NOTHING, PEOPLE, Changes
from .training import Part

__all__ = ["NOTE_MAX", "People"]  # NOTE_MAX: the longest note a profile takes, for the forms


class People(Part):
    def list(self, include_archived: bool = False) -> list[ProfileSummary]:
        return profile_store.list_profiles(self.db, include_archived=include_archived)

    def get(self, profile_id: str) -> ProfileSummary:
        if profile_id != self.actor.id:
            self.training.require(Right.VIEW_COHORT)
        return profile_store.get_profile(self.db, profile_id)

    def trainees(self, include_archived: bool = False) -> list[ProfileSummary]:
        return [p for p in self.list(include_archived) if p.role == profile_store.TRAINEE]

    def add(
        self, name: str, role: str, group: str | None = None, secret: str | None = None, note: str | None = None
    ) -> tuple[ProfileSummary, Changes]:
        """Slow when a secret is given (scrypt): run it as a background operation."""
        made = profile_store.create_profile(
            self.db, name, role, group=group, secret=secret, actor_id=self.actor.id, note=note
        )
        return made, PEOPLE

    def add_trainees(
        self, text: str, group: str | None, dry_run: bool = False
    ) -> tuple[class_lists.BulkResult, Changes]:
        result = class_lists.create_trainees_from_text(self.db, text, group, self.actor.id, dry_run=dry_run)
        return result, (PEOPLE if result.created else NOTHING)

    def import_roster(
        self, rows: list[class_lists.RosterRow], dry_run: bool = False
    ) -> tuple[class_lists.RosterResult, Changes]:
        """Trainees from a class list; importing the same list again changes nothing."""
        result = class_lists.import_roster(self.db, rows, self.actor.id, dry_run=dry_run)
        return result, (PEOPLE if result.created else NOTHING)

    def set_note(self, profile_id: str, note: str | None) -> Changes:
        profile_store.set_note(self.db, profile_id, note, actor_id=self.actor.id)
        return PEOPLE

    def rename(self, profile_id: str, name: str) -> Changes:
        profile_store.rename_profile(self.db, profile_id, name, actor_id=self.actor.id)
        return PEOPLE

    def archive(self, profile_id: str, archived: bool = True) -> Changes:
        profile_store.archive_profile(self.db, profile_id, actor_id=self.actor.id, archived=archived)
        return PEOPLE

    def set_secret(self, profile_id: str, secret: str | None) -> Changes:
        """Your own secret, or (coordinators) anyone's. Slow (scrypt): run it in the background."""
        profile_store.set_secret(self.db, profile_id, secret, actor_id=self.actor.id)
        return PEOPLE

    def move(self, profile_id: str, group: str | None) -> Changes:
        profile_store.move_to_group(self.db, profile_id, group, actor_id=self.actor.id)
        return PEOPLE

    def reset_secret(self, profile_id: str) -> tuple[str, Changes]:
        """A new PIN or password made up for them (shown once). Slow (scrypt): run it in the background."""
        return profile_store.reset_secret(self.db, profile_id, actor_id=self.actor.id), PEOPLE

    def new_recovery_code(self) -> str:
        """The school's recovery code, for the safe; the old one stops working. Shown once."""
        return school_setup.new_recovery_code(self.db, actor_id=self.actor.id)

    def has_recovery_code(self) -> bool:
        return school_setup.has_recovery_code(self.db)

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
        return preference_store.get_preferences(self.db, self.actor.id)

    def set_preferences(self, changes: dict[str, Any]) -> dict[str, Any]:
        return preference_store.set_preferences(self.db, self.actor.id, changes, actor_id=self.actor.id)
