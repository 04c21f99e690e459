"""Refreshers for certified helpers: the programme's knowledge-check questions, asked again on
an FSRS schedule (records/refresher_store.py) so that what was learnt for the certificate stays.

Grading happens here, not in the window: the helper's chosen options are checked against the
question, so a caller can only say what was chosen, never whether it was right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from .lessons import Question
from .records import refresher_store
from .records.refresher_store import DueItem, KeepingUp, RefresherError, ReviewResult

if TYPE_CHECKING:
    from .content import ContentSet
    from .records.database import Database

QUEUE_LIMIT = 10  # a few minutes: about ten questions at a sitting
MAX_CHOICES = 50  # more chosen options than any question has is not an answer


@dataclass(frozen=True, slots=True)
class RefresherItem:
    key: str
    module_id: str
    lesson_id: str
    lesson_title: str
    question: Question


def item_key(module_id: str, lesson_id: str, index: int) -> str:
    return f"{module_id}:{lesson_id}:{index}"


def items(content: ContentSet, language: str | None = None) -> list[RefresherItem]:
    """Every knowledge-check question of the programme, in the programme's order.

    With a `language`, each question is worded as in its lesson's translation into it where there is a
    usable one (else the source's); the keys are the same in every language, since a translation keeps
    its source's questions and options in order (X310, X311), so the schedule and grading do not change.
    """
    out = []
    for module_id in content.program.module_ids if content.program else []:
        for lesson in content.module_lessons(module_id, language):
            for q in lesson.questions:
                out.append(
                    RefresherItem(item_key(module_id, lesson.id, q.index), module_id, lesson.id, lesson.title, q)
                )
    return out


def due(
    db: Database,
    content: ContentSet,
    profile_id: str,
    now: datetime | None = None,
    limit: int | None = QUEUE_LIMIT,
    language: str | None = None,
) -> list[tuple[RefresherItem, DueItem]]:
    """The helper's refresher queue: due items, in FSRS order, at most `limit` (worded in `language`
    where their lessons are translated into it)."""
    by_key = {i.key: i for i in items(content, language)}
    queue = refresher_store.queue(db, profile_id, list(by_key), now=now, limit=limit)
    return [(by_key[d.item_key], d) for d in queue]


def due_count(db: Database, content: ContentSet, profile_id: str, now: datetime | None = None) -> int:
    return len(refresher_store.queue(db, profile_id, [i.key for i in items(content)], now=now))


def answer(
    db: Database,
    content: ContentSet,
    actor_id: str | None,
    profile_id: str,
    key: str,
    chosen: Iterable[int],
    now: datetime | None = None,
) -> ReviewResult:
    """Grade the chosen options and record the review on the helper's schedule."""
    item = next((i for i in items(content) if i.key == key), None)
    if item is None:
        raise RefresherError("This question is no longer in the programme. Go on to the next one.")
    picked = set()
    for n, c in enumerate(chosen):
        if n >= MAX_CHOICES or not isinstance(c, int) or isinstance(c, bool):
            raise RefresherError("Choose one of the answers shown.")
        if not 0 <= c < len(item.question.options):
            raise RefresherError("Choose one of the answers shown.")
        picked.add(c)
    if not picked:
        raise RefresherError("Choose an answer first.")
    return refresher_store.review(db, actor_id, profile_id, key, item.question.is_correct(picked), now=now)


def keeping_up(
    db: Database, content: ContentSet, profile_ids: Iterable[str], now: datetime | None = None
) -> dict[str, KeepingUp]:
    return refresher_store.keeping_up(db, profile_ids, [i.key for i in items(content)], now=now)


def keeping_up_text(k: KeepingUp) -> str:
    """A sentence for the coordinator about one helper's refreshers."""
    if not k.certified:
        return "Refreshers start once they have their certificate."
    answered = "none answered" if not k.reviewed_recently else _plural(k.reviewed_recently, "question") + " answered"
    due_part = "nothing due now" if not k.due_now else f"{k.due_now} due now"
    return f"Refreshers: {answered} in the last four weeks, {due_part}."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
