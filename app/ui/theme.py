"""One calm visual style for every screen: colours, type scale, spacing.

Screens use object names and dynamic properties (e.g. `role="primary"`) rather than colours
of their own, so the whole program changes together when the text size or theme changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication


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
    focus: str


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
    focus="#f0a500",
)

BASE_POINT_SIZE = 11.0


def scaled(points: float, scale: float) -> float:
    return round(points * scale, 1)


def stylesheet(t: Theme, scale: float) -> str:
    s = lambda pt: f"{scaled(pt, scale)}pt"  # noqa: E731 - a tiny local helper reads best here
    return f"""
QWidget {{ color: {t.text}; }}
QMainWindow, QDialog, #Page {{ background: {t.window}; }}
#TopBar {{ background: {t.surface}; border-bottom: 1px solid {t.border}; }}
#AppTitle {{ font-size: {s(13)}; font-weight: 600; color: {t.accent}; }}
#PageTitle {{ font-size: {s(20)}; font-weight: 600; }}
#SectionTitle {{ font-size: {s(14)}; font-weight: 600; }}
#Muted, QLabel[muted="true"] {{ color: {t.text_muted}; }}
#Card, QFrame[card="true"] {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 10px; }}
#Banner {{ background: {t.accent_soft}; border-radius: 8px; padding: 10px; }}
#ErrorBanner {{ background: #fdecea; color: {t.danger}; border-radius: 8px; padding: 10px; }}
QPushButton {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 8px;
    padding: 7px 16px; min-height: 22px;
}}
QPushButton:hover {{ background: {t.surface_alt}; }}
QPushButton:disabled {{ color: #7a828e; background: #eceff3; }}
QPushButton[role="primary"] {{ background: {t.accent}; color: {t.accent_text}; border-color: {t.accent}; font-weight: 600; }}
QPushButton[role="primary"]:hover {{ background: #244c93; }}
QPushButton[role="danger"] {{ color: {t.danger}; }}
QPushButton[role="link"] {{ border: none; background: transparent; color: {t.accent}; text-decoration: underline; padding: 2px; }}
QPushButton[role="choice"] {{ text-align: left; padding: 12px 16px; border-radius: 10px; }}
QPushButton[role="choice"]:checked {{ background: {t.accent_soft}; border: 2px solid {t.accent}; }}
QPushButton[role="profile"] {{ background: {t.surface}; border-radius: 14px; padding: 12px; }}
QPushButton:focus, QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QPlainTextEdit:focus,
QTextBrowser:focus, QListWidget:focus, QTreeWidget:focus, QTableView:focus, QCheckBox:focus, QRadioButton:focus,
QSlider:focus {{ outline: none; border: 2px solid {t.focus}; }}
QLineEdit, QComboBox, QSpinBox, QPlainTextEdit {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 6px; padding: 4px 8px;
}}

QTextBrowser {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 10px; }}
QProgressBar {{ border: 1px solid {t.border}; border-radius: 5px; background: {t.surface_alt}; max-height: 10px; text-align: center; }}
QProgressBar::chunk {{ background: {t.accent}; border-radius: 4px; }}
QTabBar::tab {{ padding: 8px 16px; }}
QTabBar::tab:selected {{ border-bottom: 3px solid {t.accent}; font-weight: 600; }}
QListWidget, QTreeWidget, QTableView {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 8px; }}
QToolTip {{ background: {t.text}; color: {t.surface}; border: none; padding: 6px; }}
"""


def apply(app: QApplication, scale: float = 1.0, theme: Theme = LIGHT) -> None:
    font = QFont(app.font())
    font.setPointSizeF(scaled(BASE_POINT_SIZE, scale))
    app.setFont(font)
    pal = app.palette()
    pal.setColor(QPalette.ColorRole.Window, QColor(theme.window))
    pal.setColor(QPalette.ColorRole.Base, QColor(theme.surface))
    pal.setColor(QPalette.ColorRole.Text, QColor(theme.text))
    pal.setColor(QPalette.ColorRole.WindowText, QColor(theme.text))
    pal.setColor(QPalette.ColorRole.Highlight, QColor(theme.accent))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor(theme.accent_text))
    app.setPalette(pal)
    app.setStyleSheet(stylesheet(theme, scale))
