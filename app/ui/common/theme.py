"""One calm visual style for every screen: colours, type scale, spacing.

Screens use object names and dynamic properties (e.g. `role="primary"`) rather than colours
of their own, so the whole program changes together when the text size or theme changes.

Themes: light, dark, high contrast, and "system" (light or dark as the computer is set, followed
live). The text size scales every font and the stylesheet's sizes from 100 % to 200 %. Screens that
draw colours themselves read `current()` and listen to `notifier.changed`.
tests/test_contrast.py holds every text/background pair here to WCAG AA (4.5:1).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from app.core.i18n import N_


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    surface: str
    surface_alt: str
    text: str
    text_muted: str
    accent: str
    accent_text: str
    accent_soft: str
    border: str
    success: str
    warning: str
    danger: str
    focus: str  # the focus ring: 3:1 against window and surface (WCAG 1.4.11)
    accent_hover: str
    error_bg: str  # behind `danger` text in error banners
    disabled_text: str
    disabled_bg: str
    highlight: str  # the sentence being read aloud, behind `text`
    callout_text: str  # body text inside the lessons' call-out boxes (lesson_render.callout_colours)

    @property
    def dark(self) -> bool:
        return QColor(self.window).lightnessF() < 0.5


LIGHT = Theme(
    name="light",
    window="#f6f7f9",
    surface="#ffffff",
    surface_alt="#eef2f7",
    text="#1d2430",
    text_muted="#4d5766",
    accent="#2f5fb3",
    accent_text="#ffffff",
    accent_soft="#e3ebf9",
    border="#ccd3dd",
    success="#1e6b34",
    warning="#8a4b00",
    danger="#a3221b",
    focus="#c26a00",
    accent_hover="#244c93",
    error_bg="#fdecea",
    disabled_text="#6b7380",
    disabled_bg="#eceff3",
    highlight="#fff1b8",
    callout_text="#1d2430",
)

DARK = Theme(
    name="dark",
    window="#14181f",
    surface="#1d232c",
    surface_alt="#262d38",
    text="#e8ecf2",
    text_muted="#b4bcc8",
    accent="#8ab4f8",
    accent_text="#0d1420",
    accent_soft="#223552",
    border="#414b59",
    success="#7fd69a",
    warning="#f2bb6b",
    danger="#ff9a90",
    focus="#ffc94d",
    accent_hover="#a9c8fa",
    error_bg="#3b1f1f",
    disabled_text="#8d96a3",
    disabled_bg="#232830",
    highlight="#5c4b00",
    callout_text="#e8ecf2",
)

HIGH_CONTRAST = Theme(
    name="high_contrast",
    window="#000000",
    surface="#000000",
    surface_alt="#141414",
    text="#ffffff",
    text_muted="#f2f2f2",
    accent="#ffe14d",
    accent_text="#000000",
    accent_soft="#1c1c1c",
    border="#ffffff",
    success="#8dffa8",
    warning="#ffd27a",
    danger="#ffaaaa",
    focus="#00e5ff",
    accent_hover="#fff09e",
    error_bg="#2e0000",
    disabled_text="#bdbdbd",
    disabled_bg="#1c1c1c",
    highlight="#4d4400",
    callout_text="#ffffff",
)

THEMES = {t.name: t for t in (LIGHT, DARK, HIGH_CONTRAST)}
SYSTEM = "system"
# (preference value, what the Display dialog calls it: marked N_, shown with _())
THEME_CHOICES = [
    (SYSTEM, N_("Like the computer (light or dark)")),
    ("light", N_("Light")),
    ("dark", N_("Dark")),
    ("high_contrast", N_("High contrast")),
]
SCALES = (1.0, 1.25, 1.5, 1.75, 2.0)
MIN_SCALE, MAX_SCALE = SCALES[0], SCALES[-1]
BASE_POINT_SIZE = 11.0


def scaled(points: float, scale: float) -> float:
    return round(points * scale, 1)


def clamp_scale(value) -> float:
    """A stored text size back in range (preferences are data: they may be anything)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return MIN_SCALE
    return min(MAX_SCALE, max(MIN_SCALE, v)) if v == v else MIN_SCALE


def resolve(choice: str | None) -> Theme:
    """The theme for a preference value; "system" follows the computer's light or dark setting."""
    if choice in THEMES:
        return THEMES[choice]
    app = QApplication.instance()
    if app is not None and app.styleHints().colorScheme() == Qt.ColorScheme.Dark:
        return DARK
    return LIGHT


