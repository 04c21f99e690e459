"""Item statistics from real attempts: first attempts only, hidden under 5, never names, CSV."""

from __future__ import annotations

import csv
import io

import pytest
from item_stats_helpers import LESSON, REPO, SCENARIO, open_db, seed

from app.modules.content import load_content
from app.modules.item_statistics import (
    check_stats,
    content_statistics,
    lesson_statistics,
    scenario_statistics,
    to_csv,
)
from app.modules.records import profile_store
from app.modules.records.item_store import FirstQuizAttempt

CONTENT = load_content(REPO / "content")


@pytest.fixture
def seeded(tmp_path, request):
    db = open_db(tmp_path / "data")
    seed(db, CONTENT, request.param)
    yield db
    db.close()


@pytest.mark.parametrize("seeded", [10], indirect=True)
def test_ten_first_attempts_give_facility_discrimination_and_counts(seeded):
    lesson = CONTENT.lesson(*LESSON)
    stats = lesson_statistics(seeded, lesson)
    assert stats.attempts == 10 and stats.shown
    for q in stats.questions:
        assert q.attempts == 10 and q.shown
        assert 0 <= q.facility <= 1
        assert sum(o.count for o in q.options) >= 10  # a several-answer question counts each option picked
        right = sum(o.count for o in q.options if o.correct)
        if q.kind == "single":
            assert right / 10 == pytest.approx(q.facility)  # the second attempts (all right) are not counted
        assert q.discrimination is None or -1 <= q.discrimination <= 1
    assert any(q.facility < 1 for q in stats.questions)  # the second attempts, all right, did not count
    plays = scenario_statistics(seeded, CONTENT.scenario(SCENARIO))
    assert plays.attempts == 10 and plays.shown
    opening = next(d for d in plays.decisions if d.node_id == "opening")
    assert opening.attempts == 10 and sum(c.count for c in opening.choices) == 10
    assert sum(c.share for c in opening.choices) == pytest.approx(1)
    assert plays.edge_shares()[("opening", 0)] == opening.choices[0].share


@pytest.mark.parametrize("seeded", [4], indirect=True)
def test_under_five_attempts_every_figure_is_hidden(seeded):
    stats = lesson_statistics(seeded, CONTENT.lesson(*LESSON))
    assert stats.attempts == 4 and not stats.shown
    assert all(q.facility is None and q.discrimination is None for q in stats.questions)
    assert all(o.count is None and o.share is None for q in stats.questions for o in q.options)
    plays = scenario_statistics(seeded, CONTENT.scenario(SCENARIO))
    assert not plays.shown and plays.edge_shares() == {}
    assert all(c.count is None for d in plays.decisions for c in d.choices)


def test_discrimination_is_the_correlation_with_the_rest_of_the_check():
    lesson = CONTENT.lesson(*LESSON)
    q0, q1 = lesson.questions[0], lesson.questions[1]
    right0, right1 = sorted(q0.correct_indexes), sorted(q1.correct_indexes)

    def attempt(ok0: bool, ok_rest: bool) -> FirstQuizAttempt:
        answers = {q.index: (sorted(q.correct_indexes), ok_rest, q.prompt) for q in lesson.questions}
        answers[0] = (right0 if ok0 else [], ok0, q0.prompt)
        return FirstQuizAttempt("h", answers)

    good = [attempt(True, True)] * 4 + [attempt(False, False)] * 4
    assert check_stats(good, lesson).questions[0].discrimination == pytest.approx(1.0)
    bad = [attempt(True, False)] * 4 + [attempt(False, True)] * 4
    assert check_stats(bad, lesson).questions[0].discrimination == pytest.approx(-1.0)
    # An answer given to an earlier version of the file, to a question whose prompt has changed
    # since, is not counted; the same answer given to the file as it is now is.
    changed = [FirstQuizAttempt("an older version", {1: (right1, True, "an older wording")})] * 6
    assert check_stats(changed, lesson).questions[1].attempts == 0
    same_file = [FirstQuizAttempt(lesson.content_hash, {1: (right1, True, "an older wording")})] * 6
    assert check_stats(same_file, lesson).questions[1].attempts == 6


