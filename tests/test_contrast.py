"""Every text/background pair the themes use meets WCAG AA: 4.5:1 for text, 3:1 for the focus
ring against what it sits on (WCAG 1.4.11), and 3:1 for disabled controls (exempt in WCAG, held
to the lower bar here so a greyed-out button can still be read)."""

from __future__ import annotations

import pytest

from app.modules.lesson_render import callout_colours
from app.ui.common import theme
from app.ui.common.widgets import AVATAR_COLOURS

TEXT, NON_TEXT = 4.5, 3.0


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""
    colour = colour.lstrip("#")
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def pairs(t: theme.Theme) -> list[tuple[str, str, str, float]]:
    """(what, foreground, background, minimum) for everything the stylesheet and screens draw."""
    out = []
    for bg_name in ("window", "surface", "surface_alt", "accent_soft"):
        bg = getattr(t, bg_name)
        out += [(f"text on {bg_name}", t.text, bg, TEXT), (f"muted text on {bg_name}", t.text_muted, bg, TEXT)]
    for fg_name in ("accent", "success", "warning", "danger"):  # links, titles, verdicts, danger buttons
        for bg_name in ("window", "surface"):
            out.append((f"{fg_name} on {bg_name}", getattr(t, fg_name), getattr(t, bg_name), TEXT))
    out += [
        ("primary button", t.accent_text, t.accent, TEXT),
        ("primary button, hovered", t.accent_text, t.accent_hover, TEXT),
        ("selected row", t.accent_text, t.accent, TEXT),
        ("error banner", t.danger, t.error_bg, TEXT),
        ("tooltip", t.surface, t.text, TEXT),
        ("sentence read aloud", t.text, t.highlight, TEXT),
        ("disabled button", t.disabled_text, t.disabled_bg, NON_TEXT),
        ("focus ring on window", t.focus, t.window, NON_TEXT),
        ("focus ring on surface", t.focus, t.surface, NON_TEXT),
    ]
    for kind, (bg, accent) in callout_colours(t.name).items():  # lessons' call-outs in the theme's tints
        out += [(f"{kind} call-out label", accent, bg, TEXT), (f"{kind} call-out text", t.callout_text, bg, TEXT)]
    return out


CASES = [(t.name, what, fg, bg, minimum) for t in theme.THEMES.values() for what, fg, bg, minimum in pairs(t)]