def tick_image(colour: str) -> str:
    """A small PNG tick in `colour` for checked tick boxes (Qt style sheets can only show a tick as
    an image). The themes' ticks ship in app/resources/icons; any other colour is drawn once into
    the user's cache folder."""
    from pathlib import Path

    from app.paths import resources_dir

    name = f"tick-{colour.lstrip('#').lower()}.png"
    shipped = resources_dir() / "icons" / name
    if shipped.exists():
        return shipped.as_posix()
    from platformdirs import user_cache_dir

    path = Path(user_cache_dir("peer-helper-trainer", appauthor=False)) / name
    if not path.exists():
        draw_tick(colour, path)
    return path.as_posix()


def draw_tick(colour: str, path) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QImage, QPainter, QPen

    path.parent.mkdir(parents=True, exist_ok=True)
    img = QImage(48, 48, QImage.Format.Format_ARGB32)
    img.fill(0)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(colour), 7)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.drawPolyline([QPointF(10, 25), QPointF(20, 35), QPointF(38, 13)])
    p.end()
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    img.save(str(tmp), "PNG")
    os.replace(tmp, path)


def n_px(n: float, scale: float) -> float:
    return n * (1 + (scale - 1) * 0.6)


def arrow_image(colour: str, direction: str) -> str:
    """A small PNG chevron ("up" or "down") in `colour` for combo and spin boxes, drawn once into
    the user's cache folder (a style sheet that styles these boxes must draw their arrows too)."""
    from pathlib import Path

    from platformdirs import user_cache_dir

    path = Path(user_cache_dir("peer-helper-trainer", appauthor=False)) / f"arrow-{direction}-{colour.lstrip('#')}.png"
    if not path.exists():
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QImage, QPainter, QPen

        path.parent.mkdir(parents=True, exist_ok=True)
        img = QImage(32, 32, QImage.Format.Format_ARGB32)
        img.fill(0)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(colour), 4.5)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        if direction == "up":
            p.drawPolyline([QPointF(7, 21), QPointF(16, 12), QPointF(25, 21)])
        else:
            p.drawPolyline([QPointF(7, 12), QPointF(16, 21), QPointF(25, 12)])
        p.end()
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        img.save(str(tmp), "PNG")
        os.replace(tmp, path)
    return path.as_posix()


