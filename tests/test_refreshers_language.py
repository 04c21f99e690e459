"""Issue 18 item 5: refresher questions in the helper's language where the lesson is translated, the
same questions (same keys, grading and schedule) in any language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from after_certificate_school import seeded_school

from app.modules import refreshers
from app.modules.content import load_content
from app.modules.records.models import utcnow


@pytest.fixture
def content(locations):
    return load_content(locations.content_dir)


def test_the_items_in_spanish_have_the_same_keys_and_spanish_words(content):
    source, spanish = refreshers.items(content), refreshers.items(content, "es")
    assert [i.key for i in spanish] == [i.key for i in source]
    intro = [(s, t) for s, t in zip(source, spanish, strict=True) if s.module_id == "introduction"]
    assert intro, "the introduction's lessons have knowledge checks"
    for s, t in intro:
        assert t.question.prompt != s.question.prompt and t.lesson_title != s.lesson_title
        assert t.question.correct_indexes == s.question.correct_indexes and t.question.kind == s.question.kind
    # Modules without a translation stay in the source's words.
    later = [(s, t) for s, t in zip(source, spanish, strict=True) if s.module_id == "active-listening"]
    assert later and all(s.question.prompt == t.question.prompt for s, t in later)
    # A language with no translation at all: the source.
    assert [i.question.prompt for i in refreshers.items(content, "pt")] == [i.question.prompt for i in source]


def test_the_spanish_queue_is_the_same_queue_and_grades_the_same(db, content, seeded_once):
    _coord, _trainer, ids = seeded_school(db, once=seeded_once)
    helper = ids[0]
    now = utcnow() + timedelta(minutes=1)
    english = refreshers.due(db, content, helper, now=now, limit=None)
    spanish = refreshers.due(db, content, helper, now=now, limit=None, language="es")
    assert [i.key for i, _d in spanish] == [i.key for i, _d in english]
    first = spanish[0][0]
    assert first.module_id == "introduction" and first.question.prompt != english[0][0].question.prompt
    got = refreshers.answer(db, content, helper, helper, first.key, sorted(first.question.correct_indexes), now=now)
    assert got.correct
    after = refreshers.due(db, content, helper, now=now, limit=None, language="es")
    assert first.key not in [i.key for i, _d in after]


def test_the_dialog_asks_in_the_readers_language(qtbot, locations, monkeypatch):
    from test_refreshers_ui import _helper

    from app.ui.common.language import apply_language
    from app.ui.trainee import refresher_dialog

    win, _profile = _helper(qtbot, locations)
    apply_language("es")  # the helper reads Spanish (Display)
    dialog = refresher_dialog.RefresherDialog(win.ctx, win)
    qtbot.addWidget(dialog)
    item, _due = dialog.queue[0]
    spanish = refreshers.items(win.ctx.content, "es")
    assert item.question.prompt == next(i for i in spanish if i.key == item.key).question.prompt
    assert item.module_id == "introduction"
    assert (
        item.question.prompt != next(i for i in refreshers.items(win.ctx.content) if i.key == item.key).question.prompt
    )
    dialog.close()
