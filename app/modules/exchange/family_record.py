"""One trainee's full record as JSON, for a family's request to see what is kept about them.

Everything stored about the trainee: their profile (never the PIN hash, only whether there is
one), lesson positions, each knowledge check with every answer, each role-play with every
choice, trainers' sign-offs (with the trainer's name), certificates, the audit entries about
them, and, when the content is known, where they stand in each module. After the certificate:
each refresher answer and the schedule FSRS keeps for them, their own support check-ins (nothing
about the person they helped: no such field exists), and their confidence self-ratings. Their
survey answers cannot be included: they are stored without anyone's id, and the record says so.
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

    from app.modules.records import audit, profile_store, progress_store
    from app.modules.records.models import Certificate, Profile

    with db.session() as session:
        p = session.get(Profile, profile_id)
        if p is None:
            raise profile_store.AccountError(_("This profile no longer exists."))
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
    names = {s.id: s.display_name for s in profile_store.list_profiles(db, include_archived=True)}
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
    after = _after_certificate(db, profile_id, content, names)
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
        **after,
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


def _after_certificate(db: Database, profile_id: str, content: ContentSet | None, names: dict) -> dict[str, Any]:
    """Refresher answers and schedule, own support check-ins, confidence ratings, and notes saying
    what is not here and why."""
    from sqlalchemy import select

    from app.modules.records.models import ConfidenceRating, RefresherCard, RefresherReview, SupportCheckIn

    described = _describe_items(content)
    with db.session() as session:
        reviews = [
            {
                "item": r.item_key,
                "kind": "role_play_moment" if "#" in r.item_key else "question",
                "title": described.get(r.item_key),
                "right": bool(r.correct),
                "rating": _RATINGS.get(r.rating, r.rating),
                "answered_at": r.reviewed_at,
            }
            for r in session.scalars(
                select(RefresherReview)
                .where(RefresherReview.profile_id == profile_id)
                .order_by(RefresherReview.reviewed_at, RefresherReview.id)
            )
        ]
        schedule = [
            {"item": c.item_key, "due": c.due, "reviews": c.reviews, "fsrs_card": dict(c.card or {})}
            for c in session.scalars(
                select(RefresherCard).where(RefresherCard.profile_id == profile_id).order_by(RefresherCard.item_key)
            )
        ]
        checkins = [
            {
                "day": c.logged_on,
                "kind": c.kind,
                "adult_brought_in": bool(c.adult_involved),
                "how_heavy_1_to_5": c.weight,  # null: not asked (younger than the school's age)
                "wanted_to_talk_it_over": bool(c.wants_debrief),
                "debrief_done_at": c.debrief_done_at,
                "debrief_done_by": names.get(c.debrief_done_by or ""),
            }
            for c in session.scalars(
                select(SupportCheckIn)
                .where(SupportCheckIn.profile_id == profile_id)
                .order_by(SupportCheckIn.logged_on, SupportCheckIn.created_at)
            )
        ]
        confidence = [
            {"moment": c.moment, "competency": c.competency_id, "rating_1_to_5": c.rating, "rated_at": c.rated_at}
            for c in session.scalars(
                select(ConfidenceRating)
                .where(ConfidenceRating.profile_id == profile_id)
                .order_by(ConfidenceRating.rated_at, ConfidenceRating.competency_id)
            )
        ]
    return {
        "refresher_answers": reviews,
        "refresher_schedule": schedule,
        "support_check_ins": checkins,
        "confidence_ratings": confidence,
        "notes": {
            "support_check_ins": _(
                "A check-in keeps only the kind of support, whether an adult was brought in, how heavy it felt, "
                "whether they wanted to talk it over, and the day. Nothing about the person they helped is kept: "
                "there is no place for it. After the school's retention period, check-ins become monthly counts "
                "without anyone's name and are deleted."
            ),
            "survey": _(
                "End-of-course survey answers are kept without anyone's name or id, so nobody's answers can be "
                "found again, not even for this record."
            ),
        },
    }


_RATINGS = {1: "again", 2: "hard", 3: "good", 4: "easy"}  # fsrs.Rating


def _describe_items(content: ContentSet | None) -> dict[str, str]:
    """Refresher item key -> what it was, in the content's words (empty without content)."""
    if content is None or content.program is None:
        return {}
    from app.modules import refreshers

    out = {i.key: f"{i.lesson_title}: {i.question.prompt}" for i in refreshers.items(content)}
    for m in refreshers.moments(content):
        out[m.key] = f"{m.scenario_title}: {m.node_id}"
    return out


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