def stylesheet(t: Theme, scale: float) -> str:
    s = lambda pt: f"{scaled(pt, scale)}pt"  # noqa: E731 - a tiny local helper reads best here
    px = lambda n: f"{round(n * (1 + (scale - 1) * 0.6))}px"  # noqa: E731 - padding grows, a little slower than text
    # A button is at least one line of its text high: a minimum below that would squeeze large text.
    line = max(round(n_px(22, scale)), round(scaled(BASE_POINT_SIZE, scale) * 96 / 72 * 1.45))
    return f"""
QWidget {{ color: {t.text}; }}
QMainWindow, QDialog, #Page {{ background: {t.window}; }}
#TopBar {{ background: {t.surface}; border-bottom: 1px solid {t.border}; }}
#AppTitle {{ font-size: {s(13)}; font-weight: 600; color: {t.accent if not t.dark else t.text}; }}
#PageTitle {{ font-size: {s(20)}; font-weight: 600; }}
#SectionTitle {{ font-size: {s(14)}; font-weight: 600; }}
#Muted, QLabel[muted="true"] {{ color: {t.text_muted}; }}
#Muted[tone="warning"], QLabel[tone="warning"] {{ color: {t.warning}; font-weight: 600; }}
#Card, QFrame[card="true"] {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 10px; }}
#Banner {{ background: {t.accent_soft}; border-radius: 8px; padding: {px(10)}; }}
#ErrorBanner {{ background: {t.error_bg}; color: {t.danger}; border-radius: 8px; padding: {px(10)}; }}
#EmptyState {{ background: {t.surface}; border: 1px dashed {t.border}; border-radius: 10px; }}
#EmptyStateTitle {{ font-size: {s(14)}; font-weight: 600; }}
#TourStep {{ font-size: {s(10)}; font-weight: 600; color: {t.text_muted}; }}
QPushButton {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 8px;
    padding: {px(7)} {px(16)}; min-height: {line}px;
}}
QPushButton:hover {{ background: {t.surface_alt}; }}
QPushButton:disabled {{ color: {t.disabled_text}; background: {t.disabled_bg}; }}
QPushButton[role="primary"] {{ background: {t.accent}; color: {t.accent_text}; border-color: {t.accent};
    font-weight: 600; }}
QPushButton[role="primary"]:hover {{ background: {t.accent_hover}; }}
QPushButton[role="primary"]:disabled {{ color: {t.disabled_text}; background: {t.disabled_bg};
    border-color: {t.border}; }}
QPushButton[role="danger"] {{ color: {t.danger}; }}
QPushButton[role="link"] {{ border: none; background: transparent; color: {t.accent}; text-decoration: underline;
    padding: 2px; }}
QPushButton[role="choice"] {{ text-align: left; padding: {px(12)} {px(16)}; border-radius: 10px; min-height: 0px; }}
QPushButton[role="choice"]:checked {{ background: {t.accent_soft}; border: 2px solid {t.accent}; }}
QPushButton[role="profile"] {{ background: {t.surface}; border-radius: 14px; padding: {px(12)}; }}
QPushButton:focus, QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QPlainTextEdit:focus,
QTextBrowser:focus, QTextEdit:focus, QListWidget:focus, QListView:focus, QTreeWidget:focus, QTreeView:focus,
QTableView:focus, QTableWidget:focus, QDateEdit:focus, QSlider:focus {{ outline: none; border: 3px solid {t.focus}; }}
QPushButton[role="link"]:focus {{ border: 3px solid {t.focus}; border-radius: 6px; }}
QCheckBox:focus, QRadioButton:focus {{ outline: none; border: 3px solid {t.focus}; border-radius: 6px; }}
QCheckBox, QRadioButton {{ spacing: {px(8)}; padding: 3px; border: 3px solid transparent; }}
QCheckBox::indicator, QRadioButton::indicator {{
    width: {px(15)}; height: {px(15)}; border: 2px solid {t.text}; background: {t.surface};
}}
QCheckBox::indicator {{ border-radius: 3px; }}
QRadioButton::indicator {{ border-radius: {px(9)}; }}
QCheckBox::indicator:checked {{ background: {t.accent}; border-color: {t.accent};
    image: url("{tick_image(t.accent_text)}"); }}
QRadioButton::indicator:checked {{
    border-color: {t.accent};
    background: qradialgradient(cx:0.5, cy:0.5, radius:0.5, fx:0.5, fy:0.5,
                                stop:0 {t.accent}, stop:0.55 {t.accent}, stop:0.6 {t.surface}, stop:1 {t.surface});
}}
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled {{ border-color: {t.disabled_text}; }}
QLineEdit, QComboBox, QSpinBox, QDateEdit, QPlainTextEdit, QTextEdit {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 6px; padding: {px(4)} {px(8)};
}}
QLineEdit:disabled, QComboBox:disabled, QSpinBox:disabled {{ color: {t.disabled_text}; background: {t.disabled_bg}; }}
QComboBox {{ padding-right: {px(30)}; }}
QComboBox::drop-down {{ subcontrol-origin: border; subcontrol-position: top right; width: {px(28)};
    border: none; background: transparent; }}
QComboBox::down-arrow {{ image: url("{arrow_image(t.text, "down")}"); width: {px(12)}; height: {px(12)}; }}
QComboBox::down-arrow:disabled {{ image: url("{arrow_image(t.disabled_text, "down")}"); }}
QSpinBox, QDateEdit {{ padding-right: {px(26)}; }}
QSpinBox::up-button, QDateEdit::up-button {{ subcontrol-origin: border; subcontrol-position: top right;
    width: {px(24)}; border: none; border-left: 1px solid {t.border}; border-top-right-radius: 6px;
    background: {t.surface_alt}; }}
QSpinBox::down-button, QDateEdit::down-button {{ subcontrol-origin: border; subcontrol-position: bottom right;
    width: {px(24)}; border: none; border-left: 1px solid {t.border}; border-bottom-right-radius: 6px;
    background: {t.surface_alt}; }}
QSpinBox::up-button:hover, QSpinBox::down-button:hover, QDateEdit::up-button:hover,
QDateEdit::down-button:hover {{ background: {t.accent_soft}; }}
QSpinBox::up-arrow, QDateEdit::up-arrow {{ image: url("{arrow_image(t.text, "up")}"); width: {px(10)};
    height: {px(10)}; }}
QSpinBox::down-arrow, QDateEdit::down-arrow {{ image: url("{arrow_image(t.text, "down")}"); width: {px(10)};
    height: {px(10)}; }}
QComboBox QAbstractItemView {{ background: {t.surface}; color: {t.text}; selection-background-color: {t.accent};
    selection-color: {t.accent_text}; }}

QTextBrowser {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 10px; }}
QProgressBar {{ border: 1px solid {t.border}; border-radius: 5px; background: {t.surface_alt}; max-height: 10px;
    text-align: center; }}
QProgressBar::chunk {{ background: {t.accent}; border-radius: 4px; }}
QTabBar::tab {{ padding: {px(8)} {px(16)}; color: {t.text}; border: 3px solid transparent; border-radius: 6px; }}
QTabBar::tab:selected {{ border-bottom-color: {t.accent}; }}
QTabBar::tab:focus {{ border-color: {t.focus}; }}
QListWidget, QListView, QTreeWidget, QTreeView, QTableView, QTableWidget {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 8px;
    alternate-background-color: {t.surface_alt};
    selection-background-color: {t.accent}; selection-color: {t.accent_text};
}}
QHeaderView::section {{ background: {t.surface_alt}; color: {t.text}; border: none;
    border-bottom: 1px solid {t.border}; padding: {px(4)} {px(8)}; }}
QToolTip {{ background: {t.text}; color: {t.surface}; border: none; padding: 6px; }}
QMenu {{ background: {t.surface}; color: {t.text}; border: 1px solid {t.border}; }}
QMenu::item:selected {{ background: {t.accent}; color: {t.accent_text}; }}
"""


