"""Drafts: `status: draft` in a lesson's or scenario's front matter keeps it from trainees (the
content they are offered, their home and the completion rules); "New scenario…" makes a draft
whose untouched template is a warning (S212); publishing rewrites only the status line."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.modules.content import load_content
from app.modules.publish import PublishError, publish_blockers, publish_file, published_bytes
from app.modules.scenario.new_file import create_scenario_file

LESSON = "lessons/active-listening/01-attention-and-presence.md"
SCENARIO = "scenarios/crisis-protocols/a-plan-and-a-secret.md"


def as_draft(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ntitle:", "\nstatus: draft\ntitle:", 1), encoding="utf-8")


def test_a_file_without_status_is_published_and_a_draft_is_hidden_from_trainees(content_copy):
    before = load_content(content_copy)
    assert not before.drafts() and before.error_count == 0
    as_draft(content_copy / LESSON)
    as_draft(content_copy / SCENARIO)
    content = load_content(content_copy)
    assert content.error_count == 0
    assert {getattr(d, "id", None) for d in content.drafts()} == {"attention-and-presence", "a-plan-and-a-secret"}
    lesson_ids = [l.id for l in content.module_lessons("active-listening")]
    assert "attention-and-presence" not in lesson_ids and lesson_ids  # the others are still there
    assert "a-plan-and-a-secret" not in [s.id for s in content.module_scenarios("crisis-protocols")]
    # The completion rules count what trainees are offered: the draft is not required.
    needed = content.module_content("active-listening")
    assert "attention-and-presence" not in needed.lessons and "attention-and-presence" not in needed.checks
    assert "a-plan-and-a-secret" not in content.module_content("crisis-protocols").scenarios
    # Trainers still find both (the workspace lists them, marked as drafts).
    assert content.lesson("active-listening", "attention-and-presence").is_draft
    assert content.scenario("a-plan-and-a-secret").is_draft


def test_a_status_that_is_neither_draft_nor_published_is_an_error(content_copy):
    path = content_copy / SCENARIO
    path.write_text(path.read_text(encoding="utf-8").replace("\ntitle:", "\nstatus: drfat\ntitle:", 1), "utf-8")
    lesson = content_copy / LESSON
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("\ntitle:", "\nstatus: hidden\ntitle:", 1), "utf-8")
    content = load_content(content_copy)
    s105 = [f for f in content.findings if f.code == "S105" and "status" in f.message]
    assert s105 and "did you mean draft?" in s105[0].hint
    assert any(f.path.endswith("01-attention-and-presence.md") and f.is_error for f in content.findings)


def test_a_new_scenario_is_a_draft_and_its_untouched_template_is_a_warning(content_copy):
    content = load_content(content_copy)
    path = create_scenario_file(content_copy, "Lunch alone", "active-listening", content.program)
    content = load_content(content_copy)
    new = content.scenario("lunch-alone")
    assert new.is_draft and "lunch-alone" not in [s.id for s in content.module_scenarios("active-listening")]
    codes = [f.code for f in new.findings]
    assert codes == ["S212"] and not new.has_errors
    assert publish_blockers(new, new.findings)  # the template's example is never published as it is
    # The trainer writes their own summary and opening: the warning goes, and it can be published.
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "Alex wants to talk, but keeps checking whether anyone can hear. Replace this with your situation.",
        "Alex eats lunch alone every day this week.",
    ).replace("At break time, Alex sits down next to you. They look tired.", "Alex is alone at a lunch table.")
    path.write_text(text, encoding="utf-8")
    new = load_content(content_copy).scenario("lunch-alone")
    assert not new.findings and publish_blockers(new, new.findings) == []
    before = path.read_bytes()
    publish_file(path)
    after = path.read_bytes()
    assert after == before.replace(b"\nstatus: draft\n", b"\nstatus: published\n", 1)
    content = load_content(content_copy)
    assert not content.scenario("lunch-alone").is_draft
    assert "lunch-alone" in [s.id for s in content.module_scenarios("active-listening")]


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"---\nid: x\nstatus: draft\ntitle: T\n---\nbody status: draft\n", b"status: published\n"),
        (b"---\r\nid: x\r\nstatus:   'draft'   # not yet\r\n---\r\n", b"status:   'published'   # not yet\r\n"),
        (b'\xef\xbb\xbf---\nstatus: "draft"\n---\n', b'status: "published"\n'),
    ],
)
def test_publishing_changes_the_status_line_and_no_other_byte(raw, expected):
    new = published_bytes(raw)
    assert expected in new
    assert new.replace(b"published", b"draft", 1) == raw
    assert new.count(b"draft") == raw.count(b"draft") - 1  # "status: draft" in the body is left alone


def test_publishing_a_yaml_scenario_and_the_refusals():
    assert published_bytes(b"id: x\nstatus: draft\nnodes: []\n", yaml_file=True) == (
        b"id: x\nstatus: published\nnodes: []\n"
    )
    with pytest.raises(PublishError, match="no 'status: draft'"):
        published_bytes(b"---\nid: x\n---\nstatus: draft\n")  # only in the body: not the front matter
    with pytest.raises(PublishError, match="more than once"):
        published_bytes(b"---\nstatus: draft\nstatus: draft\n---\n")
    with pytest.raises(PublishError, match="not closed"):
        published_bytes(b"---\nstatus: draft\n")


def test_one_click_publishes_in_the_workspace_after_a_clean_check(qtbot, tmp_path, content_copy):
    from app.paths import resolve_locations
    from app.ui.authoring.content_workspace import ContentWorkspace
    from app.ui.common.context import AppContext

    as_draft(content_copy / SCENARIO)
    ctx = AppContext(resolve_locations(tmp_path / "data", content_copy))
    ctx.load_content()
    ws = ContentWorkspace(ctx, watch=False)
    qtbot.addWidget(ws)
    ws.resize(1200, 800)
    ws.show()
    ws.refresh()
    assert "1 draft, not shown to trainees" in ws.summary.text()
    assert ws.select_file(SCENARIO)
    assert ws.current.state_text().startswith("Draft")
    assert ws.publish_button.isVisible() and ws.publish_button.isEnabled()
    assert ws.publish_button.property("role") == "primary"
    qtbot.mouseClick(ws.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ws.file(SCENARIO).is_draft, timeout=5000)
    assert "Published" in ws.status.text()
    assert not ws.publish_button.isVisible()
    assert "a-plan-and-a-secret" in [s.id for s in ctx.content.module_scenarios("crisis-protocols")]
