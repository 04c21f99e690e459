"""Right to left (issue 18, item 4): what Qt's layouts do not mirror by themselves, mirrored.

Custom-painted widgets and the PDFs paint in absolute coordinates, so each is checked where it
paints: the progress chart's bars, the chat's sides (the trainee's replies on the left in Arabic),
and the report's and certificate's text on the right-hand side of the page.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from datetime import date
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.modules import competency as rules
from app.ui.common import theme

RTL, LTR = Qt.LayoutDirection.RightToLeft, Qt.LayoutDirection.LeftToRight


def _columns_in(image, y: int, colour: QColor) -> list[int]:
    want = colour.rgb()
    return [x for x in range(image.width()) if image.pixelColor(x, y).rgb() == want]


@pytest.mark.parametrize("direction", [LTR, RTL])
def test_the_progress_chart_mirrors_in_a_right_to_left_language(qtbot, direction):
    from app.ui.staff.progress_chart import ProgressChart

    chart = ProgressChart()
    qtbot.addWidget(chart)
    chart.setLayoutDirection(direction)
    chart.resize(600, 200)
    chart.set_modules([("m1", "Active listening")])
    chart.set_counts({"m1": Counter({rules.COMPLETE: 1, rules.NOT_STARTED: 1})})
    chart.resize(600, chart.sizeHint().height())
    image = chart.grab().toImage()
    _bar_h, _gap, legend = chart._sizes()
    y = round(legend + _bar_h / 2)
    t = theme.current()[0]
    done = _columns_in(image, y, QColor(t.success))
    assert done, "the complete segment is painted"
    if direction == LTR:
        assert min(done) > 100  # the module's title on the left, the bar starting after it
        assert max(done) < 400  # half the bar: complete first, from the left
    else:
        assert max(done) < 500  # the title on the right
        assert min(done) > 200  # complete first, from the right
        # the complete half sits right of the middle of the bar area
        assert sum(done) / len(done) > 300


def _centre_x(widget, within) -> float:
    return widget.mapTo(within, widget.rect().center()).x()


@pytest.mark.parametrize("direction", [LTR, RTL])
def test_the_trainees_replies_are_on_the_right_and_on_the_left_in_arabic(qtbot, direction):
    from app.ui.trainee.conversation_view import ConversationView

    view = ConversationView()
    qtbot.addWidget(view)
    view.setLayoutDirection(direction)
    view.resize(700, 500)
    view.show()
    view.add_lines([SimpleNamespace(speaker_name="Pilar", text="I'm fine.")], {})
    view.add_reply("You don't sound fine.", {})
    qtbot.wait(50)
    bubble = view.history.findChild(type(view.earlier), "Bubble")
    reply = view.history.findChild(type(view.earlier), "Reply")
    middle = view.history.width() / 2
    if direction == LTR:
        assert _centre_x(reply, view.history) > middle > _centre_x(bubble, view.history)
    else:
        assert _centre_x(reply, view.history) < middle < _centre_x(bubble, view.history)


def _words(pdf) -> list[tuple[str, float, float]]:
    """(word, left, right) of each word on the first page, as fractions of the page's width."""
    import re

    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    width = float(re.search(r'<page width="([\d.]+)"', html).group(1))
    pattern = r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<'
    return [(word, float(x0) / width, float(x1) / width) for x0, x1, word in re.findall(pattern, html)]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_programme_report_starts_at_the_right_margin_in_arabic(tmp_path, language):
    from app.core import i18n
    from app.modules.report import Chart, Report, Section
    from app.modules.report_pdf import write_report

    chart = Chart("Knowledge checks passed", ["Welcome", "Inclusion"], [100.0, 50.0], "%")
    report = Report("Riverside High", date(2026, 11, 29), [Section("Trainees", ["Trainees: 11."], [chart])])
    with i18n.speaking(language):
        pdf = write_report(report, tmp_path / "report.pdf")
    words = _words(pdf)
    riverside = next(w for w in words if w[0] == "Riverside")
    welcome = next(w for w in words if w[0] == "Welcome")
    hundred = next(w for w in words if w[0].startswith("100"))
    if language == "en":
        assert riverside[1] < 0.2 and welcome[1] < 0.3 < hundred[1]
    else:  # the school under the title ends at the right margin; chart titles right, values left
        assert riverside[2] > 0.5 and welcome[1] > 0.6 > hundred[2]


