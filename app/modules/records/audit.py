"""Who changed what: one audit_log row per change, written in the change's own transaction.

Details carry ids, keys and field names, never a trainee's name, so erasing a trainee
(deleting the profile row) leaves nothing personal behind in the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEntry

if TYPE_CHECKING:
    from .database import Database


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: str
    at: datetime
    actor_id: str | None
    action: str
    entity: str
    entity_id: str | None
    detail: dict[str, Any] | None


def record(
    session: Session,
    actor_id: str | None,
    action: str,
    entity: str,
    entity_id: str | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add an audit row to `session`; it commits or rolls back with the change it describes."""
    # Without ORM relationships the unit of work does not order inserts by foreign key, so
    # write the change first: the actor may be a profile added in this same transaction.
    session.flush()
    session.add(AuditEntry(actor_id=actor_id, action=action, entity=entity, entity_id=entity_id, detail=detail))


def entries(
    db: Database, entity: str | None = None, entity_id: str | None = None, limit: int = 500
) -> list[AuditRecord]:
    """The newest entries first, optionally for one entity type or one row."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc()).limit(limit)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    with db.session() as session:
        return [
            AuditRecord(e.id, e.at, e.actor_id, e.action, e.entity, e.entity_id, e.detail)
            for e in session.scalars(query)
        ]
