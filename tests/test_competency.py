"""The completion rules of program.yaml, on plain data."""

from __future__ import annotations

from pathlib import Path

from app.modules import competency as rules
from app.modules.competency import ModuleContent, TraineeRecord
from app.modules.program import load_program

REPO = Path(__file__).resolve().parent.parent
PROGRAM, _ = load_program(REPO / "content")

CONTENTS = {
    m.id: ModuleContent([f"{m.id}-l1", f"{m.id}-l2"], [f"{m.id}-l1"], [f"{m.id}-s1", f"{m.id}-s2", f"{m.id}-s3"])
    for m in PROGRAM.modules
}


def everything_done() -> TraineeRecord:
    rec = TraineeRecord()
    for mid, c in CONTENTS.items():
        rec.lessons_read |= {(mid, l) for l in c.lessons}
        rec.checks_passed |= {(mid, l) for l in c.checks}
        rec.scenarios_passed |= {s: None for s in c.scenarios}
    rec.signed_off = {cid: None for cid in PROGRAM.competencies}
    return rec


def test_nothing_done_is_not_started_and_lists_what_is_missing():
    status = rules.module_status(
        PROGRAM, PROGRAM.module("active-listening"), CONTENTS["active-listening"], TraineeRecord()
    )
    assert status.state == rules.NOT_STARTED and not status.complete
    assert status.missing[:3] == ["read 2 more lessons", "pass 1 more knowledge check", "pass 2 more role-plays"]
    assert status.missing[3].startswith("sign-off: Active listening")


def test_module_waits_for_sign_off_when_only_that_is_left():
    rec = everything_done()
    del rec.signed_off["active_listening"]
    status = rules.module_status(PROGRAM, PROGRAM.module("active-listening"), CONTENTS["active-listening"], rec)
    assert status.state == rules.WAITING_SIGN_OFF


def test_a_number_of_scenarios_is_enough_and_all_means_all():
    rec = everything_done()
    del rec.scenarios_passed["active-listening-s3"]  # module needs 2 of 3
    assert rules.module_status(PROGRAM, PROGRAM.module("active-listening"), CONTENTS["active-listening"], rec).complete
    del rec.scenarios_passed["crisis-protocols-s3"]  # crisis needs all
    crisis = rules.module_status(PROGRAM, PROGRAM.module("crisis-protocols"), CONTENTS["crisis-protocols"], rec)
    assert crisis.missing == ["pass 1 more role-play"]


def test_certificate_ready_only_when_every_module_and_sign_off_is_done():
    rec = everything_done()
    assert rules.certificate_readiness(PROGRAM, CONTENTS, rec).ready
    rec.lessons_read.discard(("introduction", "introduction-l2"))
    readiness = rules.certificate_readiness(PROGRAM, CONTENTS, rec)
    assert not readiness.ready
    assert readiness.missing == ["Welcome to peer helping: read 1 more lesson"]


def test_fraction_counts_each_requirement():
    rec = TraineeRecord(lessons_read={("introduction", "introduction-l1")})
    st = rules.module_status(PROGRAM, PROGRAM.module("introduction"), CONTENTS["introduction"], rec)
    assert st.fraction == 1 / 3 and st.state == rules.IN_PROGRESS


def test_the_attempt_that_counts_is_a_pass_before_any_fail_then_the_higher_score():
    from types import SimpleNamespace as Attempt

    from app.modules.trainee_record import best_check_attempts, best_check_score

    fail_90 = Attempt(module_id="m", lesson_id="a", passed=False, score=0.9)  # before the pass mark was raised
    pass_80 = Attempt(module_id="m", lesson_id="a", passed=True, score=0.8)
    pass_70 = Attempt(module_id="m", lesson_id="a", passed=True, score=0.7)
    fail_40 = Attempt(module_id="m", lesson_id="b", passed=False, score=0.4)
    fail_60 = Attempt(module_id="m", lesson_id="b", passed=False, score=0.6)
    best = best_check_attempts([fail_90, pass_70, pass_80, fail_60, fail_40])
    assert best == {("m", "a"): pass_80, ("m", "b"): fail_60}
    # The dashboard reads only the highest score and the highest passing one; the same rule picks.
    assert best_check_score(0.9, 0.8) == 0.8 and best_check_score(0.6, None) == 0.6
