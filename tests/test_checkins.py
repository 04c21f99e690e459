"""Support check-ins: a certified helper logs that they supported someone, in a few answers; no
field could name the student helped; only the helper and staff see entries; the supervisor sees
who asked for a debrief and who had a heavy week; old entries become monthly counts and go."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from after_certificate_school import seeded_school
from sqlalchemy import String, Text, func, select

from app.core.errors import PermissionDenied
from app.modules.content import load_content
from app.modules.records import checkin_store, profile_store
from app.modules.records.checkin_store import CheckInError
from app.modules.records.erasure import erase_trainee
from app.modules.records.models import SupportCheckIn, SupportCheckInMonth
from app.service import Training


@pytest.fixture
def content(locations):
    return load_content(locations.content_dir)


@pytest.fixture
def seeded(db, seeded_once):
    return seeded_school(db, once=seeded_once)


def _as(db, content, locations, pid) -> Training:
    return Training(db, content, profile_store.get_profile(db, pid), locations)


def test_no_field_could_name_the_student_helped():
    table = SupportCheckIn.__table__
    texts = [c.name for c in table.columns if isinstance(c.type, (String, Text))]
    # Ids and a fixed choice of three words: nothing a person could type a name into.
    assert sorted(texts) == ["debrief_done_by", "id", "kind", "profile_id"]
    assert set(SupportCheckInMonth.__table__.columns.keys()) >= {"month", "kind", "count"}
    assert "profile_id" not in SupportCheckInMonth.__table__.columns


def test_check_ins_reach_the_supervisor(db, content, locations, seeded):
    coord, trainer, ids = seeded
    ana, ben = ids[0], ids[1]
    today = date.today()
    as_ana = _as(db, content, locations, ana)
    as_ben = _as(db, content, locations, ben)
    made, changes = as_ana.checkins.log("listening", False, 2, False, today)
    assert changes.progress and made.profile_id == ana
    as_ana.checkins.log("referral", True, 5, True, today)
    as_ben.checkins.log("conflict", False, 3, False, today - timedelta(days=2))
    assert len(as_ana.checkins.mine()) == 2 and len(as_ben.checkins.mine()) == 1

    for staff in (coord, trainer):
        board = _as(db, content, locations, staff).checkins.supervision(today)
        assert [h.profile_id for h in board] == [ana, ben]  # a debrief waiting comes first
        assert board[0].heavy_week and board[0].heaviest == 5 and len(board[0].debriefs_waiting) == 1
        assert not board[1].heavy_week and not board[1].debriefs_waiting
    as_trainer = _as(db, content, locations, trainer)
    assert len(as_trainer.checkins.of(ana)) == 2
    done, changes = as_trainer.checkins.mark_debrief_done(board[0].debriefs_waiting)
    assert done == 1 and changes.progress
    assert not as_trainer.checkins.supervision(today)[0].debriefs_waiting
    counts = as_trainer.checkins.monthly_counts()
    assert sum(sum(k.values()) for k in counts.values()) == 3


def test_only_the_helper_and_staff_see_entries(db, content, locations, seeded):
    coord, _trainer, ids = seeded
    ana, ben, uncertified = ids[0], ids[1], ids[-1]
    as_ana = _as(db, content, locations, ana)
    as_ana.checkins.log("listening", False, 1, True)
    as_ben = _as(db, content, locations, ben)
    with pytest.raises(PermissionDenied):
        as_ben.checkins.of(ana)
    with pytest.raises(PermissionDenied):
        as_ben.checkins.supervision()
    with pytest.raises(PermissionDenied):
        as_ben.checkins.mark_debrief_done([c.id for c in as_ana.checkins.mine()])
    with pytest.raises(PermissionDenied):
        as_ben.checkins.monthly_counts()
    for actor in (None, "not-a-profile"):
        with pytest.raises(PermissionDenied):
            checkin_store.log(db, actor, "listening", False, 1, False)
        with pytest.raises(PermissionDenied):
            checkin_store.supervision(db, actor)
    assert as_ben.checkins.mine() == [] and len(as_ana.checkins.of(ana)) == 1
    with pytest.raises(CheckInError, match="certificate"):
        _as(db, content, locations, uncertified).checkins.log("listening", False, 1, False)


def test_hostile_answers_are_refused(db, content, locations, seeded):
    _coord, _trainer, ids = seeded
    as_ana = _as(db, content, locations, ids[0])
    for kind, adult, weight, talk in (
        ("Ana told me her dad hits her", False, 3, False),
        ("listening", "yes", 3, False),
        ("listening", False, 0, False),
        ("listening", False, 6, False),
        ("listening", False, True, False),
        ("listening", False, "5", False),
        ("listening", False, 3, None),
    ):
        with pytest.raises(CheckInError):
            as_ana.checkins.log(kind, adult, weight, talk)
    assert as_ana.checkins.mine() == []


def test_old_entries_become_monthly_counts_and_go(db, content, locations, seeded):
    coord, _trainer, ids = seeded
    today = date(2027, 9, 1)
    as_ana = _as(db, content, locations, ids[0])
    as_ana.checkins.log("listening", False, 4, False, date(2026, 6, 10))
    as_ana.checkins.log("listening", True, 2, False, date(2026, 6, 20))
    as_ana.checkins.log("referral", True, 5, False, date(2026, 7, 1))
    as_ana.checkins.log("conflict", False, 1, False, date(2027, 8, 30))
    as_coord = _as(db, content, locations, coord)
    assert as_coord.checkins.retention_days() == 365
    with pytest.raises(PermissionDenied):
        as_ana.checkins.apply_retention(today)
    gone, changes = as_coord.checkins.apply_retention(today)
    assert gone == 3 and changes
    assert len(as_ana.checkins.mine()) == 1
    with db.session() as s:
        rows = {(r.month, r.kind): (r.count, r.adult_involved, r.heavy) for r in s.scalars(select(SupportCheckInMonth))}
    assert rows == {("2026-06", "listening"): (2, 1, 1), ("2026-07", "referral"): (1, 1, 1)}
    counts = as_coord.checkins.monthly_counts()
    assert counts["2026-06"] == {"listening": 2} and counts["2027-08"] == {"conflict": 1}
    assert as_coord.checkins.apply_retention(today)[0] == 0  # nothing twice


def test_erasing_a_helper_takes_their_check_ins(db, content, locations, seeded):
    coord, _trainer, ids = seeded
    _as(db, content, locations, ids[0]).checkins.log("listening", False, 2, True)
    result = erase_trainee(db, ids[0], coord, "Helper 00")
    assert result.rows_removed["support_checkins"] == 1
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(SupportCheckIn)) == 0


def test_csv_exports_hold_counts_only_and_withhold_small_ones(db, content, locations, seeded, tmp_path):
    import csv

    from app.modules.exchange import csv_export

    coord, _trainer, ids = seeded
    today = date.today()
    for pid in ids[:6]:
        _as(db, content, locations, pid).checkins.log("listening", False, 2, False, today)
    _as(db, content, locations, ids[0]).checkins.log("referral", True, 4, False, today)
    checkins, survey = csv_export.export_after_certificate(db, tmp_path, coord)
    rows = list(csv.DictReader(checkins.open(encoding="utf-8-sig")))
    month = today.strftime("%Y-%m")
    assert {(r["month"], r["kind"], r["check_ins"]) for r in rows} == {
        (month, "listening", "6"),
        (month, "referral", "fewer than 5"),
    }
    assert "profile" not in checkins.read_text() and "Helper" not in checkins.read_text()
    assert list(csv.reader(survey.open(encoding="utf-8-sig"))) == [["item", "answers", "average_1_to_5"]]
    with pytest.raises(PermissionDenied):
        csv_export.export_after_certificate(db, tmp_path, ids[0])