def _certificate(modules: int = 2):
    from app.modules import certificates as certs

    data = certs.CertificateData(
        "PHT-2026-000042",
        "ليلى حداد",
        "Riverside High",
        "Peer Helper Training",
        "Certificate of completion",
        date(2026, 5, 4),
        tuple((f"Module {n}", date(2026, 3, 1)) for n in range(1, modules + 1)),
        (("Crisis response and referral", date(2026, 4, 1), "Mr Okafor"),),
        "Ms Rivera",
        "Peer support coordinator",
        "ec1fc00a7ca03043",
    )
    return data, "not-a-real-code"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_certificate_mirrors_in_arabic_the_qr_code_on_the_left(qapp, language):
    from app.modules import certificates as certs
    from app.modules.certificate_pdf import render_image

    data, code = _certificate()
    image = render_image(data, code, certs.Look("Riverside High", "Peer Helper Training", language=language), 800)
    black = QColor("#000000").rgb()
    y = int(image.height() * 0.62)  # through the QR code
    xs = [x for x in range(image.width()) if image.pixelColor(x, y).rgb() == black]
    assert xs
    if language == "en":
        assert min(xs) > image.width() * 0.7
    else:
        assert max(xs) < image.width() * 0.3


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_a_long_list_of_modules_stays_above_the_signature_in_arabic(tmp_path, qapp):
    from app.modules import certificates as certs
    from app.modules.certificate_pdf import write_pdf

    data, code = _certificate(modules=10)  # the curriculum has 9
    pdf = write_pdf(data, code, tmp_path / "c.pdf", certs.Look("Riverside High", "Peer Helper Training", language="ar"))
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    import re

    def top_and_bottom(word: str) -> tuple[float, float]:
        found = re.findall(rf'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">{word}<', html)
        assert found, word
        return float(found[-1][0]), float(found[-1][1])

    last_module = top_and_bottom("10")[1]
    signature = top_and_bottom("Rivera")[0]
    assert last_module < signature


def test_an_english_answer_keeps_its_full_stop_at_the_end_in_an_arabic_window(qtbot):
    from app.ui.common.text_fit import WrappingRadioButton

    ltr, rtl = WrappingRadioButton("You put your phone away."), WrappingRadioButton("You put your phone away.")
    for button, direction in ((ltr, LTR), (rtl, RTL)):
        qtbot.addWidget(button)
        button.setLayoutDirection(direction)
        button.show()
        button.resize(120, 200)  # wraps onto several lines
    assert "\u2068" not in ltr.text() and ltr.accessibleName() == "You put your phone away."
    lines = rtl.text().split("\n")
    assert len(lines) > 1 and all(line.startswith("\u2068") and line.endswith("\u2069") for line in lines)
    assert rtl.accessibleName() == "You put your phone away."


@pytest.mark.parametrize("direction", [LTR, RTL])
def test_a_class_called_9b_heads_its_list_where_the_windows_lines_start(qtbot, direction):
    from PySide6.QtWidgets import QApplication

    from app.ui.common import widgets as w

    app = QApplication.instance()
    before = app.layoutDirection()
    app.setLayoutDirection(direction)
    try:
        label = w.at_start(w.title("9B", "SectionTitle"))
    finally:
        app.setLayoutDirection(before)
    qtbot.addWidget(label)
    label.resize(400, 40)
    image = label.grab().toImage()
    ink = [x for x in range(image.width()) for y in range(image.height()) if image.pixelColor(x, y).lightness() < 128]
    assert ink
    assert (min(ink) > 300) if direction == RTL else (max(ink) < 100)


def test_in_arabic_a_latin_speakers_name_sits_by_the_avatar_and_feedback_keeps_its_full_stop(qtbot):
    from PySide6.QtWidgets import QApplication, QLabel

    from app.ui.trainee.conversation_view import ConversationView

    app = QApplication.instance()
    before = app.layoutDirection()
    app.setLayoutDirection(RTL)
    try:
        view = ConversationView()
        qtbot.addWidget(view)
        view.add_lines([SimpleNamespace(speaker_name="Pilar", text="I'm fine.")], {})
        view.add_feedback("Good: a reflection, not a verdict.", {})
    finally:
        app.setLayoutDirection(before)
    speaker = view.history.findChild(QLabel, "Speaker")
    assert speaker.alignment() & Qt.AlignmentFlag.AlignRight and speaker.alignment() & Qt.AlignmentFlag.AlignAbsolute
    feedback = view.history.findChild(QLabel, "Feedback")
    assert "\u2068Good: a reflection, not a verdict.\u2069" in feedback.text()


