"""Refreshers after the certificate: the programme's questions asked again on an FSRS schedule.

The queue is in FSRS order (the longest overdue first), it moves after each review, each answer
is its own committed row, only the helper answers their own, and staff see who is keeping up.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from after_certificate_school import right_answer, seeded_school, wrong_answer
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
def seeded(db, seeded_once):
    return seeded_school(db, once=seeded_once)


def _right(item) -> list[int]:
    return right_answer(item)


def _wrong(item) -> list[int]:
    return wrong_answer(item)


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
    everything = refreshers.steps(content)
    queue = refreshers.due(db, content, helper, now=start, limit=None)
    # All new: a week's worth, in the programme's order (questions and role-play moments mixed),
    # not the whole programme at once.
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


# Role-play moments ------------------------------------------------------------------------------


def _competency_score(scenario, choice) -> int:
    return sum(e.value for e in choice.effects if e.name in scenario.competencies)


def test_moments_are_decision_points_of_shipped_scenarios_with_a_better_and_a_worse_reply(content):
    moments = refreshers.moments(content)
    assert len(moments) >= 10 and len({m.key for m in moments}) == len(moments)
    modules = set(content.program.module_ids)
    for m in moments:
        scenario = content.scenario(m.scenario_id)
        node = scenario.nodes[m.node_id]
        assert m.key == f"{m.module_id}:{m.scenario_id}#{m.node_id}" and refreshers.is_moment_key(m.key)
        assert m.module_id in modules and scenario.module == m.module_id and not scenario.is_draft
        assert len(m.choices) >= 2 and list(m.choices) == node.choices
        scores = [_competency_score(scenario, c) for c in node.choices]
        assert list(m.scores) == scores and max(scores) > min(scores)
        # "Good" is the scenario's own judgement: the replies it scores highest, nothing invented.
        assert m.best == {i for i, s in enumerate(scores) if s == max(scores)}
        assert any(line.speaker_name for line in m.lines)  # someone says something to answer
        assert (m.reply is None) == (m.node_id == scenario.start)
    per_scenario: dict[str, int] = {}
    for m in moments:
        per_scenario[m.scenario_id] = per_scenario.get(m.scenario_id, 0) + 1
    assert max(per_scenario.values()) <= refreshers.MOMENTS_PER_SCENARIO
    assert not any(refreshers.is_moment_key(i.key) for i in refreshers.items(content))


def test_a_moment_in_context_names_who_speaks_and_what_led_there(content):
    m = next(m for m in refreshers.moments(content) if m.reply is not None)
    scenario = content.scenario(m.scenario_id)
    led = [c for n in scenario.nodes.values() for c in n.choices if c.target == m.node_id]
    assert m.reply == led[0].text
    names = {c.name for c in scenario.characters.values()}
    assert {line.speaker_name for line in m.lines if line.speaker_name} <= names | {None}


def test_the_queue_mixes_questions_and_moments(db, content, seeded):
    _coord, _trainer, ids = seeded
    queue = refreshers.due(db, content, ids[0], now=utcnow() + timedelta(minutes=1))
    kinds = [isinstance(i, refreshers.Moment) for i, _d in queue]
    assert len(queue) == refreshers.QUEUE_LIMIT
    assert 2 <= sum(kinds) <= len(kinds) // 2  # a few moments among the questions
    assert kinds[: refreshers.MOMENT_EVERY] == [False, False, True]


def test_a_moment_is_rated_from_the_reply_chosen_and_scheduled_like_a_question(db, content, seeded):
    _coord, _trainer, ids = seeded
    helper = ids[0]
    start = utcnow() + timedelta(minutes=1)
    good, poor = refreshers.moments(content)[:2]
    got = refreshers.answer(db, content, helper, helper, good.key, right_answer(good), now=start)
    assert got.correct and got.rating == 3 and got.next_due > start + timedelta(days=1)
    missed = refreshers.answer(db, content, helper, helper, poor.key, wrong_answer(poor), now=start)
    assert not missed.correct and missed.rating == 1 and missed.next_due < got.next_due
    with db.session() as s:
        cards = {c.item_key: c for c in s.scalars(select(RefresherCard).where(RefresherCard.profile_id == helper))}
        assert set(cards) == {good.key, poor.key} and cards[good.key].card["stability"]
        reviews = s.scalars(select(RefresherReview).where(RefresherReview.profile_id == helper)).all()
        assert {(r.item_key, r.correct) for r in reviews} == {(good.key, True), (poor.key, False)}
    later = refreshers.due(db, content, helper, now=missed.next_due + timedelta(minutes=1), limit=None)
    assert later[0][0].key == poor.key  # the moment missed comes back first, in FSRS order


def test_hostile_replies_to_a_moment_are_refused(db, content, seeded):
    _coord, _trainer, ids = seeded
    helper = ids[0]
    m = refreshers.moments(content)[0]
    for chosen in ([], [99], [-1], [True], ["0"], [0, 1], list(range(10_000))):
        with pytest.raises(RefresherError):
            refreshers.answer(db, content, helper, helper, m.key, chosen)
    for key in ("introduction:nope#opening", "#", m.key + "x"):
        with pytest.raises(RefresherError):
            refreshers.answer(db, content, helper, helper, key, [0])
    with pytest.raises(PermissionDenied):
        refreshers.answer(db, content, ids[1], helper, m.key, right_answer(m))
    assert _reviews(db, helper) == 0


def test_a_scenario_whose_choices_score_alike_gives_no_moment(content):
    import copy

    scenario = copy.deepcopy(content.module_scenarios(content.program.module_ids[0])[0])
    for node in scenario.nodes.values():
        for c in node.choices:
            c.effects = [e for e in c.effects if e.name not in scenario.competencies]
    assert refreshers.scenario_moments(scenario, scenario.module) == []
