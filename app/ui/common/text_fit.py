"""Widgets that keep their text whole at any text size (100 % to 200 %).

Qt sizes windows and rows from one-line text hints: a dialog with wrapped text is cut off at the
bottom, and a wrapping label in a row wraps even when the row has room. These two fix that.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QRadioButton, QSizePolicy

from app.core.i18n import isolate


class FittingDialog(QDialog):
    """A dialog that grows to fit its word-wrapped text at any text size.

    Qt sizes a window from its labels' one-line hints, so wrapped text at 200 % would be cut
    off at the bottom; the layout's height for the actual width is the height needed.
    """

    def _fit(self) -> None:
        lay = self.layout()
        if lay is not None and lay.hasHeightForWidth():
            needed = lay.heightForWidth(self.width())
            if needed > self.height():
                self.setMinimumHeight(needed)

    def showEvent(self, event):  # Qt's name
        super().showEvent(event)
        self._fit()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit()


class WrapWhenNeededLabel(QLabel):
    """A label that asks for its whole text on one line, and wraps only when the row is too narrow."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # a name, never markup (issue 14)
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:  # Qt's name
        hint = super().sizeHint()
        one_line = self.fontMetrics().horizontalAdvance(self.text()) + 2 * self.margin() + 2
        return QSize(max(hint.width(), one_line), hint.height())


class _WrapsText:
    """Mixed into a radio button or check box: its text wraps to the width it is given.

    Qt's buttons never wrap, so a long answer at 200 % would be cut off at the card's edge.
    The full text stays the accessible name; the shown text gets line breaks for the width.
    In a right-to-left window each line is kept whole in its own direction: a button lays its text
    out right to left there, which would put an English answer's full stop at its start.
    """

    def _shown(self, lines: list[str]) -> str:
        if self.isRightToLeft():
            lines = [isolate(line) for line in lines]
        return "\n".join(lines).replace("&", "&&")

    def _init_wrapping(self, text: str) -> None:
        self._full = text
        # Text measured once per font (forgotten on any change of font, style or direction): a layout
        # asks for the height at a few widths again and again.
        self._advances: dict[str, int] = {}
        self._wrapped: dict[int, list[str]] = {}
        self.setText(self._shown([text]))
        self.setAccessibleName(text)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)  # may be narrower than one line: it wraps
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _overhead(self) -> int:
        """Indicator, spacing and padding: the button's width beyond its text."""
        widest = max((self._advance(line) for line in self.text().replace("&&", "&").split("\n")), default=0)
        return max(0, type(self).__mro__[2].sizeHint(self).width() - widest)

    def _lines(self, room: int) -> list[str]:
        if room not in self._wrapped:
            self._wrapped[room] = self._wrap(room)
        return list(self._wrapped[room])

    def _advance(self, text: str) -> int:
        if text not in self._advances:
            self._advances[text] = self.fontMetrics().horizontalAdvance(text)
        return self._advances[text]

    def _wrap(self, room: int) -> list[str]:
        lines: list[str] = []
        for word in self._full.split():
            if lines and self._advance(lines[-1] + " " + word) <= room:
                lines[-1] += " " + word
            else:
                lines.append(word)
        return lines or [""]

    def _line_height(self) -> int:
        return self.fontMetrics().lineSpacing()

    def hasHeightForWidth(self) -> bool:  # Qt's name
        return True

    def heightForWidth(self, width: int) -> int:
        base = type(self).__mro__[2].sizeHint(self).height() - (self.text().count("\n")) * self._line_height()
        return base + (len(self._lines(max(1, width - self._overhead()))) - 1) * self._line_height()

    def sizeHint(self) -> QSize:
        width = self._overhead() + self._advance(self._full) + 2
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        width = self._overhead() + self.fontMetrics().horizontalAdvance("m") * 12
        return QSize(width, self.heightForWidth(width))

    def changeEvent(self, event) -> None:  # Qt's name
        if hasattr(self, "_wrapped"):  # a new font or style measures words differently
            self._advances.clear()
            self._wrapped.clear()
        type(self).__mro__[2].changeEvent(self, event)

    def resizeEvent(self, event) -> None:
        shown = self._shown(self._lines(max(1, self.width() - self._overhead())))
        if shown != self.text():
            self.setText(shown)
            self.updateGeometry()
        type(self).__mro__[2].resizeEvent(self, event)


class WrappingRadioButton(_WrapsText, QRadioButton):
    def __init__(self, text: str, parent=None):
        QRadioButton.__init__(self, parent)
        self._init_wrapping(text)


class WrappingCheckBox(_WrapsText, QCheckBox):
    def __init__(self, text: str, parent=None):
        QCheckBox.__init__(self, parent)
        self._init_wrapping(text)