@pytest.mark.parametrize("theme_name,what,fg,bg,minimum", CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_theme_colours_meet_wcag_aa(theme_name, what, fg, bg, minimum):
    ratio = contrast(fg, bg)
    assert ratio >= minimum, f"{theme_name}: {what} is {fg} on {bg}, contrast {ratio:.2f}:1 (needs {minimum}:1)"


@pytest.mark.parametrize("colour", AVATAR_COLOURS)
def test_initials_on_avatars_are_readable(colour):
    assert contrast("#ffffff", colour) >= TEXT


def test_contrast_formula_matches_wcag_reference_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the well-known just-too-light grey
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


def test_every_theme_is_checked_and_dark_themes_know_they_are_dark():
    assert set(theme.THEMES) == {"light", "dark", "high_contrast"}
    assert not theme.LIGHT.dark and theme.DARK.dark and theme.HIGH_CONTRAST.dark


# --- what the role-play really paints ------------------------------------------------------------
# The pairs above hold only if screens use them: a screen with light colours of its own once drew
# role-play text white on white under Dark and High contrast. These read the pixels Qt painted.


def painted_contrast(label) -> float:
    """Contrast between a label's background (in its padding) and the pixel of its text that stands
    out most from it, as painted in its window (what lies behind the label counts; borders do not)."""
    from PySide6.QtCore import QPoint, QRect, QSize
    from PySide6.QtGui import QColor

    top = label.window()
    inner = label.contentsRect()
    corner = label.mapTo(top, inner.topLeft())
    image = top.grab(QRect(corner, inner.size())).toImage()
    bg = QColor(top.grab(QRect(corner - QPoint(3, 0), QSize(1, 1))).toImage().pixel(0, 0)).name()
    colours = {QColor(image.pixel(x, y)).name() for y in range(image.height()) for x in range(image.width())}
    return max(contrast(c, bg) for c in colours)


@pytest.fixture
def themed(qapp):
    """Apply a theme for one test, then give the program back its untouched look."""
    from PySide6.QtGui import QFont

    saved = (qapp.styleSheet(), QFont(qapp.font()), qapp.palette())
    yield lambda t, scale=1.0: theme.apply(qapp, scale, t)
    qapp.setStyleSheet(saved[0])
    qapp.setFont(saved[1])
    qapp.setPalette(saved[2])
    theme._current = None


@pytest.mark.parametrize("applied_after", [False, True], ids=["built under the theme", "theme changed while open"])
@pytest.mark.parametrize("theme_name", ["light", "dark", "high_contrast"])
def test_role_play_text_is_readable_in_every_theme(qtbot, qapp, themed, theme_name, applied_after):
    from PySide6.QtWidgets import QLabel

    from app.modules.scenario import Line
    from app.ui.trainee.conversation_view import ConversationView

    wanted = theme.THEMES[theme_name]
    themed(theme.LIGHT if applied_after else wanted)
    view = ConversationView()
    qtbot.addWidget(view)
    view.resize(900, 800)
    view.show()
    lines = [
        Line(None, None, "It's late on a school night."),
        Line("kai", "Kai", "u awake?"),
        Line("kai", "Kai", "you there?"),
    ]
    view.add_lines(lines, {})
    view.add_reply("I'm here. *What's up?*", {})
    view.add_feedback("Good: you **listened** first.", {})
    view.show_notice("Ms Rivera is the school counsellor.")
    view.show_notice("Nothing here is recorded.", tone="info")
    view.set_choices([(1, "Say something kind")])
    if applied_after:
        themed(wanted)
    for _ in range(10):
        qapp.processEvents()
    names = ["Narration", "Bubble", "Reply", "Feedback", "Notice", "Info"]
    labels = {n: view.findChild(QLabel, n) for n in names}
    labels["choice"] = view.choice_buttons[0].label
    view.highlight_line(2)  # the line being read aloud
    labels["read aloud"] = view.findChild(QLabel, "Speaking")
    assert all(labels.values()), labels
    ratios = {n: round(painted_contrast(lbl), 2) for n, lbl in labels.items()}
    weak = {n: r for n, r in ratios.items() if r < TEXT}
    assert not weak, f"{theme_name}: role-play text below {TEXT}:1: {weak}"


@pytest.mark.parametrize("theme_name", ["light", "dark", "high_contrast"])
def test_the_dashboard_chart_paints_in_the_themes_colours(qtbot, qapp, themed, theme_name):
    from collections import Counter

    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor

    from app.modules import competency as rules
    from app.ui.staff.progress_chart import SEGMENTS, ProgressChart, ink_on

    t = theme.THEMES[theme_name]
    for _state, label, field in SEGMENTS:  # the counts written on each segment
        fill = getattr(t, field)
        assert contrast(ink_on(QColor(fill), t).name(), fill) >= TEXT, (label, fill)
    themed(t)
    chart = ProgressChart()
    qtbot.addWidget(chart)
    chart.set_modules([("m", "Active listening")])
    chart.set_counts({"m": Counter({rules.COMPLETE: 2, rules.NOT_STARTED: 1})})
    chart.resize(700, chart.sizeHint().height())
    chart.show()
    image = chart.grab(QRect(0, 0, int(chart._label_width(chart.fontMetrics())) - 12, chart.height())).toImage()
    colours = {QColor(image.pixel(x, y)).name() for y in range(image.height()) for x in range(image.width())}
    assert max(contrast(c, t.window) for c in colours) >= TEXT, "the module titles cannot be read"


@pytest.mark.parametrize("theme_name", ["light", "dark", "high_contrast"])
def test_unticked_boxes_and_radio_buttons_can_be_seen(qtbot, qapp, themed, theme_name):
    """An empty tick box must stand out from the window (WCAG's 3:1 for parts of controls)."""
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QCheckBox, QRadioButton, QVBoxLayout, QWidget

    t = theme.THEMES[theme_name]
    themed(t)
    holder = QWidget()
    lay = QVBoxLayout(holder)
    boxes = [QCheckBox("Not yet"), QRadioButton("Not yet")]
    for b in boxes:
        lay.addWidget(b)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    for b in boxes:
        image = b.grab().toImage()
        # The indicator sits at the left, before the label's text: look at that strip only.
        strip = 26  # padding and focus border (6 px) + the indicator (about 19 px)
        colours = {QColor(image.pixel(x, y)).name() for y in range(image.height()) for x in range(strip)}
        best = max(contrast(c, t.window) for c in colours)
        assert best >= 3.0, f"{type(b).__name__} indicator in {theme_name}: best contrast {best:.2f}"


def test_each_themes_tick_image_ships_with_the_program():
    """Ticks for the shipped themes are files in app/resources (nothing written at start-up)."""
    from app.paths import resources_dir

    for t in theme.THEMES.values():
        assert theme.tick_image(t.accent_text).startswith(resources_dir().as_posix()), t.name