@pytest.mark.parametrize("direction", [LTR, RTL])
def test_the_scenario_map_reads_from_the_right_in_arabic(qtbot, tmp_path, direction):
    from pathlib import Path

    from app.modules.content import load_content
    from app.ui.authoring.scenario_map import NODE_W, ScenarioMapView

    scenario = load_content(Path(__file__).resolve().parent.parent / "content").scenario("a-plan-and-a-secret")
    view = ScenarioMapView()
    qtbot.addWidget(view)
    view.setLayoutDirection(direction)
    view.resize(1000, 600)
    view.show()
    view.set_scenario(scenario)
    start = view.node_items[scenario.start]
    others = [item.x() for nid, item in view.node_items.items() if nid != scenario.start]
    forward = [e for e in view.edge_items if e.source == scenario.start]
    assert forward
    for edge in forward:  # each choice leaves the start on the side the map reads towards
        first = edge.path().elementAt(0)
        if direction == LTR:
            assert first.x == pytest.approx(start.x() + NODE_W)
        else:
            assert first.x == pytest.approx(start.x())
    if direction == LTR:
        assert start.x() < min(others)
    else:
        assert start.x() > max(others)
    assert not view.export_png(tmp_path / "map.png").stat().st_size == 0


def test_a_window_made_before_the_language_changed_shows_dates_in_the_new_language(qtbot):
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QDateEdit, QWidget

    from app.core import i18n
    from app.ui.common.language import apply_language

    before = i18n.language()
    window = QWidget()
    qtbot.addWidget(window)
    try:
        apply_language("ar")
        field = QDateEdit(window)
        field.setDisplayFormat("d MMM yyyy")
        field.setDate(QDate(2026, 11, 29))
        assert "Nov" not in field.text() and "نوفمبر" in field.text()
    finally:
        apply_language(before)
    assert window.locale().language() != window.locale().Language.Arabic


def test_in_arabic_the_quizs_feedback_reads_from_the_verdict(qtbot, tmp_path):
    from PySide6.QtWidgets import QLabel

    from app.core import i18n
    from tests.test_language import make_school, open_window

    locations, _coordinator, sam = make_school(tmp_path, school_language="ar")
    win = open_window(qtbot, locations)  # conftest puts English back afterwards
    win.sign_in(sam)
    assert win.isRightToLeft() and i18n.language() == "ar"
    module = win.ctx.program.modules[0]
    checked = next(lesson for lesson in win.ctx.content.module_lessons(module.id) if lesson.has_check)
    win.open_check(module.id, checked.id)
    quiz = win.pages["quiz"]
    question = checked.questions[0]
    quiz.option_buttons[min(question.correct_indexes)].setChecked(True)
    quiz.action.click()
    feedback = [label.text() for label in quiz.findChildren(QLabel) if label.textFormat() == Qt.TextFormat.RichText]
    with_answers = [text for text in feedback if "<b>\u2068" in text]
    assert with_answers and all(text.startswith("\u200f") for text in with_answers)


def test_lists_of_titles_use_the_languages_comma_and_keep_each_title_whole_in_arabic(qtbot):
    from PySide6.QtWidgets import QApplication

    from app.core import i18n
    from app.ui.common import widgets as w
    from app.ui.common.language import apply_language

    assert w.listed(["Active listening", "Empathy"]) == "Active listening, Empathy"
    assert w.listed(["read 2 lessons", "pass a check"], "; ") == "read 2 lessons; pass a check"
    before = i18n.language()
    apply_language("ar")
    try:
        assert QApplication.instance().isRightToLeft()
        assert w.listed(["Active listening", "Empathy"]) == "\u2068Active listening\u2069، \u2068Empathy\u2069"
        assert w.listed(["a", "b"], "; ") == "a؛ b"
    finally:
        apply_language(before)


def test_the_trainees_first_question_shows_its_bold_words_not_their_tags(qtbot, tmp_path):
    from tests.test_language import make_school, open_window

    locations, _coordinator, sam = make_school(tmp_path)
    win = open_window(qtbot, locations)
    win.sign_in(sam)
    home = win.pages["trainee"]
    assert home.evaluation_strip.isVisibleTo(home)
    assert home.evaluation_text.textFormat() == Qt.TextFormat.RichText


def test_in_arabic_a_node_id_keeps_its_hash_in_front():
    """'عند #opening' would show as 'opening# عند' without the isolate the Arabic catalogue puts around #{node}."""
    from app.core import i18n
    from app.core.i18n import _

    with i18n.speaking("ar"):
        where = _("at #{node} · step {n}").format(node="opening", n=0)
        tip = _("#{node} — the start").format(node="opening")
    assert "\u2068#opening\u2069" in where and tip.startswith("\u2068#opening\u2069")
