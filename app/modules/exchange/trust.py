"""Which laptops' record bundles this laptop accepts: the school's own, paired by a coordinator.

The model (docs/records-exchange.md explains it for coordinators):

- Every laptop has its own Ed25519 key pair (app.modules.keys). Its **fingerprint** is 24
  digits derived from its public key alone (keys.laptop_fingerprint), so a laptop can show its
  own fingerprint at any time: Records tab, or `peer-trainer devices`.
- **Pairing**: a coordinator of this school, holding a bundle from another laptop, compares the
  fingerprint this laptop shows for the file with the one the other laptop shows for itself.
  If they are the same, the key in the file is that laptop's, and the coordinator pairs it:
  the key is stored in `paired_laptops` (who paired it, and when, is audited). From then on,
  bundles signed by that key are accepted without asking; any other key is refused until it
  is paired (a reinstalled laptop has a new key, so it is paired again).
- **School identity**: setup makes a school id (school_setup.SCHOOL_ID_KEY) next to its name; every
  bundle carries both. A bundle of another school is refused, paired or not. A laptop joins
  a school in one of two ways: one whose school is not set up yet takes the school of the
  first laptop it pairs with; one set up on its own (before it ever paired) joins only when
  the coordinator asks for it (`--join-school`, or the box in the import dialog).
- Everything else a paired laptop sends is still checked (merge.py, tables.check_row).

The fingerprint is derived from the sender's key, not from both keys as Signal's safety numbers
are: a records file travels one way, and each laptop can then show one stable number that an
IT person can write on a label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.i18n import _
from app.core.setting_keys import SCHOOL_NAME_KEY
from app.modules.records import audit
from app.modules.records.models import PairedLaptop, Profile, Setting, utcnow
from app.modules.records.profile_store import COORDINATOR, AccountError
from app.modules.records.school_setup import SCHOOL_ID_KEY

from .bundle import BundleError, BundleInfo

if TYPE_CHECKING:
    from app.modules.records.database import Database


class NotTrusted(BundleError):
    """A bundle from a laptop that is not paired, or from another school. Nothing was read or written."""


@dataclass(frozen=True, slots=True)
class PairedInfo:
    fingerprint: str
    device_id: str
    school_name: str
    paired_at: datetime
    paired_by: str | None


@dataclass(frozen=True, slots=True)
class TrustCheck:
    """What this laptop knows about the laptop that made a bundle."""

    fingerprint: str
    paired: bool
    own: bool  # made by this very laptop
    school_here: str  # this laptop's school id ("" when not set up)
    school_name_here: str
    same_school: bool
    can_join: bool  # this laptop may take the bundle's school (it has never paired)
    device_key_changed: str | None  # the fingerprint this laptop paired for that device before, if another

    @property
    def needs_pairing(self) -> bool:
        return not self.paired and not self.own


def school_identity(db: Database) -> tuple[str, str]:
    """(school id, school name) of this laptop; ("", "") before setup.

    Setup makes the id (school_setup.setup_school); migration 0002_trust gave one to schools set up
    before ids existed.
    """
    with db.session() as session:
        return _identity(session)


def _identity(session: Session) -> tuple[str, str]:
    def value(key: str) -> str:
        found = session.get(Setting, key)
        return str(found.value) if found is not None and isinstance(found.value, str) else ""

    return value(SCHOOL_ID_KEY), value(SCHOOL_NAME_KEY)


def this_laptop_fingerprint(db: Database) -> str:
    from app.modules.keys import SigningKey, laptop_fingerprint

    return laptop_fingerprint(SigningKey.load_or_create(db.locations.keys_dir).public().public_bytes)


def paired_laptops(db: Database) -> list[PairedInfo]:
    with db.session() as session:
        return [
            PairedInfo(p.fingerprint, p.device_id, p.school_name, p.paired_at, p.paired_by)
            for p in session.scalars(select(PairedLaptop).order_by(PairedLaptop.paired_at))
        ]


def check(db: Database, info: BundleInfo) -> TrustCheck:
    """Read-only: is the laptop that made `info` paired here, and is it of this school?"""
    from app.modules.keys import KeyFileError

    try:
        own = info.fingerprint == this_laptop_fingerprint(db)
    except (KeyFileError, OSError):
        own = False  # this laptop's key cannot be read: then the file cannot be its own either
    with db.session() as session:
        school_id, school_name = _identity(session)
        paired = session.get(PairedLaptop, info.public_key_text) is not None
        any_paired = bool(session.scalar(select(func.count()).select_from(PairedLaptop)))
        before = session.scalars(
            select(PairedLaptop.fingerprint).where(
                PairedLaptop.device_id == info.device_id, PairedLaptop.public_key != info.public_key_text
            )
        ).first()
    same = bool(school_id) and school_id == info.school_id
    return TrustCheck(
        info.fingerprint,
        paired,
        own,
        school_id,
        school_name,
        same,
        can_join=not same and not any_paired,
        device_key_changed=before,
    )


def refusal(info: BundleInfo, trust: TrustCheck, fingerprint_given: str | None, join_school: bool) -> str | None:
    """Why this bundle may not be imported now, in words for a coordinator; None when it may."""
    from app.modules.keys import same_fingerprint

    name = info.path.name
    if trust.own:
        return _("{name} was made on this laptop. Import it on another laptop. Nothing was imported.").format(name=name)
    if not trust.paired:
        if fingerprint_given is None:
            if trust.device_key_changed:
                return _(
                    "{name} comes from a laptop that is not paired with this one (fingerprint {fingerprint}). "
                    "That laptop was paired before with another key ({old_key}): if its program was "
                    "reinstalled, pair it again; if not, do not import this file. "
                    "Nothing was imported. On that laptop, open Records or run `peer-trainer devices` to see its "
                    "fingerprint; if it is the same, import again with --trust-fingerprint followed by those digits."
                ).format(name=name, fingerprint=info.fingerprint, old_key=trust.device_key_changed)
            return _(
                "{name} comes from a laptop that is not paired with this one (fingerprint {fingerprint}). "
                "Nothing was imported. On that laptop, open Records or run `peer-trainer devices` to see its "
                "fingerprint; if it is the same, import again with --trust-fingerprint followed by those digits."
            ).format(name=name, fingerprint=info.fingerprint)
        if not same_fingerprint(fingerprint_given, info.fingerprint):
            return _(
                "{name} is signed by a laptop with the fingerprint {fingerprint}, not the one given. "
                "It may not come from the laptop you think. Nothing was imported."
            ).format(name=name, fingerprint=info.fingerprint)
    if not trust.same_school:
        if not trust.school_here and not trust.paired:
            return None  # not set up yet: takes the school of the laptop it pairs with now
        if join_school and trust.can_join:
            return None
        theirs = info.school or _("a school with no name")
        if trust.can_join:
            return _(
                "{name} comes from another school ({theirs}); this laptop belongs to {ours}. "
                "Nothing was imported. If both are really your school, set up on their own, this laptop can join "
                "that laptop's school once, before it pairs with any other: import again with --join-school "
                "(or tick the box in the import window)."
            ).format(name=name, theirs=theirs, ours=trust.school_name_here)
        if trust.school_name_here:
            return _(
                "{name} comes from another school ({theirs}), not from {ours}. "
                "Records of another school are never imported. Nothing was imported."
            ).format(name=name, theirs=theirs, ours=trust.school_name_here)
        return _(
            "{name} comes from another school ({theirs}), not from this school. "
            "Records of another school are never imported. Nothing was imported."
        ).format(name=name, theirs=theirs)
    return None


def _require_coordinator(session: Session, actor_id: str | None) -> None:
    """A coordinator acts; with no one acting, only on a laptop not set up yet (it joins a school)."""
    from sqlalchemy import exists, select

    from app.modules.records import rights
    from app.modules.records.models import Profile

    if actor_id is None:
        active = exists().where(Profile.role == COORDINATOR, Profile.archived.is_(False))
        if not session.scalar(select(active)):
            return
    rights.require(session, actor_id, rights.Right.EXCHANGE_RECORDS)


def pair_in(session: Session, info: BundleInfo, actor_id: str | None) -> bool:
    """Store the bundle's laptop as paired (audited), inside the caller's transaction. True if new."""
    _require_coordinator(session, actor_id)
    if session.get(PairedLaptop, info.public_key_text) is not None:
        return False
    session.add(
        PairedLaptop(
            public_key=info.public_key_text,
            fingerprint=info.fingerprint,
            device_id=info.device_id,
            school_id=info.school_id,
            school_name=info.school[:120],
            paired_at=utcnow(),
            paired_by=actor_id,
        )
    )
    audit.record(
        session,
        actor_id,
        "pair",
        "laptop",
        info.device_id,
        {"fingerprint": info.fingerprint, "school_id": info.school_id},
    )
    return True


def join_school_in(session: Session, info: BundleInfo, actor_id: str | None) -> None:
    """This laptop takes the bundle's school id (and its name when it has none), audited."""
    from app.modules.records.settings_store import put_setting

    _require_coordinator(session, actor_id)
    school_id, name = _identity(session)
    put_setting(session, SCHOOL_ID_KEY, info.school_id, actor_id)
    if not name and info.school:
        from app.modules.records.models import SCHOOL_NAME_MAX
        from app.modules.records.profile_store import clean_name

        put_setting(session, SCHOOL_NAME_KEY, clean_name(info.school, _("school name"), SCHOOL_NAME_MAX), actor_id)
    audit.record(session, actor_id, "join", "school", info.school_id, {"previous_school_id": school_id or None})


