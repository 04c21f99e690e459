"""The player's recording layer (app.modules.scenario.session), without a window: every choice
committed with the run's state, resume at the last step, changed and vanished files, and the
result counting towards the module and the certificate."""

from __future__ import annotations

import sqlite3

import pytest
from player_helpers import failing_path, passing_path, school_with_trainee

from app.modules import competency
from app.modules.content import load_content
from app.modules.records import progress_store
from app.modules.scenario import Run, RunError, StaleRunError
from app.modules.scenario import session as ss
from app.modules.trainee_record import trainee_record


@pytest.fixture
def content(content_copy):
    return load_content(content_copy)


@pytest.fixture
def trainee(db):
    return school_with_trainee(db)[1]


def scenario_of(content, scenario_id: str):
    found = content.scenario(scenario_id)
    assert found is not None and not found.has_errors
    return found


def test_each_choice_is_a_committed_step_with_the_state(db, locations, content, trainee):
    scenario = scenario_of(content, "the-sketchbook")
    rec = ss.RecordedRun.start(db, trainee.id, scenario)
    [attempt] = progress_store.unfinished_attempts(db, trainee.id)
    assert (attempt.id, attempt.content_hash, attempt.state["node"]) == (
        rec.attempt_id,
        scenario.content_hash,
        scenario.start,
    )

    first = rec.run.offered_choices()[1][1]
    step = rec.choose(2)
    assert step.choice_text == first.text
    # Straight from the file, on another connection, as after a power cut.
    with sqlite3.connect(locations.database_file) as raw:
        rows = raw.execute(
            "SELECT seq, node_id, choice_index, choice_text, target, effects FROM scenario_steps WHERE attempt_id = ?",
            (rec.attempt_id,),
        ).fetchall()
    assert rows == [
        (1, scenario.start, 1, first.text, first.target, '[["warning_signs", "add", 2], ["trust", "add", 1]]')
    ]
    assert progress_store.get_attempt(db, rec.attempt_id).state == rec.run.to_json()

    rec.choose(1)
    steps = progress_store.attempt_steps(db, rec.attempt_id)
    assert [s.seq for s in steps] == [1, 2] and steps[1].node_id == first.target
    assert all(s.at is not None for s in steps)


def test_a_passed_run_counts_for_the_module_and_the_certificate(db, content, trainee):
    program = content.program
    module = program.module("active-listening")

    def status():
        record = trainee_record(db, trainee.id)
        return competency.module_status(program, module, content.module_content(module.id), record)

    assert status().scenarios_passed == 0 and "pass 2 more role-plays" in status().missing
    scenario = scenario_of(content, "late-night-dms")
    failed = ss.RecordedRun.start(db, trainee.id, scenario)
    for n in failing_path(scenario):
        failed.choose(n)
    assert failed.finished and failed.summary.passed is False
    assert status().scenarios_passed == 0 and status().started  # tried, not passed

    passed = ss.RecordedRun.start(db, trainee.id, scenario)
    for n in passing_path(scenario):
        passed.choose(n)
    summary = progress_store.get_attempt(db, passed.attempt_id)
    assert (summary.status, summary.passed, summary.ending) == ("finished", True, passed.run.ending)
    assert summary.scores == passed.run.scores
    assert status().scenarios_passed == 1 and "pass 1 more role-play" in status().missing
    readiness = competency.certificate_readiness(program, content.all_module_contents(), trainee_record(db, trainee.id))
    assert any("Active listening: " in m and "1 more role-play" in m for m in readiness.missing)


def test_resume_lands_on_the_last_recorded_node_with_its_values(db, content, trainee):
    scenario = scenario_of(content, "the-sketchbook")
    rec = ss.RecordedRun.start(db, trainee.id, scenario)
    rec.choose(2)
    rec.choose(2)
    [offer] = ss.resume_offers(db, trainee.id, lambda sid: scenario)
    assert (offer.kind, offer.steps_done, offer.title) == (ss.RESUME, 2, scenario.title)

    again = ss.RecordedRun.resume(db, offer.attempt, scenario)
    assert (again.run.node_id, again.run.scores, again.run.variables) == (
        rec.run.node_id,
        rec.run.scores,
        rec.run.variables,
    )
    # The conversation so far is rebuilt node by node, with the choices made.
    past = ss.history(again.run)
    assert [step.choice_text for _lines, step in past[:-1]] == [s.choice_text for s in rec.run.steps]
    assert past[-1][0] == again.run.visible_lines() and past[-1][1] is None
    again.choose(1)
    assert [s.seq for s in progress_store.attempt_steps(db, rec.attempt_id)] == [1, 2, 3]


def test_a_changed_file_offers_a_fresh_start_and_keeps_the_old_record(db, content, trainee):
    scenario = scenario_of(content, "the-sketchbook")
    rec = ss.RecordedRun.start(db, trainee.id, scenario)
    rec.choose(2)
    scenario.path.write_text(
        scenario.path.read_text(encoding="utf-8").replace("Thursday, after PE.", "Friday, after PE."), encoding="utf-8"
    )
    edited = ss.reload_scenario(scenario, content.program)
    assert edited.content_hash != scenario.content_hash and not edited.has_errors
    [offer] = ss.resume_offers(db, trainee.id, lambda sid: edited)
    assert offer.kind == ss.CHANGED
    with pytest.raises(StaleRunError):
        ss.RecordedRun.resume(db, offer.attempt, edited)
    ss.start_again(db, offer)
    fresh = ss.RecordedRun.start(db, trainee.id, edited)
    old = progress_store.get_attempt(db, rec.attempt_id)
    assert old.status == "stale" and old.content_hash == scenario.content_hash and old.state == rec.run.to_json()
    assert len(progress_store.attempt_steps(db, rec.attempt_id)) == 1
    assert [o.attempt.id for o in ss.resume_offers(db, trainee.id, lambda sid: edited)] == [fresh.attempt_id]


