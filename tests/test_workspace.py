"""The trainer's content workspace: files and findings, open in editor at a line, a new scenario
from the template, re-checking by itself when a file is saved, and play-test wiring."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.paths import resolve_locations
from app.ui.authoring.editor_launcher import EditorLauncher, editor_command
from app.ui.common.context import AppContext

SCENARIO = "scenarios/crisis-protocols/a-plan-and-a-secret.md"


class FakeEditor:
    """Records what would be started instead of starting it."""

    def __init__(self):
        self.commands: list[list[str]] = []
        self.urls = []

    def launcher(self, env):
        return EditorLauncher(
            start=lambda cmd: self.commands.append(cmd) or True, open_url=lambda p: self.urls.append(p) or True, env=env
        )


@pytest.fixture
def editor():
    return FakeEditor()


@pytest.fixture
def workspace(qtbot, tmp_path, content_copy, editor):
    from app.ui.authoring.content_workspace import ContentWorkspace

    ctx = AppContext(resolve_locations(tmp_path / "data", content_copy))
    ctx.load_content()
    ws = ContentWorkspace(ctx, launcher=editor.launcher({"EDITOR": "gedit"}))
    qtbot.addWidget(ws)
    ws.resize(1200, 800)
    ws.show()
    ws.refresh()
    return ws


def test_editor_commands_put_the_line_where_each_editor_wants_it():
    f = "/c/s.md"
    assert editor_command(f, 12, {"EDITOR": "code --wait"}) == ["code", "--wait", "-g", "/c/s.md:12"]
    assert editor_command(f, 12, {"VISUAL": "gedit", "EDITOR": "nano"}) == ["gedit", "+12", f]
    assert editor_command(f, 12, {"EDITOR": "kate"}) == ["kate", "--line", "12", f]
    assert editor_command(f, 12, {"EDITOR": r'"C:\Tools\notepad++.exe"'})[-2:] == ["-n12", f]
    assert editor_command(f, 12, {"EDITOR": "vim"}) == ["vim", "+12", f]
    assert editor_command(f, 12, {"EDITOR": "someeditor"}) == ["someeditor", f]  # unknown: no line syntax guessed
    assert editor_command(f, 12, {}) is None  # the system's default application


def test_without_an_editor_the_system_default_opens_the_file(editor, tmp_path):
    launcher = editor.launcher({})
    message = launcher.open(tmp_path / "x.md", 7)
    assert editor.commands == [] and editor.urls == [tmp_path / "x.md"] and "line 7" in message


def test_every_file_is_listed_with_its_state(workspace):
    kinds = [f.kind for f in workspace.files]
    shipped = workspace.ctx.locations.content_dir
    assert kinds.count("lesson") == len(list((shipped / "lessons").rglob("*.md")))
    assert kinds.count("scenario") == len(list((shipped / "scenarios").rglob("*.md"))) and kinds[0] == "program"
    assert all(not f.findings for f in workspace.files)  # the shipped curriculum checks clean, warnings too
    assert " 0 errors" in workspace.summary.text() or "No problems found" in workspace.summary.text()
    assert workspace.select_file(SCENARIO)
    nodes = len(workspace.ctx.content.scenario("a-plan-and-a-secret").nodes)
    assert workspace.map.isVisibleTo(workspace) and len(workspace.map.node_items) == nodes
    assert workspace.select_file("01-attention-and-presence.md")
    assert not workspace.map_box.isVisibleTo(workspace)


def test_a_finding_opens_the_editor_at_its_line(workspace, qtbot, editor, content_copy):
    path = content_copy / SCENARIO
    path.write_text(path.read_text(encoding="utf-8").replace("(#counsellor)", "(#counselor)", 1), encoding="utf-8")
    workspace.check_now()
    qtbot.waitUntil(lambda: workspace.file(SCENARIO).state == "errors", timeout=5000)
    workspace.select_file(SCENARIO)
    row = next(
        workspace.findings.topLevelItem(i)
        for i in range(workspace.findings.topLevelItemCount())
        if workspace.findings.topLevelItem(i).text(2) == "S112"
    )
    workspace._open_finding(row)
    assert editor.commands[-1] == ["gedit", f"+{row.text(0)}", str(path)]
    assert "did you mean #counsellor" in row.text(3)
    # The node with the error is marked on the map, and selecting the finding selects it.
    workspace.findings.setCurrentItem(row)
    selected = workspace.map.selected_node()
    assert selected is not None and workspace.map.facts[selected].errors


def test_saving_a_file_is_checked_again_without_a_restart(workspace, qtbot, content_copy):
    path = content_copy / SCENARIO
    seen = []
    workspace.ctx.changed.connect(lambda changes: changes.content and seen.append(workspace.ctx.content))
    good = path.read_text(encoding="utf-8")
    path.write_text(
        good.replace("{crisis_response: +2, trust: +1}", "{crisis_respons: +2, trust: +1}", 1), encoding="utf-8"
    )
    qtbot.waitUntil(lambda: workspace.file(SCENARIO).state == "errors", timeout=5000)
    assert seen and seen[-1].error_count >= 1  # AppContext.content was replaced and announced
    assert any(f.code == "S111" for f in workspace.file(SCENARIO).findings)
    # An editor's atomic save (write elsewhere, rename over) is noticed too.
    tmp = path.with_suffix(".md.tmp~")
    tmp.write_text(good, encoding="utf-8")
    os.replace(tmp, path)
    qtbot.waitUntil(lambda: workspace.file(SCENARIO).state != "errors", timeout=5000)
    assert str(path) in workspace.watcher.watched()
    # And once more after the rename: the file is still watched.
    path.write_text(good.replace("(#counsellor)", "(#counselor)", 1), encoding="utf-8")
    qtbot.waitUntil(lambda: workspace.file(SCENARIO).state == "errors", timeout=5000)


def test_a_new_scenario_from_the_template_is_written_opened_and_checked(workspace, qtbot, editor, content_copy):
    from app.ui.authoring.content_workspace import NewScenarioDialog

    dlg = NewScenarioDialog(workspace.ctx, workspace)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.title_edit, "The new student at lunch")
    dlg.module.setCurrentIndex(dlg.module.findData("active-listening"))
    assert "active-listening/the-new-student-at-lunch.md" in dlg.where.text()
    qtbot.mouseClick(dlg.create, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted
    path = content_copy / "scenarios" / "active-listening" / "the-new-student-at-lunch.md"
    assert dlg.created == path and path.is_file()
    workspace.scenario_created(path)
    assert editor.commands[-1][0] == "gedit" and editor.commands[-1][-1] == str(path)
    qtbot.waitUntil(lambda: workspace.file("the-new-student-at-lunch.md") is not None, timeout=5000)
    new = workspace.file("the-new-student-at-lunch.md")
    # A draft, and the untouched template is a warning (S212) until the trainer writes their own.
    assert new.item.is_draft and new.item.title == "The new student at lunch"
    assert [f.code for f in new.findings] == ["S212"] and new.state_text() == "Draft · 1 warning"
    assert workspace.current is not None and workspace.current.shown.endswith("the-new-student-at-lunch.md")
    assert len(workspace.map.node_items) == 6
    # The same title again is refused, and the file is left as it was.
    before = path.read_bytes()
    again = NewScenarioDialog(workspace.ctx, workspace)
    qtbot.addWidget(again)
    qtbot.keyClicks(again.title_edit, "The new student at lunch")
    again.module.setCurrentIndex(again.module.findData("active-listening"))
    qtbot.mouseClick(again.create, Qt.MouseButton.LeftButton)
    assert again.result() != QDialog.DialogCode.Accepted and "already" in again.error.text()
    assert path.read_bytes() == before


def test_play_test_opens_from_the_start_or_from_a_node(workspace, monkeypatch):
    from app.ui.authoring import playtest_window

    opened = []

    class FakePlaytestWindow:
        def __init__(self, ctx, scenario, start_node=None):
            opened.append((scenario.id, start_node))

        def show(self):
            pass

        def isVisible(self):
            return True

    monkeypatch.setattr(playtest_window, "PlaytestWindow", FakePlaytestWindow)
    workspace.select_file(SCENARIO)
    workspace._update_play_button()
    assert workspace.play_button.isEnabled()
    workspace.map.play_from.emit("stay")  # double-click or "Play-test from here" on the map
    workspace.play_button.click()
    assert opened == [("a-plan-and-a-secret", "stay"), ("a-plan-and-a-secret", None)]


def test_the_map_is_saved_as_a_picture(workspace, tmp_path):
    workspace.select_file(SCENARIO)
    assert workspace.export_map(tmp_path / "plan.png").stat().st_size > 10_000
    assert "<svg" in workspace.export_map(tmp_path / "plan.svg").read_text(encoding="utf-8")


def test_trainers_get_content_and_sign_off_tabs(qtbot, tmp_path, content_copy):
    from app.modules.records import profile_store, school_setup
    from app.modules.records.database import Database
    from app.ui.staff.staff_home import StaffHomePage

    ctx = AppContext(resolve_locations(tmp_path / "data", content_copy))
    ctx.open_records(Database.open(ctx.locations))
    try:
        coord = school_setup.setup_school(ctx.db, "Ms Rivera", "password123", "Riverside High")
        trainer = profile_store.create_profile(ctx.db, "Mr Okafor", "trainer", secret="password123", actor_id=coord.id)
        ctx.load_content()
        ctx.sign_in(trainer)
        page = StaffHomePage(ctx)
        qtbot.addWidget(page)
        page.refresh()
        tabs = [page.tabs.tabText(i) for i in range(page.tabs.count())]
        assert "Sign-off" in tabs and "Content" in tabs and "People" not in tabs
        page.show_problems()
        assert page.tabs.currentWidget() is page.problems
    finally:
        ctx.db.close()
