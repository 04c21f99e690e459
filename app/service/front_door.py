"""Before anyone is signed in: the picker's list, signing in, and the first-start setup."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.modules.records import accounts
from app.modules.records.summaries import ProfileSummary

if TYPE_CHECKING:
    from app.modules.records.database import Database
    from app.paths import Locations


class FrontDoor:
    """What may be done with no actor: nothing here changes records except a sign-in's own
    throttle counters and the one-time setup of an empty school."""

    def __init__(self, db: Database, locations: Locations) -> None:
        self.db = db
        self.locations = locations

    def needs_setup(self) -> bool:
        return accounts.needs_setup(self.db)

    def school_settings(self) -> dict:
        """Everything on the School settings tab: the picker shows the school's name and contacts."""
        from app.modules.records import settings_store

        return settings_store.get_all(self.db)

    def profiles(self) -> list[ProfileSummary]:
        return accounts.list_profiles(self.db)

    def profile(self, profile_id: str) -> ProfileSummary:
        return accounts.get_profile(self.db, profile_id)

    def seconds_until_next_try(self, profile_id: str) -> float:
        return accounts.seconds_until_next_try(self.db, profile_id)

    def sign_in(self, profile_id: str, secret: str) -> accounts.LoginResult:
        """Slow on purpose (scrypt): run it as a background operation."""
        return accounts.verify_secret(self.db, profile_id, secret)

    def recover(self, coordinator_id: str, code: str, new_password: str) -> str:
        """A forgotten coordinator password, reset with the school's recovery code; returns the new code."""
        return accounts.recover_coordinator(self.db, coordinator_id, code, new_password)

    def set_up_school(self, school: str, coordinator: str, password: str) -> ProfileSummary:
        """The school's name, its first coordinator and its certificate key; refused once set up."""
        from app.modules.keys import SigningKey

        profile = accounts.setup_school(self.db, coordinator, password, school)
        SigningKey.load_or_create(self.locations.keys_dir)  # the school's certificate key, made once
        return profile
