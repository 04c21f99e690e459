"""Words a person would say: no ending or variable ids, no "1/0", no "thing(s)", no negative
scores, and a reason when a role-play that ended well did not pass."""

from __future__ import annotations

from types import SimpleNamespace

from scenario_helpers import load_text

from app.modules.outcome_words import person, shown_score, verdict_sentence, why_not_passed
from app.ui.staff.trainee_detail import _role_plays

PASSING = """---
id: p
title: P
module: confidentiality
competencies: [confidentiality, active_listening]
pass: {confidentiality: 2, active_listening: 1}
---

## start

Hello.

- [Go](#end) {confidentiality: -1}
  > Fine.

## end {ending: success}

Done.
"""


def names(cid: str) -> str:
    return {"confidentiality": "Confidentiality", "active_listening": "Active listening"}[cid]


def test_ended_well_but_not_passed_says_which_competency_fell_short_and_by_how_much(tmp_path):
    sc, _findings = load_text(tmp_path, PASSING)
    said = verdict_sentence(sc, "success", False, {"confidentiality": -1, "active_listening": 1}, names)
    assert said.startswith("It ended well, but it did not pass yet.")
    assert "Confidentiality: 0 points of the 2 needed (2 more needed)" in said
    assert "Active listening" not in said  # that one was met
    assert "-1" not in said
    assert verdict_sentence(sc, "success", True, {}, names) == "It ended well."
    bad = why_not_passed(sc, "failure", {"confidentiality": 5, "active_listening": 5}, names)
    assert bad == "A role-play that does not end well never passes, whatever the scores."


def test_no_negative_scores_and_characters_who_are_a_job_get_the():
    assert shown_score(-3) == 0 and shown_score(4) == 4
    assert person("Counsellor") == "the counsellor" and person("Kofi") == "Kofi"


def test_role_plays_in_the_record_never_read_1_of_0():
    assert _role_plays(1, 0) == "none needed (1 passed)"
    assert _role_plays(0, 0) == "none needed"
    assert _role_plays(1, 2) == "1 of 2 passed"


def test_dashboard_cells_say_of_and_keep_the_average_in_the_tooltip():
    from app.ui.staff.cohort_model import _display, _tooltip

    row = SimpleNamespace(
        checks_passed=1,
        checks_total=20,
        mean_best_score=1.0,
        scenarios_passed=1,
        scenarios_needed=0,
        sign_offs_done=0,
        sign_offs_needed_ids=["a", "b"],
    )
    assert _display(row, "checks", 0) == "1 of 20"  # under "Knowledge checks passed"
    assert "%" not in _display(row, "checks", 0)
    assert "average 100%" in _tooltip(row, "checks", 0)
    assert _display(row, "scenarios", 0) == "none needed"
    assert _display(row, "signoffs", 0) == "0 of 2"
