"""The shipped content: no phone numbers, no links out of the program, only known placeholders,
and every lesson within the curriculum's rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.modules.lessons import load_module_lessons
from app.modules.placeholders import KNOWN, PLACEHOLDER
from app.modules.program import load_program

CONTENT = Path(__file__).resolve().parent.parent / "content"
FILES = sorted(p for p in CONTENT.rglob("*") if p.suffix in {".md", ".yaml", ".yml"})

# Seven or more digits, allowing spaces, dots, dashes and brackets between them: a phone number.
PHONE = re.compile(r"(?<![\w-])\+?\(?\d[\d\s().-]{5,}\d(?![\w-])")
URL = re.compile(r"\b(?:https?://|www\.|ftp://|mailto:)|\b[\w-]+\.(?:com|org|net|gov|edu|uk|au|nz|ca|io)\b", re.I)


def _digits(s: str) -> int:
    return sum(c.isdigit() for c in s)


def test_the_content_folder_is_not_empty():
    assert len(FILES) > 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CONTENT)))
def test_no_phone_numbers_urls_or_unknown_placeholders(path):
    text = path.read_text(encoding="utf-8")
    phones = [m.group(0) for m in PHONE.finditer(text) if _digits(m.group(0)) >= 7]
    assert phones == [], "use {{school.crisis_line}} or {{school.emergency_number}} instead of a number"
    assert URL.findall(text) == [], "content must not link out of the program"
    unknown = [m.group(1) for m in PLACEHOLDER.finditer(text) if m.group(1) not in KNOWN]
    assert unknown == []


def test_the_detectors_catch_what_they_should():
    assert PHONE.search("call 0800 123 4567 now") and PHONE.search("(555) 010-9999")
    assert not PHONE.search("Year 7, aged 11-12, in 2024")
    assert URL.search("see www.example.org") and URL.search("https://x.y") and URL.search("kidshelp.com")
    assert not URL.search("e.g. this. And that.")


def test_every_teaching_module_has_three_to_five_lessons_with_real_checks():
    program, _ = load_program(CONTENT)
    by_module, findings = load_module_lessons(CONTENT, program)
    assert [f.format() for f in findings] == []  # the give-away warnings too
    for module in program.modules:
        lessons = by_module.get(module.id, [])
        low = 2 if module.id == "introduction" else 3
        assert low <= len(lessons) <= 5, module.id
        for lesson in lessons:
            assert 500 <= lesson.word_count <= 1200, (lesson.shown, lesson.word_count)
            assert len(lesson.questions) >= 5, lesson.shown
            for q in lesson.questions:
                assert q.explanation or all(o.why for o in q.options), (lesson.shown, q.prompt)
