"""Before anyone is signed in: the picker's list, signing in, and the first-start setup."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.modules.records import profile_store, school_setup, sign_in_throttle
from app.modules.records.profile_summary import ProfileSummary

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
        return school_setup.needs_setup(self.db)

    def school_settings(self) -> dict:
        """Everything on the School settings tab: the picker shows the school's name and contacts."""
        from app.modules.records import settings_store

        return settings_store.get_all(self.db)

    def profiles(self) -> list[ProfileSummary]:
        return profile_store.list_profiles(self.db)

    def profile(self, profile_id: str) -> ProfileSummary:
        return profile_store.get_profile(self.db, profile_id)

    def seconds_until_next_try(self, profile_id: str) -> float:
        return sign_in_throttle.seconds_until_next_try(self.db, profile_id)

    def sign_in(self, profile_id: str, secret: str) -> sign_in_throttle.LoginResult:
        """Slow on purpose (scrypt): run it as a background operation."""
        return sign_in_throttle.verify_secret(self.db, profile_id, secret)

    def recover(self, coordinator_id: str, code: str, new_password: str) -> str:
        """A forgotten coordinator password, reset with the school's recovery code; returns the new code."""
        return school_setup.recover_coordinator(self.db, coordinator_id, code, new_password)

    def set_up_school(self, school: str, coordinator: str, password: str) -> tuple[ProfileSummary, str]:
        """The school's name, its first coordinator, its certificate key and its recovery code
        (returned, to be shown once); refused once set up. Slow (scrypt): run it in the background."""
        from app.modules.keys import SigningKey

        profile = school_setup.setup_school(self.db, coordinator, password, school)
        SigningKey.load_or_create(self.locations.keys_dir)  # the school's certificate key, made once
        return profile, school_setup.new_recovery_code(self.db, actor_id=profile.id)

    def build_sample_school(self, folder) -> None:
        """A sample school in `folder` (never these records): for trying the program first."""
        from app.modules import demo_school
        from app.modules.content import load_content
        from app.modules.records.database import Database
        from app.paths import resolve_locations

        locations = resolve_locations(data_dir=folder, content_dir=self.locations.content_dir, database_url="")
        db = Database.open(locations, durable=False)  # a throwaway file: no wait for the disk at each write
        try:
            content = load_content(locations.content_dir)
            school = demo_school.build(db, content, "Riverside High (sample school)", whole_programme=True)
            demo_school.certify(db, locations, content, school, locations.data_dir / "certificates")
        finally:
            db.close()
