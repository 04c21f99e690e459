"""`peer-trainer analyse`: surface strategies against scenarios and knowledge checks."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from assessment_fixtures import CHECK_FAIR, CHECK_LONGEST, LONGEST_NEVER, LONGEST_WINS, content_folder, scenario

from app.cli import main
from app.modules.assessment_analysis import analyse_paths
from app.modules.content import load_content
from app.modules.scenario import Run
from app.modules.scenario.surface import EXACT, SAMPLED, Player

REPO = Path(__file__).resolve().parent.parent


def by_id(report):
    return {r.id: r for r in report.results}


def test_longest_always_wins_never_wins_and_a_check_of_longest_answers(tmp_path, monkeypatch):
    root = content_folder(
        tmp_path / "content",
        {"wins.md": LONGEST_WINS, "never.md": LONGEST_NEVER},
        {"01-longest.md": CHECK_LONGEST, "02-fair.md": CHECK_FAIR},
    )
    monkeypatch.chdir(tmp_path)
    report = analyse_paths(["content"])
    assert report.problems == []
    r = by_id(report)
    assert r["longest-wins"].strategies == {"longest": True, "shortest": False, "first": False, "last": False}
    assert r["longest-never"].strategies == {"longest": False, "shortest": False, "first": False, "last": False}
    # Three points of three options, one path of 27 passes; counted, not sampled.
    assert r["longest-never"].random_pass_rate == pytest.approx(1 / 27)
    assert (r["longest-never"].method, r["longest-never"].paths, r["longest-never"].passing_paths) == (EXACT, 27, 1)
    assert r["longest"].strategies == {"longest": True, "first": False}
    assert r["fair"].strategies == {"longest": False, "first": False}
    # Five questions of three options at 80 %: at least 4 of 5 right by chance, 11/243.
    assert r["fair"].random_pass_rate == pytest.approx(11 / 243)
    assert not r["longest-wins"].measures_skill() and r["longest-never"].measures_skill()
    assert root.is_dir()


def test_json_shape_and_exit_status(tmp_path, monkeypatch, capsys):
    content_folder(tmp_path / "content", {"wins.md": LONGEST_WINS}, {"01-longest.md": CHECK_LONGEST})
    monkeypatch.chdir(tmp_path)
    assert main(["analyse", "content", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list) and len(data) == 2
    for obj in data:
        assert set(obj) == {"path", "id", "kind", "strategies", "random_pass_rate"}
        assert isinstance(obj["random_pass_rate"], float) and 0 <= obj["random_pass_rate"] <= 1
        assert all(isinstance(v, bool) for v in obj["strategies"].values())
    kinds = {o["id"]: (o["kind"], sorted(o["strategies"])) for o in data}
    assert kinds == {
        "longest-wins": ("scenario", ["first", "last", "longest", "shortest"]),
        "longest": ("knowledge_check", ["first", "longest"]),
    }
    assert next(o for o in data if o["id"] == "longest-wins")["path"] == "content/scenarios/wins.md"


def test_exit_0_when_every_assessment_needs_reading(tmp_path, monkeypatch, capsys):
    content_folder(tmp_path / "content", {"never.md": LONGEST_NEVER}, {"02-fair.md": CHECK_FAIR})
    monkeypatch.chdir(tmp_path)
    assert main(["analyse", "content"]) == 0
    out = capsys.readouterr().out
    assert "0 of 1 role-plays and 0 of 1 knowledge checks" in out
    # A stricter random limit fails the same content.
    assert main(["analyse", "content", "--max-random", "0.01"]) == 1
    # Single files work too.
    assert main(["analyse", "content/scenarios/never.md", "content/lessons/confidentiality/02-fair.md"]) == 0


def test_usage_errors_exit_2(tmp_path, monkeypatch, capsys):
    content_folder(tmp_path / "content", {"never.md": LONGEST_NEVER})
    monkeypatch.chdir(tmp_path)
    assert main(["analyse", "nowhere"]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["analyse", "content", "--max-random", "5"]) == 2
    assert main(["analyse"]) == 2
    (tmp_path / "notes.txt").write_text("x")
    assert main(["analyse", "notes.txt"]) == 2


def test_broken_files_are_reported_like_check_never_a_traceback(tmp_path, monkeypatch, capsys):
    root = content_folder(tmp_path / "content", {"never.md": LONGEST_NEVER})
    (root / "scenarios" / "broken.md").write_text(
        LONGEST_NEVER.replace("(#p2)", "(#nowhere)").replace("id: longest-never", "id: broken"), encoding="utf-8"
    )
    (root / "scenarios" / "binary.md").write_bytes(b"\x00\x01\x02 not text")
    monkeypatch.chdir(tmp_path)
    assert main(["analyse", "content"]) == 1
    captured = capsys.readouterr()
    assert "content/scenarios/broken.md:" in captured.err and "S112" in captured.err
    assert "content/scenarios/binary.md:1:1: F002" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert "longest-never" in captured.out


def test_a_loop_makes_paths_uncountable_so_runs_are_sampled_and_capped(tmp_path, monkeypatch):
    loop = scenario("round-and-round", [[("Again.", 0), ("Go on and finish the conversation kindly.", 1)]], mark=1)
    loop = loop.replace("- [Again.](#done)", "- [Again.](#p1)")
    content_folder(tmp_path / "content", {"loop.md": loop})
    monkeypatch.chdir(tmp_path)
    r = by_id(analyse_paths(["content"]))["round-and-round"]
    assert r.method == SAMPLED and r.runs == 2000
    assert r.random_pass_rate == pytest.approx(1.0)  # a random player leaves the loop in the end
    # "shortest" takes "Again." for ever: it hits the step cap and does not pass.
    assert r.strategies["shortest"] is False and r.strategies["longest"] is True


def test_the_fast_player_agrees_with_the_engine_on_the_shipped_scenarios():
    content = load_content(REPO / "content")
    rng = random.Random(5)
    for sc in content.scenarios:
        if sc.has_errors:
            continue
        player = Player(sc)
        for _ in range(30):
            run = Run.start(sc)
            picks = []
            while not run.finished and run.offered_choices() and len(picks) < 500:
                n = rng.randrange(len(run.offered_choices()))
                picks.append(n)
                run.choose(n + 1)
            replay = iter(picks)
            assert player.play(lambda offered, replay=replay: offered[next(replay)]) == run.passed, sc.id
        # The exact rate and a large sample agree.
        exact = player.random_pass_rate()
        if exact.method == EXACT:
            assert player.sample(4000, 1).pass_rate == pytest.approx(exact.pass_rate, abs=0.03), sc.id


def test_too_many_paths_are_sampled_not_counted(tmp_path, monkeypatch):
    # 12 decision points of 3 choices: 531,441 complete paths, more than the 100,000 counted.
    points = [[("Ask what happened.", 1), ("Say nothing.", 0), ("Change the subject.", -1)]] * 12
    content_folder(tmp_path / "content", {"wide.md": scenario("wide-open", points, mark=12)})
    monkeypatch.chdir(tmp_path)
    r = by_id(analyse_paths(["content"]))["wide-open"]
    assert r.method == SAMPLED and r.runs == 2000 and r.paths is None
    assert r.random_pass_rate == 0.0  # one path in 531,441 passes; 2,000 runs do not find it