@pytest.mark.parametrize("seeded", [10], indirect=True)
def test_csv_export_has_every_item_and_no_names(seeded, tmp_path, capsys):
    from app.cli import main

    text = to_csv(*content_statistics(seeded, CONTENT))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["kind"] for r in rows} == {"knowledge_check", "scenario"}
    assert "Trainee" not in text and "Rivera" not in text
    lesson_rows = [r for r in rows if r["assessment"] == LESSON[1]]
    assert lesson_rows and all(r["facility"] != "" for r in lesson_rows)
    other = [r for r in rows if r["kind"] == "knowledge_check" and r["assessment"] != LESSON[1]]
    assert other and all(r["note"].startswith("hidden") and r["count"] == "" for r in other)
    seeded.close()
    out = tmp_path / "stats.csv"
    code = main(
        ["--data-dir", str(tmp_path / "data"), "--content", str(REPO / "content"), "item-stats", "-o", str(out)]
    )
    assert code == 0 and out.read_text(encoding="utf-8").startswith("kind,file,assessment,")
    assert "Trainee" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("seeded, shown", [(10, True), (4, False)], indirect=["seeded"])
def test_the_workspace_shows_the_statistics_and_the_map_overlay_only_from_five(qtbot, tmp_path, seeded, shown):
    from app.paths import resolve_locations
    from app.ui.authoring.content_workspace import ContentWorkspace
    from app.ui.common.context import AppContext

    ctx = AppContext(resolve_locations(data_dir=tmp_path / "data", content_dir=REPO / "content", database_url=""))
    ctx.open_records(seeded)
    ctx.load_content()
    staff = [p for p in profile_store.list_profiles(seeded) if p.role != profile_store.TRAINEE]
    ctx.sign_in(staff[0])  # a trainer or coordinator: statistics are for staff
    ws = ContentWorkspace(ctx, watch=False)
    qtbot.addWidget(ws)
    ws.resize(1280, 800)
    ws.show()
    ws.refresh()
    assert ws.select_file("01-attention-and-presence.md")
    ws.details.setCurrentWidget(ws.item_stats)
    rows = ws.item_stats.rows()
    text = ws.item_stats.note.text()
    assert "Trainee" not in text + str(rows)  # never a name
    if shown:
        assert "From the first attempts of 10 trainees" in text
        assert rows and rows[0][1].endswith("%") and any(r[3].endswith("%)") for r in rows)
    else:
        assert rows == [] and not ws.item_stats.table.isVisibleTo(ws)
        assert "Only 4 trainees have made a first attempt" in text and "1 more" in text
    assert ws.select_file(f"{SCENARIO}.md")
    shares = ws.map.choice_shares()
    if shown:
        assert shares and ws.overlay.isVisibleTo(ws)
        assert sum(v for (nid, _), v in shares.items() if nid == "opening") == pytest.approx(1)
        ws.overlay.setChecked(False)
        assert ws.map.choice_shares() == {}
        ws.overlay.setChecked(True)
        assert ws.map.choice_shares() == shares
    else:
        assert shares == {} and not ws.overlay.isVisibleTo(ws)


def test_role_play_steps_of_an_earlier_version_count_only_for_unchanged_choices():
    from app.modules.item_statistics import role_play_stats
    from app.modules.records.item_store import FirstRolePlay

    sc = CONTENT.scenario(SCENARIO)
    first = sc.nodes["opening"].choices[0].text
    old_same = FirstRolePlay("older", (("opening", 0, first),))
    old_changed = FirstRolePlay("older", (("opening", 0, "an older wording"),))
    now = FirstRolePlay(sc.content_hash, (("opening", 1, "whatever was stored"), ("opening", 2, None)))
    stats = role_play_stats([old_same] * 3 + [old_changed] * 3 + [now] * 2, sc)
    opening = next(d for d in stats.decisions if d.node_id == "opening")
    # 3 unchanged + 2 from the file as it is (each attempt counted once, at its first visit).
    # however many choices the opening offers today (read from the content): the first two counted, the rest 0
    expected = [3, 2] + [0] * (len(sc.nodes["opening"].choices) - 2)
    assert opening.attempts == 5 and [c.count for c in opening.choices] == expected
