"""Who the command line acts as.

A command that changes records (import-records, restore, erase-trainee, certificates, and the
people commands) acts as a coordinator of the school, and every change is checked and audited
in that coordinator's name exactly as in the window.

Who may run them: the operating-system account that owns the data folder. That account can
already read and write the records file directly, so asking it for a password would protect
nothing; anyone else is refused. (The data folder is created owner-only.) The changes are made
in the name of the coordinator added first on this laptop, or of the one named with `--as NAME`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from app.core.errors import PermissionDenied
from app.core.i18n import _
from app.modules.records import profile_store
from app.modules.records.profile_summary import ProfileSummary

if TYPE_CHECKING:
    from app.modules.content import ContentSet
    from app.modules.records.database import Database
    from app.paths import Locations

    from .training import Training


def check_owner(locations: Locations) -> None:
    """Refuse unless this operating-system account owns the data folder (where it can be told)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: the folder's access list already limits who gets here
        return
    try:
        owner = locations.data_dir.stat().st_uid
    except OSError:
        return  # no folder yet: nothing to protect
    if owner != getuid():
        raise PermissionDenied(
            _(
                "The records in {folder} belong to another account on this computer. "
                "Run the command as that account (the one the program runs as)."
            ).format(folder=locations.data_dir)
        )


def acting_coordinator(db: Database, locations: Locations, name: str | None = None) -> ProfileSummary:
    check_owner(locations)
    coordinators = [p for p in profile_store.list_profiles(db) if p.role == profile_store.COORDINATOR]
    if not coordinators:
        raise PermissionDenied(_("This school is not set up yet: run `peer-trainer setup` first."))
    if name:
        wanted = " ".join(name.split()).casefold()
        found = [p for p in coordinators if p.display_name.casefold() == wanted]
        if not found:
            names = ", ".join(p.display_name for p in coordinators)
            raise PermissionDenied(
                _("No active coordinator is called {name}. The coordinators are: {names}.").format(
                    name=name, names=names
                )
            )
        return found[0]
    return _longest_standing(db, coordinators)


def _longest_standing(db: Database, coordinators: list[ProfileSummary]) -> ProfileSummary:
    """The coordinator added first here (usually whoever set this laptop up)."""
    from sqlalchemy import select

    from app.modules.records.models import Profile

    ids = {p.id for p in coordinators}
    with db.session() as session:
        first = session.scalars(select(Profile.id).where(Profile.id.in_(ids)).order_by(Profile.created_at)).first()
    return next(p for p in coordinators if p.id == first)


def command_line_training(
    db: Database, content: ContentSet, locations: Locations, as_name: str | None = None
) -> Training:
    from .training import Training

    return Training(db, content, acting_coordinator(db, locations, as_name), locations)
