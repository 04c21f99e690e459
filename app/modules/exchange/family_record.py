"""One trainee's full record as JSON, for a family's request to see what is kept about them.

Everything stored about the trainee: their profile (never the PIN hash, only whether there is
one), lesson positions, each knowledge check with every answer, each role-play with every
choice, trainers' sign-offs (with the trainer's name), certificates, the audit entries about
them, and, when the content is known, where they stand in each module.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.i18n import _
from app.core.private_files import make_private

if TYPE_CHECKING:
    from app.modules.content import ContentSet
    from app.modules.records.database import Database

FORMAT = "peer-helper-trainer trainee record v1"


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def family_record(db: Database, profile_id: str, content: ContentSet | None = None, school: str = "") -> dict[str, Any]:
    from sqlalchemy import select

    from app.modules.records import accounts, audit, progress_store
    from app.modules.records.models import Certificate, Profile

    with db.session() as session:
        p = session.get(Profile, profile_id)
        if p is None:
            raise accounts.AccountError(_("This profile no longer exists."))
        profile = {
            "id": p.id,
            "name": p.display_name,
            "role": p.role,
            "group": p.group_name,
            "created_at": p.created_at,
            "updated_at": p.updated_at,
            "has_pin": p.secret_hash is not None,
            "archived": p.archived,
            "preferences": dict(p.preferences or {}),
        }
        certificates = [
            {"number": c.number, "name_on_certificate": c.trainee_name, "issued_at": c.issued_at, "details": c.payload}
            for c in session.scalars(select(Certificate).where(Certificate.profile_id == profile_id))
        ]
    names = {s.id: s.display_name for s in accounts.list_profiles(db, include_archived=True)}
    lessons = [
        {
            "module": m,
            "lesson": l,
            "position": lp.position,
            "completed_at": lp.completed_at,
            "updated_at": lp.updated_at,
        }
        for (m, l), lp in sorted(progress_store.lesson_progress(db, profile_id).items())
    ]
    checks = []
    for q in sorted(progress_store.quiz_attempts(db, profile_id), key=lambda a: a.started_at):
        entry = asdict(q)
        entry["answers"] = [asdict(a) for a in progress_store.quiz_answers(db, q.id)]
        checks.append(entry)
    role_plays = []
    for s in sorted(progress_store.scenario_attempts(db, profile_id), key=lambda a: a.started_at):
        entry = asdict(s)
        entry.pop("state")  # the engine's resume data; the choices below say the same in words
        entry["choices"] = [asdict(step) for step in progress_store.attempt_steps(db, s.id)]
        role_plays.append(entry)
    sign_offs = []
    for so in progress_store.sign_offs(db, profile_id, include_withdrawn=True):
        entry = asdict(so)
        entry["trainer"] = names.get(so.trainer_id or "")
        entry["withdrawn_by_name"] = names.get(so.withdrawn_by or "")
        sign_offs.append(entry)
    own_ids = {profile_id} | {c["id"] for c in checks} | {r["id"] for r in role_plays} | {s["id"] for s in sign_offs}
    about = [
        {
            "at": e.at,
            "action": e.action,
            "entity": e.entity,
            "by": names.get(e.actor_id or "", None),
            "detail": e.detail,
        }
        for e in audit.entries(db, limit=100_000)
        if e.entity_id in own_ids or e.actor_id == profile_id
    ]
    record: dict[str, Any] = {
        "format": FORMAT,
        "exported_at": datetime.now(UTC),
        "school": school,
        "trainee": profile,
        "lessons": lessons,
        "knowledge_checks": checks,
        "role_plays": role_plays,
        "sign_offs": sign_offs,
        "certificates": certificates,
        "changes_logged": about,
    }
    if content is not None and content.program is not None:
        from app.modules.competency import certificate_readiness
        from app.modules.trainee_record import trainee_record

        readiness = certificate_readiness(
            content.program, content.all_module_contents(), trainee_record(db, profile_id)
        )
        record["progress"] = {
            "ready_for_certificate": readiness.ready,
            "still_to_do": readiness.missing,
            "modules": [
                {"module": m.module_id, "title": m.title, "state": m.state, "missing": m.missing}
                for m in readiness.modules
            ],
        }
    return _plain(record)


def export_family_record(
    db: Database, profile_id: str, dest: Path, content: ContentSet | None = None, school: str = ""
) -> Path:
    data = family_record(db, profile_id, content, school)
    dest = Path(dest)
    partial = dest.with_name(dest.name + ".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    make_private(partial)  # records: this account only (issue 14)
    os.replace(partial, dest)
    return dest
