"""Every text/background pair the themes use meets WCAG AA: 4.5:1 for text, 3:1 for the focus
ring against what it sits on (WCAG 1.4.11), and 3:1 for disabled controls (exempt in WCAG, held
to the lower bar here so a greyed-out button can still be read)."""

from __future__ import annotations

import pytest

from app.modules.lesson_render import CALLOUT_COLOURS
from app.ui import theme
from app.ui.widgets import AVATAR_COLOURS

TEXT, NON_TEXT = 4.5, 3.0


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""
    colour = colour.lstrip("#")
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
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
    for kind, (bg, accent) in CALLOUT_COLOURS.items():  # lessons' call-outs keep their light colours
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