def test_starting_again_abandons_the_unfinished_run(db, content, trainee):
    scenario = scenario_of(content, "the-sketchbook")
    rec = ss.RecordedRun.start(db, trainee.id, scenario)
    rec.choose(1)
    [offer] = ss.resume_offers(db, trainee.id, lambda sid: scenario)
    ss.start_again(db, offer)
    assert progress_store.get_attempt(db, rec.attempt_id).status == "abandoned"
    assert ss.resume_offers(db, trainee.id, lambda sid: scenario) == []


def test_a_file_that_disappears_mid_run_ends_the_run_cleanly(db, content, trainee):
    scenario = scenario_of(content, "the-sketchbook")
    rec = ss.RecordedRun.start(db, trainee.id, scenario)
    rec.choose(2)
    scenario.path.unlink()
    with pytest.raises(ss.ScenarioGone):
        rec.choose(1)
    attempt = progress_store.get_attempt(db, rec.attempt_id)
    assert attempt.status == "stale" and len(progress_store.attempt_steps(db, rec.attempt_id)) == 1
    assert ss.reload_scenario(scenario, content.program) is None
    assert ss.classify(attempt, None).kind == ss.GONE


def test_a_step_that_cannot_be_saved_leaves_the_run_unchanged(db, content, trainee, monkeypatch):
    scenario = scenario_of(content, "the-sketchbook")
    rec = ss.RecordedRun.start(db, trainee.id, scenario)
    before = rec.run.to_json()

    def disk_full(*_a, **_k):
        raise OSError("database or disk is full")

    monkeypatch.setattr(progress_store, "record_step", disk_full)
    with pytest.raises(OSError):
        rec.choose(2)
    assert rec.run.to_json() == before
    monkeypatch.undo()
    rec.choose(2)
    assert len(progress_store.attempt_steps(db, rec.attempt_id)) == 1


def test_a_run_recorded_at_its_ending_but_not_finished_is_finished_on_resume(db, content, trainee):
    scenario = scenario_of(content, "late-night-dms")
    path = passing_path(scenario)
    rec = ss.RecordedRun.start(db, trainee.id, scenario)
    for n in path[:-1]:
        rec.choose(n)
    # The last step is committed, then the program dies before the result is written.
    run = rec.run
    step = run.choose(path[-1])
    progress_store.record_step(
        db,
        rec.attempt_id,
        len(run.steps),
        step.from_node,
        step.choice_index,
        step.choice_text,
        step.to_node,
        [list(e) for e in step.effects],
        run.to_json(),
    )
    [offer] = ss.resume_offers(db, trainee.id, lambda sid: scenario)
    resumed = ss.RecordedRun.resume(db, offer.attempt, scenario)
    assert resumed.finished and resumed.summary.passed and resumed.summary.status == "finished"
    assert ss.resume_offers(db, trainee.id, lambda sid: scenario) == []


def test_a_scenario_with_errors_is_not_offered_and_cannot_start(db, content_copy, trainee):
    broken = content_copy / "scenarios" / "active-listening" / "late-night-dms.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("](#vent)", "](#nowhere)", 1), encoding="utf-8")
    content = load_content(content_copy)
    scenario = content.scenario("late-night-dms")
    assert scenario.has_errors
    assert "late-night-dms" not in [s.id for s in content.module_scenarios("active-listening")]
    assert any(f.code == "S112" and f.path.endswith("late-night-dms.md") for f in content.findings)  # what trainers see
    with pytest.raises(RunError):
        ss.RecordedRun.start(db, trainee.id, scenario)
    assert progress_store.scenario_attempts(db, trainee.id) == []


def test_a_run_where_every_choice_is_hidden_ends_without_passing(db, tmp_path, trainee):
    from scenario_helpers import load_text

    scenario, findings = load_text(
        tmp_path,
        """---
id: hidden
title: Hidden
module: confidentiality
competencies: [confidentiality]
variables: {ready: false}
---

## start

Hello.

- [Go](#end) if ready
  > Fine.

## end {ending: success}

Done.
""",
    )
    assert not scenario.has_errors, findings
    rec = ss.RecordedRun.start(db, trainee.id, scenario)
    assert rec.finished and rec.ended_because == "stuck" and rec.summary.passed is False
    assert progress_store.unfinished_attempts(db, trainee.id) == []


def test_history_falls_back_to_the_current_node_when_the_record_cannot_be_replayed(content):
    scenario = scenario_of(content, "the-sketchbook")
    run = Run.start(scenario)
    run.choose(2)
    data = run.to_json()
    data["steps"][0]["choice"] = 99  # a record that no longer matches the file
    odd = Run.from_json(scenario, data)
    assert ss.history(odd) == [(odd.visible_lines(), None)]
