"""`peer-trainer --self-test` from the source tree: every step runs for real and it exits 0; a broken
content folder makes it fail, naming the file. (packaging/build runs the same self-test in the
bundle, in CI.)"""

from __future__ import annotations

import shutil
from pathlib import Path

from app.cli import main
from app.modules.content import load_content
from app.modules.demo_school import best_path
from app.self_test import PREFERRED_SCENARIO, SelfTest

CONTENT = Path(__file__).resolve().parent.parent / "content"


def test_self_test_passes_every_step_and_leaves_nothing_behind(qapp, capsys, tmp_path, tmp_path_factory, monkeypatch):
    # As on a fresh Debian: no XDG_RUNTIME_DIR, so PulseAudio would make a pulse-* folder in TMPDIR.
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out
    for step in ("Qt", "content", "records", "role-play", "window", "read aloud", "certificate"):
        assert f"[ok] {step}:" in out, out
    # The languages step warns until the catalogues are in app/locale (the program then speaks English).
    shipped = any((CONTENT.parent / "app" / "locale").glob("*/LC_MESSAGES/peer_trainer.mo"))
    assert ("[ok] languages:" if shipped else "[warn] languages:") in out, out
    assert ("Self-test passed: 8 steps" if shipped else "Self-test passed, with 1 warning: 8 steps") in out
    assert "verified" in out
    assert list(tmp_path.iterdir()) == []  # the temporary folder was removed


def test_self_test_fails_on_broken_content_and_names_the_file(qapp, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "program.yaml").write_text("modules: [unclosed\n", encoding="utf-8")
    lines: list[str] = []
    assert SelfTest(content, out=lines.append).run() == 1
    failed = next(line for line in lines if "[FAILED]" in line)
    assert "content" in failed and "program.yaml" in failed
    assert lines[-1].startswith("Self-test FAILED")


def test_the_played_role_play_is_a_passing_best_path():
    scenario = load_content(CONTENT).scenario(PREFERRED_SCENARIO)
    from app.modules.scenario import Run

    run = Run.start(scenario)
    for n in best_path(scenario):
        run.choose(n)
    assert run.finished and run.passed
