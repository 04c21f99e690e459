"""Walking real widgets the way assistive technology sees them: what is interactive, what name
a screen reader would announce, and whether text is cut off.

The naming rule: an interactive widget is named when Qt's accessibility interface gives it a name
with at least one letter or digit. That is what a screen reader announces: the accessibleName,
else for buttons their text (without the & of a shortcut), else for fields the text of a QLabel
whose buddy they are. A button showing only "✕" or "▶" has no usable name unless it is given one.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractSlider,
    QAbstractItemView,
    QTabBar,
    QTextEdit,
    QPlainTextEdit,
)
# Parts of a composite control, named through the control itself.
COMPOSITE = (QComboBox, QAbstractSpinBox, QLineEdit, QScrollBar, QCalendarWidget)


def meant_to_show(widget: QWidget, root: QWidget) -> bool:
    """Visible on its page: hidden only because its page is not the current one of a stack or tab."""
    w = widget
    while w is not None and w is not root:
        if w.isHidden() and not isinstance(w.parentWidget(), QStackedWidget):
            return False
        w = w.parentWidget()
    return True


def is_interactive(widget: QWidget) -> bool:
    if not isinstance(widget, INTERACTIVE) or isinstance(widget, (QScrollBar, QHeaderView)):
        return False
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, COMPOSITE):
            return False
        parent = parent.parentWidget()
    if isinstance(widget, QTabBar) and isinstance(widget.parentWidget(), QTabWidget):
        return False  # the tab widget carries the name; each tab's text names the tab
    if isinstance(widget, (QTextEdit, QPlainTextEdit)) and widget.focusPolicy().value == 0:
        return False
    return True


def announced_name(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    name = iface.text(QAccessible.Text.Name) if iface is not None and iface.isValid() else ""
    return name or widget.accessibleName()


def describe(widget: QWidget) -> str:
    bits = [type(widget).__name__]
    if widget.objectName():
        bits.append(f"#{widget.objectName()}")
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    if text:
        bits.append(repr(text[:40]))
    if widget.toolTip():
        bits.append(f"tip={widget.toolTip()[:40]!r}")
    owner = widget.parentWidget()
    while owner is not None and type(owner).__module__.startswith("PySide6"):
        owner = owner.parentWidget()
    if owner is not None:
        bits.append(f"in {type(owner).__name__}")
    return " ".join(bits)


def unnamed(root: QWidget) -> list[str]:
    """Every interactive widget under `root` (itself included) that a screen reader cannot name."""
    out = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not is_interactive(widget) or not meant_to_show(widget, root):
            continue
        if not any(ch.isalnum() for ch in announced_name(widget)):
            out.append(describe(widget))
    if isinstance(root, QTabWidget) or root.findChildren(QTabWidget):
        for tabs in [t for t in [root, *root.findChildren(QTabWidget)] if isinstance(t, QTabWidget)]:
            if meant_to_show(tabs, root) and not tabs.accessibleName():
                out.append(describe(tabs))
    return out


def clipped(root: QWidget) -> list[str]:
    """Labels and buttons on screen whose text does not fit the space they were given."""
    out = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 1:
            continue
        if isinstance(widget, QLabel) and widget.text():
            if widget.wordWrap():
                needed = widget.heightForWidth(widget.width())
                if needed > widget.height() + 2:
                    out.append(f"{describe(widget)}: needs {needed}px high, has {widget.height()}px")
            elif widget.minimumSizeHint().width() > widget.width() + 2:
                out.append(
                    f"{describe(widget)}: needs {widget.minimumSizeHint().width()}px wide, has {widget.width()}px"
                )
        elif isinstance(widget, QAbstractButton) and widget.text() and "\n" not in widget.text():
            hint = widget.sizeHint()
            if hint.width() > widget.width() + 2 or hint.height() > widget.height() + 2:
                out.append(
                    f"{describe(widget)}: needs {hint.width()}×{hint.height()}, has {widget.width()}×{widget.height()}"
                )
    return out
