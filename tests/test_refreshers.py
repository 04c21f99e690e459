"""Refreshers after the certificate: the programme's questions asked again on an FSRS schedule.

The queue is in FSRS order (the longest overdue first), it moves after each review, each answer
is its own committed row, only the helper answers their own, and staff see who is keeping up.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from after_certificate_school import seeded_school
from sqlalchemy import func, select

from app.core.errors import PermissionDenied
from app.modules import refreshers
from app.modules.content import load_content
from app.modules.records import profile_store, refresher_store
from app.modules.records.erasure import erase_trainee
from app.modules.records.models import RefresherCard, RefresherReview, utcnow
from app.modules.records.refresher_store import NEW_PER_WEEK, RefresherError
from app.service import Training


@pytest.fixture
def content(locations):
    return load_content(locations.content_dir)


@pytest.fixture
def seeded(db):
    return seeded_school(db)


def _right(item) -> list[int]:
    return sorted(item.question.correct_indexes)


def _wrong(item) -> list[int]:
    n = len(item.question.options)
    wrong = [i for i in range(n) if i not in item.question.correct_indexes]
    return wrong[:1]


def _reviews(db, profile_id: str) -> int:
    with db.session() as s:
        return s.scalar(
            select(func.count()).select_from(RefresherReview).where(RefresherReview.profile_id == profile_id)
        )


def test_the_programme_has_refresher_items(content):
    items = refreshers.items(content)
    assert len(items) >= 10
    assert len({i.key for i in items}) == len(items)


def test_no_queue_before_the_certificate(db, content, seeded):
    _coord, _trainer, ids = seeded
    uncertified = ids[-1]
    assert refreshers.due(db, content, uncertified, now=utcnow() + timedelta(days=30)) == []
    item = refreshers.items(content)[0]
    with pytest.raises(RefresherError, match="certificate"):
        refreshers.answer(db, content, uncertified, uncertified, item.key, _right(item))


def test_the_queue_is_in_fsrs_order_and_moves_after_each_review(db, content, seeded):
    _coord, _trainer, ids = seeded
    helper = ids[0]
    start = utcnow() + timedelta(minutes=1)
    everything = refreshers.items(content)
    queue = refreshers.due(db, content, helper, now=start, limit=None)
    # All new: a week's worth, in the programme's order, not the whole programme at once.
    assert [i.key for i, _d in queue] == [i.key for i in everything[:NEW_PER_WEEK]]
    assert len(refreshers.due(db, content, helper, now=start, limit=3)) == 3

    first, second, third = (queue[0][0], queue[1][0], queue[2][0])
    got = refreshers.answer(db, content, helper, helper, first.key, _right(first), now=start)
    assert got.correct and got.rating == 3 and got.next_due > start + timedelta(days=1)
    assert _reviews(db, helper) == 1  # recorded at once, step by step
    moved = refreshers.due(db, content, helper, now=start, limit=None)
    assert moved[0][0].key == second.key and first.key not in [i.key for i, _d in moved]

    missed = refreshers.answer(db, content, helper, helper, second.key, _wrong(second), now=start)
    assert not missed.correct and missed.rating == 1
    assert missed.next_due < got.next_due  # a wrong answer comes back sooner
    assert _reviews(db, helper) == 2

    # Later: reviewed items FSRS says are due, longest overdue first, then the new ones.
    later = got.next_due + timedelta(hours=1)
    order = refreshers.due(db, content, helper, now=later, limit=None)
    reviewed = [d for _i, d in order if d.reviews]
    assert [d.due for d in reviewed] == sorted(d.due for d in reviewed) and len(reviewed) == 2
    keys = [i.key for i, _d in order]
    assert keys.index(second.key) < keys.index(first.key) < keys.index(third.key)
    assert len(order) == 2 + NEW_PER_WEEK - 2  # two of this week's new items were used
    with db.session() as s:
        card = s.scalar(
            select(RefresherCard).where(RefresherCard.profile_id == helper, RefresherCard.item_key == first.key)
        )
        assert card.card["stability"] and card.reviews == 1  # the fsrs Card itself is kept


def test_only_the_helper_answers_their_own_refreshers(db, content, seeded, locations):
    coord, trainer, ids = seeded
    ana, ben = ids[0], ids[1]
    item = refreshers.items(content)[0]
    for actor in (ben, coord, trainer, None):
        with pytest.raises(PermissionDenied):
            refreshers.answer(db, content, actor, ana, item.key, _right(item))
    assert _reviews(db, ana) == 0
    as_ben = Training(db, content, profile_store.get_profile(db, ben), locations)
    with pytest.raises(PermissionDenied):
        as_ben.refreshers.keeping_up([ana])  # a trainee cannot see how others keep up
    _result, changes = as_ben.refreshers.answer(item.key, _right(item))
    assert changes.progress and _reviews(db, ben) == 1 and _reviews(db, ana) == 0


def test_hostile_answers_are_refused(db, content, seeded):
    _coord, _trainer, ids = seeded
    helper = ids[0]
    item = refreshers.items(content)[0]
    for chosen in ([], [99], [-1], [True], ["0"], list(range(10_000))):
        with pytest.raises(RefresherError):
            refreshers.answer(db, content, helper, helper, item.key, chosen)
    for key in ("nope", "x" * 10_000, ""):
        with pytest.raises(RefresherError):
            refreshers.answer(db, content, helper, helper, key, [0])
    with pytest.raises(RefresherError):
        refresher_store.review(db, helper, helper, "x" * 10_000, True)
    assert _reviews(db, helper) == 0


def test_staff_see_who_is_keeping_up(db, content, seeded, locations):
    coord, _trainer, ids = seeded
    keen, idle, uncertified = ids[0], ids[1], ids[-1]
    now = utcnow() + timedelta(minutes=1)
    for item, _d in refreshers.due(db, content, keen, now=now):
        refreshers.answer(db, content, keen, keen, item.key, _right(item), now=now)
    as_coord = Training(db, content, profile_store.get_profile(db, coord), locations)
    seen = as_coord.refreshers.keeping_up([keen, idle, uncertified], now=now)
    assert seen[keen].reviewed_recently == refreshers.QUEUE_LIMIT
    assert seen[keen].due_now == 0  # this week's questions answered
    assert seen[idle].reviewed_recently == 0 and seen[idle].due_now == NEW_PER_WEEK
    next_week = as_coord.refreshers.keeping_up([keen], now=now + timedelta(days=8))[keen]
    assert next_week.due_now >= NEW_PER_WEEK  # the next new items, and any FSRS brings back
    assert not seen[uncertified].certified
    assert "10 questions answered in the last four weeks, nothing due now" in refreshers.keeping_up_text(seen[keen])
    assert "certificate" in refreshers.keeping_up_text(seen[uncertified])


def test_erasing_a_helper_takes_their_refreshers(db, content, seeded):
    coord, _trainer, ids = seeded
    helper = ids[0]
    item = refreshers.items(content)[0]
    refreshers.answer(db, content, helper, helper, item.key, _right(item))
    result = erase_trainee(db, helper, coord, "Helper 00")
    assert result.rows_removed["refresher_cards"] == 1 and result.rows_removed["refresher_reviews"] == 1
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(RefresherCard)) == 0
        assert s.scalar(select(func.count()).select_from(RefresherReview)) == 0


def test_refresher_answers_are_exported_as_xapi_statements(db, content, seeded, tmp_path):
    from app.modules.exchange import xapi

    _coord, _trainer, ids = seeded
    helper = ids[0]
    item = refreshers.items(content)[0]
    refreshers.answer(db, content, helper, helper, item.key, _right(item))
    found = [st for st in xapi.statements(db, content, [helper]) if st["verb"]["display"]["en-US"] == "answered"]
    assert len(found) == 1 and found[0]["result"] == {"success": True}
    assert found[0]["object"]["id"].endswith(item.key) and not xapi.statement_problems(found[0])
    assert xapi.export_statements(db, tmp_path / "x.json", content, [helper]) >= 1
