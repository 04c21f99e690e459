"""The programme report: `peer-trainer report --out report.pdf` on a seeded school has every
section, withholds a group of 4, draws its charts; an empty school says "Nothing yet." in each."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from after_certificate_school import right_answer
from cohort_helpers import complete_module, make_ready, school, trainee

from app.cli import main
from app.core.errors import PermissionDenied
from app.modules import report as r
from app.modules.content import load_content
from app.modules.records import certificate_store, preference_store, profile_store

SECTIONS = [
    "Trainees trained",
    "Confidence before and after",
    "Knowledge checks and role-plays by module",
    "Refreshers after the certificate",
    "Support check-ins",
    "End-of-course feedback",
    "Certificates and renewals",
]
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")


def _cli(locations, *args: str) -> int:
    return main(["--data-dir", str(locations.data_dir), "--content", str(locations.content_dir), *args])


def _text(pdf) -> str:
    """The PDF's text, with ligatures ("ﬁ") undone as a reader would see them."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", out)


@needs_poppler
def test_an_empty_school_gets_nothing_yet_in_every_section(db, locations, tmp_path, qapp):
    school(db)
    out = tmp_path / "report.pdf"
    assert _cli(locations, "report", "--out", str(out)) == 0
    text = _text(out)
    for title in SECTIONS:
        assert title in text
    assert text.count("Nothing yet.") == len(SECTIONS)


@pytest.fixture
def seeding_db(locations):
    """The records, for a test that writes a whole school's work before it looks: no wait for the
    disk at each of the ~1,000 commits (the report reads what is written either way)."""
    from app.modules.records.database import Database

    database = Database.open(locations, durable=False)
    yield database
    database.close()


@needs_poppler
def test_a_seeded_school_has_every_section_and_withholds_a_group_of_4(seeding_db, locations, tmp_path, qapp):
    from app.service import Training

    db = seeding_db

    content = load_content(locations.content_dir)
    coord, trainer = school(db)
    ids = [trainee(db, f"Helper {n:02d}", "9A" if n % 2 else "9B", coord) for n in range(30)]
    for tid in ids[:6]:
        make_ready(db, content, tid, trainer)
    first = content.program.modules[0].id
    for tid in ids[6:10]:
        complete_module(db, content, tid, trainer, first)
    staff = Training(db, content, profile_store.get_profile(db, coord), locations)
    staff.certificates.issue(ids[:6], tmp_path / "certs")
    for tid in ids[:4]:  # four helpers: their refreshers and check-ins are a group of 4
        helper = Training(db, content, profile_store.get_profile(db, tid), locations)
        item, _due = helper.refreshers.due()[0]
        helper.refreshers.answer(item.key, right_answer(item))
        helper.checkins.log("listening", False, 2, False, date.today())

    report = staff.reports.build()
    by_title = {s.title: s for s in report.sections}
    assert [s.title for s in report.sections] == SECTIONS
    assert "Trainees: 30." in by_title["Trainees trained"].lines[0]
    assert by_title["Refreshers after the certificate"].lines == [
        "Withheld: fewer than 5 helpers have answered refresher questions."
    ]
    assert by_title["Support check-ins"].lines == ["Withheld: fewer than 5 helpers have logged check-ins."]
    module_charts = by_title["Knowledge checks and role-plays by module"].charts
    assert module_charts and module_charts[0].values[0] == 100  # ten started the first module, all passed
    assert "Certificates held: 6." in by_title["Certificates and renewals"].lines

    out = tmp_path / "report.pdf"
    assert _cli(locations, "report", "--out", str(out)) == 0
    if os.environ.get("PEER_TRAINER_SHOTS"):
        shutil.copy(out, Path(os.environ["PEER_TRAINER_SHOTS"]) / "report-seeded.pdf")
    text = _text(out)
    for title in SECTIONS:
        assert title in text
    assert "fewer than 5 helpers" in text and "Helper 0" not in text
    # The charts are drawn: the page with them has blue bars.
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(out), str(tmp_path / "page")], check=True)
        from PySide6.QtGui import QColor, QImage

        pages = sorted(tmp_path.glob("page*.png"))
        blue = 0
        for page in pages:
            image = QImage(str(page))
            for y in range(0, image.height(), 2):
                for x in range(0, image.width(), 2):
                    c = QColor(image.pixel(x, y))
                    blue += c.blue() > 150 and c.red() < 80
        assert blue > 20


def test_small_figures_are_withheld():
    assert r.figure(4) == "fewer than 5" and r.figure(5) == "5"
    assert r.percent(3, 4).startswith("withheld") and r.percent(3, 6) == "50%"
    answers = [({"useful": 4}, "More role-plays")] * 4
    assert r.survey_section(answers, {"useful": "Useful"}).lines == ["Withheld: fewer than 5 answers so far."]
    five = r.survey_section(answers + [({"useful": 5}, "")], {"useful": "The training was useful"})
    assert "The training was useful: 4.2 out of 5." in five.lines and "“More role-plays”" in five.lines
    assert not certificate_store.NUMBER_PREFIX == ""


@needs_poppler
def test_the_list_of_helpers_shows_only_those_who_agreed_and_only_when_the_school_allows(db, locations, tmp_path, qapp):
    from app.modules.school_settings import RECOGNITION_CONSENT, RECOGNITION_KEY
    from app.service import Training

    content = load_content(locations.content_dir)
    coord, _trainer = school(db)
    ids = [trainee(db, name, "9A", coord) for name in ("Ana Lopez", "Ben Okoro", "Cleo Brand")]
    for tid in ids:
        certificate_store.issue(db, tid, "x", coord, lambda n, at: ({"n": n}, "c2ln"))
    for tid in ids[:2]:
        preference_store.set_preferences(db, tid, {RECOGNITION_CONSENT: True}, actor_id=tid)
    staff = Training(db, content, profile_store.get_profile(db, coord), locations)
    assert staff.reports.recognition() == []  # the school has not turned the list on
    staff.settings.set(RECOGNITION_KEY, "consented")
    assert [n for n, _since in staff.reports.recognition()] == ["Ana Lopez", "Ben Okoro"]
    out = tmp_path / "helpers.pdf"
    assert _cli(locations, "recognition", "--out", str(out)) == 0
    text = _text(out)
    assert "Ana Lopez" in text and "Ben Okoro" in text and "Cleo Brand" not in text
    with pytest.raises(PermissionDenied):
        Training(db, content, profile_store.get_profile(db, ids[0]), locations).reports.recognition()
