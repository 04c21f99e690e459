"""First impression: empty screens say what to do next, and scripts/screenshots keeps producing
the README's pictures from the real program."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from one_trainee import signed_in_trainee
from PySide6.QtGui import QImage

from app.ui.common.empty_state import EmptyState

REPO = Path(__file__).resolve().parent.parent


def test_a_module_without_lessons_says_what_to_do_instead(qtbot, tmp_path, content_copy):
    shutil.rmtree(content_copy / "lessons" / "self-care")
    win = signed_in_trainee(qtbot, tmp_path / "data", content_copy)
    home = win.pages["trainee"]
    row = [m.id for m in win.ctx.program.modules].index("self-care")
    home.modules.setCurrentRow(row)
    empty = home.detail_holder.findChildren(EmptyState)
    assert len(empty) == 1
    qtbot.waitUntil(empty[0].isVisible)  # children added to a shown page appear on the next turn of the loop
    assert "No lessons here yet" in empty[0].title.text() and "other modules" in empty[0].text.text()


@pytest.mark.slow  # runs the whole program in a new process for every screen (about 30 s); CI runs it
def test_screenshots_come_from_the_real_program(tmp_path):
    out = tmp_path / "shots"
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "screenshots.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    names = {p.name for p in out.glob("*.png")}
    for wanted in (
        "01-profile-picker.png",
        "02-first-start-tour.png",
        "03-trainee-home.png",
        "04-lesson.png",
        "05-knowledge-check.png",
        "06-coordinator-dashboard.png",
        "08-display-dialog.png",
        "09-trainee-home-200-percent-high-contrast.png",
        "11-lesson-dark.png",
    ):
        assert wanted in names, sorted(names)
    picture = QImage(str(out / "03-trainee-home.png"))
    assert (picture.width(), picture.height()) == (1280, 800)
    # Every picture the README shows is one the script makes.
    shown = re.findall(r"\]\(docs/screenshots/([^)]+\.png)\)", (REPO / "README.md").read_text(encoding="utf-8"))
    assert shown and set(shown) <= names, set(shown) - names
