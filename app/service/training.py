"""`Training`: the records, the content and who is acting, for one signed-in session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.errors import PermissionDenied
from app.modules.records.rights import Right, refusal, role_may

if TYPE_CHECKING:
    from app.modules.content import ContentSet
    from app.modules.records.database import Database
    from app.modules.records.profile_summary import ProfileSummary
    from app.paths import Locations


@dataclass(frozen=True, slots=True)
class Part:
    """One area of the service; all parts share the session's records, content and actor."""

    training: Training

    @property
    def db(self) -> Database:
        return self.training.db

    @property
    def actor(self) -> ProfileSummary:
        return self.training.actor

    @property
    def content(self) -> ContentSet:
        return self.training.content


class Training:
    """One signed-in person's way into the records. Made at sign-in, dropped at sign-out.

    The actor never changes for the life of the object, so no screen can act in someone
    else's name by passing the wrong id; the domain checks the actor's role on every change.
    """

    def __init__(self, db: Database, content: ContentSet, actor: ProfileSummary, locations: Locations) -> None:
        from .certificates import Certificates
        from .checkins import CheckIns
        from .evaluation import Evaluation
        from .people import People
        from .progress import Progress
        from .records import Records
        from .refreshers import Refreshers
        from .reports import Reports
        from .settings import Settings
        from .sign_offs import SignOffs

        self.db = db
        self.content = content
        self.actor = actor
        self.locations = locations
        self.people = People(self)
        self.settings = Settings(self)
        self.progress = Progress(self)
        self.sign_offs = SignOffs(self)
        self.certificates = Certificates(self)
        self.records = Records(self)
        self.refreshers = Refreshers(self)
        self.checkins = CheckIns(self)
        self.reports = Reports(self)
        self.evaluation = Evaluation(self)

    @property
    def role(self) -> str:
        return self.actor.role

    def can(self, right: Right) -> bool:
        """Whether to offer a control; the operation itself is still checked in the domain."""
        return role_may(self.actor.role, right)

    def require(self, right: Right) -> None:
        """A check for reads (changes are checked in the domain, in their transaction)."""
        if not self.can(right):
            raise PermissionDenied(refusal(self.actor.role, right))

    def with_content(self, content: ContentSet) -> Training:
        """The same session over freshly loaded content (after a trainer saves a file)."""
        return Training(self.db, content, self.actor, self.locations)
