"""Evaluation: confidence before and after, rated by trainees about the skills only; the survey is
stored without the trainee's id, answered once, and shown only from 5 answers, with names taken
out of the comments."""

from __future__ import annotations

import pytest
from after_certificate_school import seeded_school
from sqlalchemy import select

from app.core.errors import PermissionDenied
from app.modules import report as r
from app.modules.content import load_content
from app.modules.records import profile_store
from app.modules.records.evaluation_store import EvaluationError
from app.modules.records.models import SurveyAnswer
from app.service import Training
from app.service.evaluation import SURVEY_ITEMS


@pytest.fixture
def content(locations):
    return load_content(locations.content_dir)


def _as(db, content, locations, pid) -> Training:
    return Training(db, content, profile_store.get_profile(db, pid), locations)


def test_confidence_before_and_after_reaches_the_report(db, content, locations, seeded_once):
    coord, _trainer, ids = seeded_school(db, once=seeded_once)
    cids = list(content.program.competencies)
    for n, pid in enumerate(ids[:6]):  # certified helpers: rated before, then after
        me = _as(db, content, locations, pid)
        assert me.evaluation.moment_due() == "before"
        me.evaluation.rate_confidence("before", dict.fromkeys(cids, 2))
        assert me.evaluation.moment_due() == "after"
        me.evaluation.rate_confidence("after", dict.fromkeys(cids, 4 if n % 2 else 5))
        assert me.evaluation.moment_due() is None
    me = _as(db, content, locations, ids[0])
    for bad in ({"nope": 3}, {cids[0]: 0}, {cids[0]: 6}, {cids[0]: True}, {}):
        with pytest.raises(EvaluationError):
            me.evaluation.rate_confidence("after", bad)
    with pytest.raises(EvaluationError):
        me.evaluation.rate_confidence("whenever", {cids[0]: 3})
    with pytest.raises(PermissionDenied):
        me.evaluation.confidence()
    report = _as(db, content, locations, coord).reports.build()
    chart = next(s for s in report.sections if s.title == "Confidence before and after").charts[0]
    assert chart.values[:2] == [2.0, 4.5]


def test_the_survey_keeps_no_id_and_shows_only_from_five_answers(db, content, locations, seeded_once):
    coord, _trainer, ids = seeded_school(db, once=seeded_once)
    staff = _as(db, content, locations, coord)
    for n, pid in enumerate(ids[:4]):
        me = _as(db, content, locations, pid)
        assert me.evaluation.survey_due()
        me.evaluation.answer_survey(dict.fromkeys(SURVEY_ITEMS, 4), "More role-plays" if n else "Helper 05 was mean")
        assert not me.evaluation.survey_due()
        with pytest.raises(EvaluationError, match="already"):
            me.evaluation.answer_survey(dict.fromkeys(SURVEY_ITEMS, 1), "again")
    assert staff.evaluation.survey_results() == []  # four answers: nothing shown
    section = next(s for s in staff.reports.build().sections if s.title == "End-of-course feedback")
    assert section.lines == ["Withheld: fewer than 5 answers so far."]
    _as(db, content, locations, ids[4]).evaluation.answer_survey(dict.fromkeys(SURVEY_ITEMS, 5), None)
    assert len(staff.evaluation.survey_results()) == 5
    section = next(s for s in staff.reports.build().sections if s.title == "End-of-course feedback")
    assert "The training was useful: 4.2 out of 5." in section.lines
    assert "“[a name] was mean”" in section.lines  # names in comments are taken out
    with db.session() as s:
        columns = set(SurveyAnswer.__table__.columns.keys())
        assert not any("profile" in c for c in columns)
        assert all(a.month for a in s.scalars(select(SurveyAnswer)))
    me = _as(db, content, locations, ids[5])
    for ratings, comment in (({"useful": 9}, None), ({"other": 3}, None), ({"useful": 3}, "x" * 501)):
        with pytest.raises(EvaluationError):
            me.evaluation.answer_survey(ratings, comment)
    with pytest.raises(PermissionDenied):
        me.evaluation.survey_results()
    with pytest.raises(PermissionDenied):
        staff.evaluation.answer_survey({"useful": 3}, None)
    assert not _as(db, content, locations, ids[-1]).evaluation.survey_due()  # not certified yet
    assert r.anonymise("ask helper 07 or HELPER 08", ["Helper 07"]) == "ask [a name] or [a name] 08"


def test_before_is_asked_only_before_the_first_module(db, content, locations, seeded_once):
    from app.modules.records import progress_store

    _coord, _trainer, ids = seeded_school(db, once=seeded_once)
    late = ids[-1]
    progress_store.save_lesson_position(db, late, content.program.modules[0].id, "x", 0.5, False)
    assert _as(db, content, locations, late).evaluation.moment_due() is None
    assert _as(db, content, locations, ids[-2]).evaluation.moment_due() == "before"
