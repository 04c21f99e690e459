"""Merging a verified record bundle from a paired laptop of this school into this laptop's records.

Before any row is unpacked, trust.py decides: a laptop that is not paired (or is of another
school) is refused, unless the coordinator gives its fingerprint now. Then the rows are
unpacked under hard limits and checked as if typed (bundle.load_rows). Then the merge.

The rules (docs/records-exchange.md says the same for coordinators):

- Rows are matched by their UUID. A row this laptop lacks is added; a row it has is replaced
  only when the bundle's copy was changed later (`updated_at`), else left alone. So importing
  the same bundle twice changes nothing the second time.
- A profile made separately on two laptops for the same person (different UUIDs, the same
  name, role and group, compared without case) is recognised as one: the bundle's id is
  mapped to this laptop's, every row that points at it follows, and the audit log records
  the mapping once.
- Lesson positions are one row per trainee and lesson: two laptops' rows for the same lesson
  are combined (furthest position, earliest completion). Other rows that would break a
  unique rule (a certificate number used by another certificate, a role-play step recorded
  twice) are left out and listed in the result.
- Trainees erased on this laptop (or in the bundle's own audit log) are never brought back, under
  any id they were known by (erasure.py leaves a tombstone for each).
- Even a paired laptop is not trusted with roles and passwords: a profile's role or password
  hash is taken only where the bundle's audit log shows that laptop's own coordinator set it
  (or, for a password or PIN, its owner), and each such change is audited here. Anything
  else keeps this laptop's value; a staff profile whose role no coordinator gave is left out.
- Times later than the file's making (or than now) are brought back to that time, and a row
  changed "in the future" never replaces a row here (else a date in 2099 would always win).
- A sign-off must name a trainer or coordinator known here (or arriving with the bundle as
  one); otherwise it is left out and listed.
- Settings and this laptop's device id are never merged.
- Everything happens in one transaction, after a backup of the file: any error or a Cancel
  leaves the records exactly as they were.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from app.core.i18n import N_, _, ngettext
from app.modules.records.models import COORDINATOR
from app.modules.records.rights import ROLE_WORDS

from . import tables
from .bundle import (
    ROWS_PER_STEP,
    Bundle,
    BundleError,
    BundleInfo,
    Cancelled,
    OperationCancelled,
    Progress,
    load_rows,
    verify_bundle,
)

if TYPE_CHECKING:
    from app.modules.records.database import Database

_AUDIT_NS = uuid.UUID("5b0e7f52-3c39-4c55-9a43-7d1f0f6b2a11")  # deterministic audit ids: no repeats
# The fields a coordinator of the other laptop may set, as the import report names them.
_FIELD_WORDS = {"role": N_("role"), "secret": N_("secret")}


@dataclass(slots=True)
class MergeResult:
    bundle_device: str
    inserted: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    combined: int = 0  # lesson positions joined with this laptop's row for the same lesson
    skipped_erased: int = 0  # rows about trainees erased here
    matched_by_name: list[tuple[str, str]] = field(default_factory=list)  # (bundle's id, this laptop's id)
    conflicts: list[str] = field(default_factory=list)
    erased_elsewhere: list[str] = field(default_factory=list)  # ids still here, erased on the other laptop
    refused: list[str] = field(default_factory=list)  # changes not taken from the bundle, and why
    accepted_changes: list[str] = field(default_factory=list)  # roles and passwords taken, audited
    clamped: int = 0  # times from the future brought back to the time of the import
    paired_now: bool = False
    joined_school: bool = False
    backup: Path | None = None

    @property
    def rows_added(self) -> int:
        return sum(self.inserted.values())

    @property
    def rows_updated(self) -> int:
        return sum(self.updated.values()) + self.combined

    @property
    def changed(self) -> bool:
        return bool(self.rows_added or self.rows_updated)

    def summary(self) -> str:
        # A list of counts, each one whole phrase; the list separator and full stop are translatable too.
        here = sum(self.unchanged.values())
        parts = [
            ngettext("{n} record added", "{n} records added", self.rows_added).format(n=self.rows_added),
            ngettext("{n} updated", "{n} updated", self.rows_updated).format(n=self.rows_updated),
            ngettext("{n} already here", "{n} already here", here).format(n=here),
        ]
        if self.matched_by_name:
            n = len(self.matched_by_name)
            parts.append(ngettext("{n} profile recognised by name", "{n} profiles recognised by name", n).format(n=n))
        if self.skipped_erased:
            n = self.skipped_erased
            parts.append(
                ngettext("{n} about erased trainees left out", "{n} about erased trainees left out", n).format(n=n)
            )
        if self.conflicts:
            n = len(self.conflicts)
            parts.append(ngettext("{n} left out because it clashes", "{n} left out because they clash", n).format(n=n))
        if self.refused:
            n = len(self.refused)
            parts.append(ngettext("{n} change refused", "{n} changes refused", n).format(n=n))
        if self.clamped:
            n = self.clamped
            parts.append(
                ngettext("{n} time from the future brought back", "{n} times from the future brought back", n).format(
                    n=n
                )
            )
        return _("{list}.").format(list=_(", ").join(parts))


def import_bundle(
    db: Database,
    source: Path | BundleInfo | Bundle,
    actor_id: str | None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    *,
    trust_fingerprint: str | None = None,
    join_school: bool = False,
) -> MergeResult:
    """Verify, check trust, unpack and merge a bundle (see the module docstring).

    Coordinators only; with no actor, only into a laptop that is not set up yet (a new laptop
    taking the school's records). A laptop not paired yet is paired in the same
    transaction when `trust_fingerprint` is its fingerprint; otherwise NotTrusted is raised
    before anything is unpacked or written.
    """
    from app.modules.records import backups, rights
    from app.modules.records.school_setup import needs_setup

    from . import trust

    if isinstance(source, Bundle):
        info, loaded = source.info, source
    else:
        info = source if isinstance(source, BundleInfo) else verify_bundle(Path(source))
        loaded = None
    if actor_id is not None or not needs_setup(db):
        with db.session() as session:
            rights.require(session, actor_id, rights.Right.EXCHANGE_RECORDS)
    checked = trust.check(db, info)
    problem = trust.refusal(info, checked, trust_fingerprint, join_school)
    if problem:
        raise trust.NotTrusted(problem)
    bundle = loaded if loaded is not None else load_rows(info, cancelled)
    backup = None
    try:
        backup = backups.back_up(db.locations, backups.BEFORE_IMPORT).path
    except backups.BackupError as exc:
        if db.engine.dialect.name == "sqlite":
            raise BundleError(
                _("Nothing was imported: no backup could be made first. {reason}").format(reason=exc)
            ) from exc
    try:
        with db.session() as session:
            joined = False
            if not checked.same_school:
                trust.join_school_in(session, info, actor_id)
                joined = True
            paired_now = trust.pair_in(session, info, actor_id)
            session.flush()
            merger = _Merger(session.connection(), bundle, progress, cancelled)
            result = merger.run()
            result.backup = backup
            result.paired_now, result.joined_school = paired_now, joined
            if result.changed or result.accepted_changes:
                merger.write_audit(actor_id)
    except (OperationCancelled, BundleError):
        raise
    except SQLAlchemyError as exc:
        raise BundleError(
            _("{name} could not be merged ({reason}). Nothing was imported.").format(
                name=bundle.info.path.name, reason=f"{exc.__class__.__name__}: {str(exc).splitlines()[0]}"
            )
        ) from exc
    return result


def _profile_key(name: str, role: str, group: str | None, note: str | None) -> tuple[str, str, str, str]:
    """The same person made on two laptops: name, role, group and the note that tells namesakes apart."""
    return (" ".join(name.split()).casefold(), role, (group or "").casefold(), (note or "").casefold())


class _Merger:
    def __init__(self, connection: Connection, bundle: Bundle, progress: Progress | None, cancelled: Cancelled | None):
        from app.modules.records.models import utcnow

        self.c = connection
        self.bundle = bundle
        self.progress = progress
        self.cancelled = cancelled
        self.result = MergeResult(bundle.info.device_id)
        self.id_map: dict[str, str] = {}  # bundle's profile id -> this laptop's
        self.skipped: dict[str, set[str]] = defaultdict(set)  # table -> ids left out
        self.done = 0
        self.total = bundle.info.total_rows
        self.latest = min(utcnow(), bundle.info.created_at)  # no time may be later than this
        self.staff: set[str] = set()  # this laptop's ids of trainers and coordinators, after the merge
        self.future = False  # the row decoded last was changed after its bundle was made
        self.changes_to_audit: list[tuple[str, str, list[str], str | None]] = []  # (id, action, fields, by)

    # --- the walk --------------------------------------------------------------------------
    def run(self) -> MergeResult:
        audit = tables.table("audit_log")
        erased_here = set(
            self.c.scalars(select(audit.c.entity_id).where(audit.c.action == "erase", audit.c.entity == "profile"))
        )
        erased_there = {
            r["entity_id"] for r in self.bundle.rows["audit_log"] if r["action"] == "erase" and r["entity"] == "profile"
        }
        self.erased = erased_here | erased_there
        self._profiles()
        present = set(self.c.scalars(select(tables.table("profiles").c.id)))
        # Erased there under their id on that laptop: here they may have another id, matched by name.
        from app.modules.records.erasure import known_ids

        there_only = erased_there - erased_here
        linked = set().union(*(known_ids(self.c, i) for i in there_only)) if there_only else set()
        self.result.erased_elsewhere = sorted((there_only | linked) & present)
        for name in tables.MERGED_TABLES[1:]:
            self._table(name)
        if self.progress:
            self.progress(self.total, self.total)
        return self.result

    def _step(self) -> None:
        self.done += 1
        if self.done % ROWS_PER_STEP == 0:
            if self.cancelled is not None and self.cancelled():
                raise OperationCancelled()
            if self.progress:
                self.progress(self.done, self.total)

    def _decode(self, name: str, row: dict[str, Any]) -> dict[str, Any]:
        try:
            # A column left out (tables.ADDED_COLUMNS: a laptop not updated yet) stays out: a new row
            # gets its default, and a changed row keeps this laptop's value.
            decoded = {c.name: tables.from_json(c, row[c.name]) for c in tables.carried_columns(name) if c.name in row}
        except (ValueError, TypeError) as exc:
            raise BundleError(
                _(
                    "{name}: a {table} row ({id}) holds a value this program cannot read ({reason}). "
                    "Nothing was imported."
                ).format(name=self.bundle.info.path.name, table=name, id=row.get("id"), reason=exc)
            ) from None
        self.future = isinstance(decoded.get("updated_at"), datetime) and decoded["updated_at"] > self.latest
        for key, value in decoded.items():
            if isinstance(value, datetime) and value > self.latest:
                decoded[key] = self.latest
                self.result.clamped += 1
            elif isinstance(value, date) and not isinstance(value, datetime) and value > self.latest.date():
                decoded[key] = self.latest.date()
                self.result.clamped += 1
        return decoded

    # --- who may give roles and passwords ----------------------------------------------------
    def _evidence(self) -> None:
        """From the bundle's audit log: who created or changed which profile's role or password.

        `self.entitled` ends as the bundle's coordinators whose role is accounted for: the one
        who set that laptop up (the earliest to create themself), coordinators known here, and
        coordinators created by an entitled coordinator.
        """
        self.created_by: dict[str, list[tuple[str | None, datetime, str | None]]] = defaultdict(list)
        self.changed_by: dict[str, list[tuple[str | None, datetime, set[str]]]] = defaultdict(list)
        for raw in self.bundle.rows["audit_log"]:
            if raw["entity"] != "profile" or raw["entity_id"] is None:
                continue
            detail = raw["detail"] if isinstance(raw["detail"], dict) else {}
            at = min(tables.from_json(tables.table("audit_log").c.at, raw["at"]), self.latest)
            if raw["action"] == "create":
                role = detail.get("role") if isinstance(detail.get("role"), str) else None
                self.created_by[raw["entity_id"]].append((raw["actor_id"], at, role))
            elif raw["action"] == "update":
                fields = detail.get("fields") if isinstance(detail.get("fields"), list) else []
                self.changed_by[raw["entity_id"]].append((raw["actor_id"], at, {str(f) for f in fields}))
        t = tables.table("profiles")
        roles_here = dict(self.c.execute(select(t.c.id, t.c.role)).all())
        coordinators = {r["id"] for r in self.bundle.rows["profiles"] if r["role"] == COORDINATOR}
        self.entitled = {p for p in coordinators if roles_here.get(p) == COORDINATOR}
        founders = sorted((at, p) for p in coordinators for actor, at, role in self.created_by.get(p, []) if actor == p)
        if founders:
            self.entitled.add(founders[0][1])
        grew = True
        while grew:
            grew = False
            for p in coordinators - self.entitled:
                if any(
                    a in self.entitled and role == COORDINATOR for a, _at, role in self.created_by.get(p, [])
                ) or any(a in self.entitled and "role" in f for a, _at, f in self.changed_by.get(p, [])):
                    self.entitled.add(p)
                    grew = True

    def _given_by(self, profile_id: str, what: str, role: str | None, after: datetime | None) -> str | None:
        """The bundle's actor who gave `profile_id` its role (what="role") or password (what="secret")."""
        for actor, _at, created_role in self.created_by.get(profile_id, []):
            if after is None and actor in self.entitled and (what == "secret" or created_role == role):
                return actor
        for actor, at, fields in self.changed_by.get(profile_id, []):
            if after is not None and at <= after:
                continue
            if what in fields and (actor in self.entitled or (what == "secret" and actor == profile_id)):
                return actor
        if what == "role" and role == COORDINATOR and profile_id in self.entitled and after is None:
            return profile_id
        return None

    # --- profiles --------------------------------------------------------------------------
    def _profiles(self) -> None:
        from app.modules.records.models import TRAINEE

        self._evidence()
        t = tables.table("profiles")
        local: dict[str, Any] = {}
        local_role: dict[str, str] = {}
        local_secret: dict[str, str | None] = {}
        by_key: dict[tuple[str, str, str, str], str] = {}
        query = select(
            t.c.id, t.c.display_name, t.c.role, t.c.group_name, t.c.note, t.c.updated_at, t.c.archived, t.c.secret_hash
        )
        for row in self.c.execute(query.order_by(t.c.archived, t.c.created_at, t.c.id)):
            local[row.id] = row.updated_at
            local_role[row.id], local_secret[row.id] = row.role, row.secret_hash
            by_key.setdefault(_profile_key(row.display_name, row.role, row.group_name, row.note), row.id)
        self.staff = {i for i, role in local_role.items() if role != TRAINEE}
        for raw in self.bundle.rows["profiles"]:
            self._step()
            row = self._decode("profiles", raw)
            incoming = row["id"]
            if incoming in self.erased:
                self.skipped["profiles"].add(incoming)
                self.result.skipped_erased += 1
                continue
            key = _profile_key(row["display_name"], row["role"], row["group_name"], row.get("note"))
            target = incoming if incoming in local else by_key.get(key)
            if target is None:
                fields = []
                if row["role"] != TRAINEE:
                    by = self._given_by(incoming, "role", row["role"], None)
                    if by is None:
                        self.skipped["profiles"].add(incoming)
                        self.result.refused.append(
                            _(
                                "a new {role} profile ({id}) left out: no coordinator of that laptop gave that role"
                            ).format(
                                role=_(ROLE_WORDS[row["role"]]) if row["role"] in ROLE_WORDS else row["role"],
                                id=incoming,
                            )
                        )
                        continue
                    fields.append("role")
                if row["secret_hash"] is not None:
                    by = self._given_by(incoming, "secret", None, None)
                    if by is None:
                        row["secret_hash"] = None
                        self.result.refused.append(
                            _(
                                "the password or PIN of a new profile ({id}) not taken: no coordinator of that "
                                "laptop set it"
                            ).format(id=incoming)
                        )
                    else:
                        fields.append("secret")
                self.c.execute(insert(t).values(**row))
                local[incoming] = row["updated_at"]
                local_role[incoming], local_secret[incoming] = row["role"], row["secret_hash"]
                by_key.setdefault(key, incoming)
                self.id_map[incoming] = incoming
                if row["role"] != TRAINEE:
                    self.staff.add(incoming)
                if fields:
                    self._accepted(incoming, "create", fields, by)
                self.result.inserted["profiles"] += 1
                continue
            self.id_map[incoming] = target
            if target != incoming:
                self.result.matched_by_name.append((incoming, target))
            if self.future and row["updated_at"] >= local[target]:
                self._future_change("profiles", target)
            elif row["updated_at"] > local[target]:
                changes = {k: v for k, v in row.items() if k not in ("id", "created_at")}
                fields = []
                for column, what in (("role", "role"), ("secret_hash", "secret")):
                    if changes[column] == (local_role if what == "role" else local_secret)[target]:
                        continue
                    by = self._given_by(incoming, what, changes[column], local[target])
                    if by is None:
                        changes[column] = (local_role if what == "role" else local_secret)[target]
                        self.result.refused.append(
                            (
                                _("a change of role for profile {id} not taken: no coordinator of that laptop made it")
                                if what == "role"
                                else _(
                                    "a change of password or PIN for profile {id} not taken: "
                                    "no coordinator of that laptop made it"
                                )
                            ).format(id=target)
                        )
                    else:
                        fields.append(what)
                self.c.execute(update(t).where(t.c.id == target).values(**changes))
                local[target] = row["updated_at"]
                local_role[target], local_secret[target] = changes["role"], changes["secret_hash"]
                if changes["role"] != TRAINEE:
                    self.staff.add(target)
                else:
                    self.staff.discard(target)
                if fields:
                    self._accepted(target, "update", fields, by)
                self.result.updated["profiles"] += 1
            else:
                self.result.unchanged["profiles"] += 1

    def _accepted(self, profile_id: str, action: str, fields: list[str], by: str | None) -> None:
        self.changes_to_audit.append((profile_id, action, fields, by))
        words = ", ".join(_(_FIELD_WORDS[f]) if f in _FIELD_WORDS else f for f in fields)
        if action == "create":
            line = _("{fields} of profile {id} (create)").format(fields=words, id=profile_id)
        else:
            line = _("{fields} of profile {id} (update)").format(fields=words, id=profile_id)
        self.result.accepted_changes.append(line)

    # --- every other table -----------------------------------------------------------------
    def _table(self, name: str) -> None:
        t = tables.table(name)
        local = dict(self.c.execute(select(t.c.id, t.c.updated_at)).all())
        uniques = [
            tuple(col.name for col in u.columns) for u in t.constraints if u.__class__.__name__ == "UniqueConstraint"
        ]
        natural: dict[tuple[str, ...], dict[tuple, str]] = {}
        for cols in uniques:
            natural[cols] = {tuple(r[:-1]): r[-1] for r in self.c.execute(select(*(t.c[c] for c in cols), t.c.id))}
        pending: dict[str, dict[str, Any]] = {}
        cascade = tables.cascades_from_profile(name)
        profile_refs = tables.profile_columns(name)
        links = tables.parent_links(name)
        for raw in self.bundle.rows[name]:
            self._step()
            row = self._decode(name, raw)
            if any(row[col] in self.erased or row[col] in self.skipped["profiles"] for col in cascade) or any(
                row[col] in self.skipped[parent] for col, parent in links
            ):
                self.skipped[name].add(row["id"])
                self.result.skipped_erased += 1
                continue
            for col in profile_refs:
                if row[col] is not None:
                    gone = row[col] in self.erased or row[col] in self.skipped["profiles"]
                    row[col] = None if gone else self.id_map.get(row[col], row[col])
            if name == "sign_offs" and row["trainer_id"] not in self.staff:
                self.skipped[name].add(row["id"])
                self.result.refused.append(
                    _("a sign-off ({id}) left out: it names no trainer or coordinator this school knows").format(
                        id=row["id"]
                    )
                )
                continue
            if name == "audit_log" and row["entity_id"] is not None:
                about = row["entity_id"]
                if (about in self.erased and row["action"] != "erase") or any(
                    about in ids for ids in self.skipped.values()
                ):
                    self.skipped[name].add(row["id"])  # about a row left out: it goes too
                    self.result.skipped_erased += 1
                    continue
                if row["entity"] == "profile":
                    row["entity_id"] = self.id_map.get(about, about)
            if row["id"] in pending:
                self.result.unchanged[name] += 1
            elif row["id"] in local:
                self._maybe_update(t, name, row, local)
            else:
                self._add(t, name, row, natural, pending, local)
            if len(pending) >= ROWS_PER_STEP:
                self._flush(t, pending)
        self._flush(t, pending)

    def _future_change(self, name: str, row_id: str) -> None:
        """A change dated after its own bundle was made: never allowed to win over a row here."""
        self.result.unchanged[name] += 1
        self.result.refused.append(
            _("a change of {table} row {id} dated in the future not taken").format(table=name, id=row_id)
        )

    def _maybe_update(self, t: Any, name: str, row: dict[str, Any], local: dict[str, datetime]) -> None:
        if self.future and row["updated_at"] >= local[row["id"]]:
            self._future_change(name, row["id"])
        elif row["updated_at"] > local[row["id"]]:
            changes = {k: v for k, v in row.items() if k not in ("id", "created_at")}
            self.c.execute(update(t).where(t.c.id == row["id"]).values(**changes))
            local[row["id"]] = row["updated_at"]
            self.result.updated[name] += 1
        else:
            self.result.unchanged[name] += 1

    def _add(self, t: Any, name: str, row: dict[str, Any], natural: dict, pending: dict, local: dict) -> None:
        for cols, index in natural.items():
            existing = index.get(tuple(row[c] for c in cols))
            if existing is None:
                continue
            if name == "lesson_progress":
                self._combine_positions(t, existing, row, pending)
            else:
                self.skipped[name].add(row["id"])
                self.result.conflicts.append(
                    _("{table}: {id} clashes with {other} on {columns}; this laptop's row was kept").format(
                        table=name, id=row["id"], other=existing, columns=", ".join(cols)
                    )
                )
            return
        for cols, index in natural.items():
            index[tuple(row[c] for c in cols)] = row["id"]
        pending[row["id"]] = row
        local[row["id"]] = row["updated_at"]
        self.result.inserted[name] += 1

    def _combine_positions(self, t: Any, existing: str, row: dict[str, Any], pending: dict) -> None:
        """Two laptops' positions in the same lesson: furthest position, earliest completion."""
        if existing in pending:
            mine = pending[existing]
        else:
            found = self.c.execute(
                select(t.c.position, t.c.completed_at, t.c.updated_at).where(t.c.id == existing)
            ).one()
            mine = {"position": found.position, "completed_at": found.completed_at, "updated_at": found.updated_at}
        done = [d for d in (mine["completed_at"], row["completed_at"]) if d is not None]
        joined = {
            "position": max(mine["position"], row["position"]),
            "completed_at": min(done) if done else None,
            "updated_at": max(mine["updated_at"], row["updated_at"]),
        }
        if all(joined[k] == mine[k] for k in joined):
            self.result.unchanged["lesson_progress"] += 1
            return
        if existing in pending:
            pending[existing].update(joined)
        else:
            self.c.execute(update(t).where(t.c.id == existing).values(**joined))
        self.result.combined += 1

    def _flush(self, t: Any, pending: dict[str, dict[str, Any]]) -> None:
        if pending:
            self.c.execute(insert(t), list(pending.values()))
            pending.clear()

    # --- the audit trail -------------------------------------------------------------------
    def write_audit(self, actor_id: str | None) -> None:
        """One row for the import, one per profile recognised by name, and one per role or password
        taken from the bundle, each written once ever."""
        from app.modules.records.models import utcnow

        t = tables.table("audit_log")
        info = self.bundle.info
        now = utcnow()
        wanted = (
            [
                (
                    uuid.uuid5(_AUDIT_NS, f"import:{info.payload_sha256}"),
                    "import",
                    "bundle",
                    info.device_id,
                    {
                        "fingerprint": info.fingerprint,
                        "added": self.result.rows_added,
                        "updated": self.result.rows_updated,
                        "bundle_created_at": info.created_at.isoformat(),
                    },
                ),
            ]
            + [
                (
                    uuid.uuid5(_AUDIT_NS, f"merge-profile:{theirs}:{mine}"),
                    "merge",
                    "profile",
                    mine,
                    {"bundle_profile_id": theirs, "device_id": info.device_id},
                )
                for theirs, mine in self.result.matched_by_name
            ]
            + [
                (
                    uuid.uuid5(_AUDIT_NS, f"accept:{info.payload_sha256}:{profile_id}:{action}"),
                    "update",
                    "profile",
                    profile_id,
                    {"fields": fields, "from_laptop": info.fingerprint, "changed_there_by": by, "import": action},
                )
                for profile_id, action, fields, by in self.changes_to_audit
            ]
        )
        have = set(self.c.scalars(select(t.c.id).where(t.c.id.in_([str(w[0]) for w in wanted]))))
        rows = [
            {
                "id": str(i),
                "at": now,
                "actor_id": actor_id,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "detail": detail,
                "created_at": now,
                "updated_at": now,
            }
            for i, action, entity, entity_id, detail in wanted
            if str(i) not in have
        ]
        if rows:
            self.c.execute(insert(t), rows)
