"""Issue 17: refreshers and check-ins in a family's record, and in the school-wide exports
reviews per trainee, check-ins only in aggregate, survey answers only in aggregate (and only where
at least 5 answered), with xAPI verbs where one fits."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta

import pytest
from after_certificate_school import right_answer, seeded_school, wrong_answer

from app.modules import refreshers, school_settings
from app.modules.content import load_content
from app.modules.exchange import csv_export, family_record, xapi
from app.modules.records import profile_store, settings_store, wellbeing
from app.modules.records.models import utcnow
from app.service import Training
from app.service.evaluation import SURVEY_ITEMS


@pytest.fixture
def content(locations):
    return load_content(locations.content_dir)


@pytest.fixture
def seeded(db, seeded_once):
    return seeded_school(db, once=seeded_once)


def _as(db, content, locations, pid) -> Training:
    return Training(db, content, profile_store.get_profile(db, pid), locations)


def _review_a_question_and_a_moment(db, content, helper):
    question = refreshers.items(content)[0]
    moment = refreshers.moments(content)[0]
    now = utcnow()
    refreshers.answer(db, content, helper, helper, question.key, right_answer(question), now=now)
    refreshers.answer(db, content, helper, helper, moment.key, wrong_answer(moment), now=now + timedelta(seconds=1))
    return question, moment


def test_a_familys_record_holds_their_refreshers_and_their_own_check_ins(db, content, locations, seeded, tmp_path):
    coord, _trainer, ids = seeded
    helper, young, other = ids[0], ids[1], ids[2]
    question, moment = _review_a_question_and_a_moment(db, content, helper)
    as_helper = _as(db, content, locations, helper)
    as_helper.checkins.log("referral", True, 4, True, date.today())
    _as(db, content, locations, other).checkins.log("listening", False, 2, False, date.today())
    as_helper.evaluation.rate_confidence("after", dict.fromkeys(as_helper.evaluation.competencies(), 4))
    settings_store.set_setting(db, school_settings.WELLBEING_AGE_KEY, 13, actor_id=coord)
    wellbeing.set_younger(db, coord, [young], True)
    _as(db, content, locations, young).checkins.log("listening", False, None, None, date.today())

    dest = family_record.export_family_record(db, helper, tmp_path / "record.json", content, "Hillside")
    record = json.loads(dest.read_text(encoding="utf-8"))
    answers = record["refresher_answers"]
    assert [(a["item"], a["kind"], a["right"], a["rating"]) for a in answers] == [
        (question.key, "question", True, "good"),
        (moment.key, "role_play_moment", False, "again"),
    ]
    assert answers[1]["title"] == f"{moment.scenario_title}: {moment.node_id}"
    assert {s["item"] for s in record["refresher_schedule"]} == {question.key, moment.key}
    assert all(s["fsrs_card"]["due"] for s in record["refresher_schedule"])
    [checkin] = record["support_check_ins"]  # their own: not the other helper's
    assert checkin["kind"] == "referral" and checkin["how_heavy_1_to_5"] == 4 and checkin["wanted_to_talk_it_over"]
    # Nothing about the person helped: no such field exists, and the record says so.
    assert set(checkin) == {
        "day",
        "kind",
        "adult_brought_in",
        "how_heavy_1_to_5",
        "wanted_to_talk_it_over",
        "debrief_done_at",
        "debrief_done_by",
    }
    assert "Nothing about the person they helped" in record["notes"]["support_check_ins"]
    assert "without anyone's name" in record["notes"]["survey"]
    assert {c["moment"] for c in record["confidence_ratings"]} == {"after"}
    assert len(record["confidence_ratings"]) == len(as_helper.evaluation.competencies())

    young_record = family_record.family_record(db, young, content)
    assert young_record["support_check_ins"][0]["how_heavy_1_to_5"] is None  # not asked, not invented
    assert young_record["refresher_answers"] == [] and young_record["confidence_ratings"] == []
    assert young_record["trainee"]["preferences"][wellbeing.YOUNGER_KEY] is True


def test_the_attempts_csv_has_each_review_per_trainee_questions_and_moments_apart(db, content, seeded, tmp_path):
    _coord, _trainer, ids = seeded
    question, moment = _review_a_question_and_a_moment(db, content, ids[0])
    csv_export.export_attempts(db, tmp_path / "attempts.csv", content)
    rows = list(csv.DictReader((tmp_path / "attempts.csv").open(encoding="utf-8-sig")))
    reviews = {r["item_id"]: r for r in rows if r["kind"].startswith("refresher")}
    assert set(reviews) == {question.key, moment.key}
    assert reviews[question.key]["kind"] == "refresher" and reviews[question.key]["passed"] == "yes"
    assert reviews[moment.key]["kind"] == "refresher_role_play" and reviews[moment.key]["passed"] == "no"
    assert reviews[moment.key]["item_title"] == moment.scenario_title
    assert reviews[moment.key]["module_id"] == moment.module_id
    assert {r["trainee_id"] for r in reviews.values()} == {ids[0]}


def test_xapi_says_answered_for_a_question_and_responded_for_a_moment(db, content, seeded):
    _coord, _trainer, ids = seeded
    question, moment = _review_a_question_and_a_moment(db, content, ids[0])
    found = [
        st
        for st in xapi.statements(db, content, [ids[0]])
        if st["context"].get("contextActivities", {}).get("category")
    ]
    by_verb = {st["verb"]["display"]["en-US"]: st for st in found}
    assert set(by_verb) == {"answered", "responded"}
    asked = by_verb["answered"]
    assert asked["object"]["id"].endswith(question.key) and asked["result"] == {"success": True}
    played = by_verb["responded"]
    assert played["verb"]["id"] == "http://adlnet.gov/expapi/verbs/responded"
    # The same activity a role-play's choice at that node has: an LRS compares the two.
    assert played["object"]["id"] == f"urn:peer-helper-trainer:scenario:{moment.scenario_id}/node:{moment.node_id}"
    assert played["result"] == {"success": False}
    activities = played["context"]["contextActivities"]
    assert activities["parent"][0]["id"] == f"urn:peer-helper-trainer:scenario:{moment.scenario_id}"
    assert activities["grouping"][0]["id"] == f"urn:peer-helper-trainer:module:{moment.module_id}"
    assert activities["category"][0]["id"] == "urn:peer-helper-trainer:refresher"
    for st in found:
        assert not xapi.statement_problems(st)
    # Check-ins are never statements: not one per helper, in any export.
    assert not [st for st in xapi.statements(db, content) if "checkin" in json.dumps(st).casefold()]


def test_the_window_s_csv_export_adds_check_ins_and_the_survey_in_aggregate_only(
    db, content, locations, seeded, tmp_path
):
    coord, _trainer, ids = seeded
    today = date.today()
    for pid in ids[:5]:
        _as(db, content, locations, pid).checkins.log("listening", False, 3, False, today)
    for n, pid in enumerate(ids[:4]):
        _as(db, content, locations, pid).evaluation.answer_survey(dict.fromkeys(SURVEY_ITEMS, 4), f"note {n}")
    as_coord = _as(db, content, locations, coord)
    as_coord.records.export_csv(tmp_path)
    checkins = list(csv.DictReader((tmp_path / "checkins_by_month.csv").open(encoding="utf-8-sig")))
    assert [(r["kind"], r["check_ins"]) for r in checkins] == [("listening", "5")]
    survey_file = tmp_path / "survey_summary.csv"
    assert list(csv.DictReader(survey_file.open(encoding="utf-8-sig"))) == []  # 4 answers: nothing shown
    _as(db, content, locations, ids[4]).evaluation.answer_survey(dict.fromkeys(SURVEY_ITEMS, 2), "note 4")
    as_coord.records.export_csv(tmp_path)
    survey = list(csv.DictReader(survey_file.open(encoding="utf-8-sig")))
    assert {(r["item"], r["answers"], r["average_1_to_5"]) for r in survey} == {
        (key, "5", "3.6") for key in SURVEY_ITEMS
    }
    written = " ".join(p.read_text(encoding="utf-8-sig") for p in (tmp_path / "checkins_by_month.csv", survey_file))
    assert "Helper" not in written and "note" not in written and ids[0] not in written
