"""Refreshers: the signed-in helper's review queue, and staff's view of who is keeping up."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from app.modules import refreshers as rules
from app.modules.records import refresher_store
from app.modules.records.refresher_store import DueItem, KeepingUp, ReviewResult
from app.modules.records.rights import Right

from .changes import PROGRESS, Changes
from .training import Part


class Refreshers(Part):
    def due(
        self, now: datetime | None = None, limit: int | None = rules.QUEUE_LIMIT, language: str | None = None
    ) -> list[tuple[rules.RefresherItem, DueItem]]:
        """The signed-in person's own queue (empty until they have a certificate), worded in `language`
        (the reader's) where the lessons are translated into it; the same questions in any language."""
        return rules.due(self.db, self.content, self.actor.id, now=now, limit=limit, language=language)

    def certified(self) -> bool:
        """Whether the signed-in person holds a certificate (refreshers are for them)."""
        return refresher_store.certified_since(self.db, self.actor.id) is not None

    def due_count(self, now: datetime | None = None) -> int:
        return rules.due_count(self.db, self.content, self.actor.id, now=now)

    def answer(self, key: str, chosen: Iterable[int], now: datetime | None = None) -> tuple[ReviewResult, Changes]:
        """Record the signed-in helper's answer; only their own (checked in the domain)."""
        return rules.answer(self.db, self.content, self.actor.id, self.actor.id, key, chosen, now=now), PROGRESS

    def keeping_up(self, trainee_ids: Iterable[str], now: datetime | None = None) -> dict[str, KeepingUp]:
        self.training.require(Right.VIEW_COHORT)
        return rules.keeping_up(self.db, self.content, trainee_ids, now=now)

    def keeping_up_text(self, trainee_id: str) -> str:
        return rules.keeping_up_text(self.keeping_up([trainee_id])[trainee_id])