def palette(t: Theme) -> QPalette:
    """Colours for what the stylesheet does not reach (views' items, scroll bars, dialogs)."""
    pal = QPalette()
    role = QPalette.ColorRole
    for r, colour in (
        (role.Window, t.window),
        (role.WindowText, t.text),
        (role.Base, t.surface),
        (role.AlternateBase, t.surface_alt),
        (role.Text, t.text),
        (role.Button, t.surface),
        (role.ButtonText, t.text),
        (role.BrightText, t.danger),
        (role.Highlight, t.accent),
        (role.HighlightedText, t.accent_text),
        (role.ToolTipBase, t.text),
        (role.ToolTipText, t.surface),
        (role.PlaceholderText, t.text_muted),
        (role.Link, t.accent),
        (role.LinkVisited, t.accent),
        (role.Light, t.surface),
        (role.Midlight, t.surface_alt),
        (role.Mid, t.border),
        (role.Dark, t.border),
        (role.Shadow, t.border),
    ):
        pal.setColor(r, QColor(colour))
    for r, colour in (
        (role.Text, t.disabled_text),
        (role.WindowText, t.disabled_text),
        (role.ButtonText, t.disabled_text),
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, r, QColor(colour))
    return pal


class _Notifier(QObject):
    changed = Signal(object, float)  # (Theme, text scale): applied to the whole program


notifier = _Notifier()
_current: tuple[Theme, float] | None = None  # None: never applied (Qt's own look, e.g. in tests)


def current() -> tuple[Theme, float]:
    """The theme and text scale last applied (light at 100 % before any)."""
    return _current or (LIGHT, 1.0)


def applied() -> bool:
    return _current is not None


def apply(app: QApplication, scale: float = 1.0, theme: Theme = LIGHT) -> None:
    global _current
    scale = clamp_scale(scale)
    if _current is None and sys.platform in ("win32", "darwin"):
        # Fusion honours the palette the same way everywhere; Linux's Qt uses it already (and asking
        # app.style() here would cost 5 ms of start-up just to wrap QStyle for Python).
        app.setStyle("Fusion")
    font = QFont(app.font())
    font.setPointSizeF(scaled(BASE_POINT_SIZE, scale))
    app.setFont(font)
    app.setPalette(palette(theme))
    app.setStyleSheet(stylesheet(theme, scale))
    _current = (theme, scale)
    notifier.changed.emit(theme, scale)


def document_css(t: Theme) -> str:
    """The default stylesheet of rich-text documents (lessons): headings and quotes in the theme's
    colours; the lessons' call-out boxes have the theme's own tints (lesson_render.callout_colours)."""
    return f"""
body {{ line-height: 150%; }}
h1, h2, h3 {{ color: {t.text}; margin-top: 18px; margin-bottom: 6px; }}
h2 {{ font-size: 130%; }}
h3 {{ font-size: 115%; }}
p {{ margin-top: 0px; margin-bottom: 10px; }}
li {{ margin-bottom: 4px; }}
blockquote {{ margin-left: 16px; color: {t.text_muted}; }}
a {{ color: {t.accent}; }}
table.callout td, table.callout td p, table.callout td li {{ color: {t.callout_text}; }}
"""
