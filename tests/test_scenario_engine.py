"""The engine: playing, hidden choices, starting anywhere, saving and resuming; and the graph analysis."""

from __future__ import annotations

import json

import pytest
from scenario_helpers import BASE, CONTENT, PROGRAM, load_text, without_give_aways

from app.modules.scenario import Run, RunError, StaleRunError, load_scenario
from app.modules.scenario.conditions import ConditionError, evaluate, parse_condition

SECRET = CONTENT / "scenarios" / "secret.md"


@pytest.fixture
def secret():
    sc, findings = load_scenario(SECRET, PROGRAM)
    assert not sc.has_errors
    return sc


def test_a_run_to_a_passing_ending(secret):
    run = Run.start(secret)
    assert [l.speaker_id for l in run.visible_lines()] == [None, "jamie"]
    assert run.visible_lines()[1].voice == "female"
    step = run.choose(2)
    assert step.to_node == "limits" and "honest" in step.feedback
    assert len(run.visible_lines()) == 1  # `::: if trust >= 1` is hidden: trust is 0
    run.choose(1)
    run.choose(1)
    assert run.finished and run.ending == "told" and run.outcome == "success"
    assert run.scores == {"confidentiality": 2, "active_listening": 2}
    assert run.variables == {"trust": 2, "told_adult": True}  # the ending's `set` applied after the choice
    assert run.passed
    assert run.path == ["opening", "limits", "disclosure", "told"]


def test_hidden_choice_is_explained(secret):
    run = Run.start(secret)
    run.choose(1)  # trust +1
    run_limits = Run.start(secret, at="limits", variables={"trust": 1})
    assert [c.text for _, c in run_limits.offered_choices()] == ["Go on, I'm listening."]
    ((choice, why),) = run_limits.hidden_choices()
    assert choice.target == "too-soon"
    assert "trust < 1" in why and "trust is 1" in why


def test_choose_not_offered_lists_the_offered(secret):
    run = Run.start(secret, at="limits", variables={"trust": 1})
    with pytest.raises(ValueError, match="1. Go on"):
        run.choose(2)


def test_start_in_the_middle_with_scores(secret):
    run = Run.start(secret, at="disclosure", scores={"confidentiality": 5})
    run.choose(1)
    assert run.scores["confidentiality"] == 5 and run.passed
    with pytest.raises(RunError):
        Run.start(secret, at="nowhere")
    with pytest.raises(RunError):
        Run.start(secret, variables={"unknown": 1})


def test_failure_never_passes_and_scores_go_negative(secret):
    run = Run.start(secret)
    run.choose(1)
    run.choose(2)
    assert run.outcome == "failure" and not run.passed
    assert run.scores["confidentiality"] == -2


def test_save_after_every_step_and_resume(secret, tmp_path):
    run = Run.start(secret)
    for n in (2, 1):
        run.choose(n)
        saved = json.dumps(run.to_json())
        run = Run.from_json(secret, json.loads(saved))  # as if in a new process
    assert run.to_json()["content_hash"] == secret.content_hash
    run.choose(1)
    assert run.ending == "told" and [s.to_node for s in run.steps] == ["limits", "disclosure", "told"]


def test_resume_refuses_an_edited_file(secret, tmp_path):
    run = Run.start(secret)
    data = run.to_json()
    edited = tmp_path / "secret.md"
    edited.write_text(SECRET.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    other, _ = load_scenario(edited, PROGRAM)
    with pytest.raises(StaleRunError):
        Run.from_json(other, data)


def test_a_scenario_with_errors_is_not_played(tmp_path):
    sc, _ = load_text(tmp_path, BASE.replace("(#end)", "(#nowhere)"))
    with pytest.raises(RunError):
        Run.start(sc)


@pytest.mark.parametrize(
    "src, env, expected",
    [
        ("trust >= 1", {"trust": 1}, True),
        ("not told and (trust < 1 or x == y)", {"told": False, "trust": 3, "x": 1, "y": 1}, True),
        ("told", {"told": False}, False),
        ("trust", {"trust": -1}, True),
        ("a != b and a > -2", {"a": 0, "b": 1}, True),
    ],
)
def test_conditions(src, env, expected):
    assert evaluate(parse_condition(src), env) is expected


@pytest.mark.parametrize(
    "src", ["os.system('x')", "open('f')", "a = 1", "a < b < c", "x +", "1", "(a", "a)", "lambda: 1", "a if b else c"]
)
def test_conditions_refuse_anything_else(src):
    with pytest.raises(ConditionError):
        parse_condition(src)


def _best(tmp_path, body: str, pass_mark: int):
    text = (
        BASE.split("## start")[0].replace(
            "variables: {trust: 0}", f"variables: {{trust: 0}}\npass: {{confidentiality: {pass_mark}}}"
        )
        + body
    )
    return without_give_aways(load_text(tmp_path, text)[1])


def test_best_score_follows_sets_and_loops(tmp_path):
    body = """## start

- [Up](#middle) {confidentiality: +2}
  > a
- [Reset](#middle) {confidentiality: =5}
  > b

## middle

- [Lower](#end) {confidentiality: -1}
  > c

## end {ending: neutral}
"""
    assert [f.code for f in _best(tmp_path, body, 4)] == []  # =5 then -1: 4 is reachable
    assert [f.code for f in _best(tmp_path, body, 5)] == ["S118"]
    loop = body.replace(
        "- [Lower](#end) {confidentiality: -1}\n  > c",
        "- [Lower](#end) {confidentiality: -1}\n  > c\n- [Again](#start)\n  > d",
    )
    assert [f.code for f in _best(tmp_path, loop, 100)] == ["S204"]  # the loop adds +2 each time round: unlimited
    no_gain = loop.replace("{confidentiality: +2}", "{confidentiality: +1}")
    assert [f.code for f in _best(tmp_path, no_gain, 100)] == ["S204"]
    balanced = loop.replace("- [Again](#start)", "- [Again](#start) {confidentiality: -1}").replace(
        "{confidentiality: +2}", "{confidentiality: +1}"
    )
    codes = [f.code for f in _best(tmp_path, balanced, 100)]
    assert codes == ["S118"]  # +1 -1 -1 round the loop never gains: no farming, 100 unreachable


def test_graph_analysis_is_iterative_on_a_long_chain(tmp_path):
    n = 3000
    nodes = "".join(f"## n{i}\n\n- [next](#n{i + 1})\n  > ok\n\n" for i in range(n))
    text = BASE.split("## start")[0] + nodes + f"## n{n} {{ending: success}}\n"
    sc, findings = load_text(tmp_path, text)
    assert findings == [] and sc.start == "n0"