def pair(
    db: Database, info: BundleInfo, fingerprint_typed: str, actor_id: str | None, join_school: bool = False
) -> bool:
    """Pair the laptop that made `info` without importing its records.

    Coordinators only (no one acting: only a laptop not set up yet)."""
    with db.session() as session:
        _require_coordinator(session, actor_id)
    trust = check(db, info)
    problem = refusal(info, trust, fingerprint_typed, join_school)
    if problem:
        raise NotTrusted(problem)
    with db.session() as session:
        if not trust.same_school:
            join_school_in(session, info, actor_id)
        return pair_in(session, info, actor_id)


def unpair(db: Database, fingerprint: str, actor_id: str | None) -> PairedInfo:
    """Stop accepting bundles from a laptop (audited). Coordinators only (no one acting: a laptop not set up yet)."""
    from app.modules.keys import same_fingerprint

    with db.session() as session:
        _require_coordinator(session, actor_id)
        for laptop in session.scalars(select(PairedLaptop)):
            if same_fingerprint(fingerprint, laptop.fingerprint):
                found = PairedInfo(
                    laptop.fingerprint, laptop.device_id, laptop.school_name, laptop.paired_at, laptop.paired_by
                )
                session.delete(laptop)
                audit.record(
                    session, actor_id, "unpair", "laptop", laptop.device_id, {"fingerprint": laptop.fingerprint}
                )
                return found
    raise AccountError(
        _("No paired laptop has the fingerprint {fingerprint}. See `peer-trainer devices`.").format(
            fingerprint=fingerprint
        )
    )


def coordinators_here(session: Session) -> set[str]:
    return set(session.scalars(select(Profile.id).where(Profile.role == COORDINATOR, Profile.archived.is_(False))))
