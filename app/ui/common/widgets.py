"""Small building blocks shared by the screens, so they look and behave alike."""

from __future__ import annotations

import zlib

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _, isolate

AVATAR_COLOURS = ["#2f5fb3", "#1e6b34", "#8a4b00", "#7b2d8e", "#a3221b", "#00695c", "#5d4037", "#37474f"]


class Label(QLabel):
    """A label that shows its text as written, never as markup (issue 14, item 8).

    QLabel's default (AutoText) turns text that looks like HTML into rich text, so a name such
    as `<img src=file:///etc/passwd>` would make Qt load a file. Every label of the program is
    a Label; one that shows markup on purpose calls setTextFormat(RichText) and escapes every
    piece of content or records text it puts in (html.escape).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setTextFormat(Qt.TextFormat.PlainText)


def rich_label(html_text: str) -> QLabel:
    """A label that shows markup: every piece of content or records text in it must be escaped."""
    label = Label(html_text)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def plain_tip(text: str) -> str:
    """A tooltip that shows `text` as written: Qt would otherwise read text that looks like HTML as markup."""
    import html

    if not text:
        return ""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def show_plain_message(parent: QWidget, title_text: str, text: str) -> None:
    """An information box whose text (names, pasted lines) is never read as markup."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Information, title_text, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def title(text: str, name: str = "PageTitle") -> QLabel:
    label = Label(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


def listed(items, separator: str = ", ") -> str:
    """A list in the reader's language, its separator translated ("، " and "؛ " in Arabic).

    ", ": names or module titles, each kept whole in a right-to-left window (a Latin title beside
    the next would run into it). "; ": phrases already translated, which read in the window's
    direction as they are."""
    if separator == "; ":
        return _("; ").join(str(item) for item in items)
    rtl = QGuiApplication.isRightToLeft()
    return _(", ").join(isolate(item) if rtl else str(item) for item in items)


def at_start(label: QLabel) -> QLabel:
    """``label`` aligned where the window's lines start whatever the script of its words: Qt aligns
    a label by its own text's direction, so a class called "9B" would head its list on the left
    in Arabic while every other heading is on the right."""
    edge = Qt.AlignmentFlag.AlignRight if QGuiApplication.isRightToLeft() else Qt.AlignmentFlag.AlignLeft
    vertical = label.alignment() & Qt.AlignmentFlag.AlignVertical_Mask
    label.setAlignment(Qt.AlignmentFlag.AlignAbsolute | edge | vertical)
    return label


def plain_label(text: str) -> QLabel:
    """A Label (shown as written, never as markup) that wraps: content text, such as a question."""
    label = Label(text)
    label.setWordWrap(True)
    return label


def shown_text(label: QLabel) -> str:
    """What a label says, as it is read aloud: its rich-text markup turned into plain text."""
    from PySide6 import QtGui

    text = label.text()
    fmt = label.textFormat()
    if fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)):
        return QtGui.QTextDocumentFragment.fromHtml(text).toPlainText()
    return text


def muted(text: str, wrap: bool = True) -> QLabel:
    label = Label(text)
    label.setObjectName("Muted")
    label.setWordWrap(wrap)
    return label


def button(text: str, role: str | None = None, *, tip: str = "", name: str | None = None) -> QPushButton:
    b = QPushButton(text)
    if role:
        b.setProperty("role", role)
    b.setAccessibleName(name or text.replace("&", ""))
    if tip:
        b.setToolTip(tip)
        b.setAccessibleDescription(tip)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    b.setAutoDefault(False)
    return b


class ButtonRow(QWidget):
    """Buttons side by side, at the right; one under another when the page is too narrow for
    them side by side (large text on a small screen), so the page never scrolls sideways."""

    def __init__(self, *buttons: QWidget) -> None:
        super().__init__()
        self._buttons = buttons
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.addStretch(1)
        for b in buttons:
            self._box.addWidget(b)

    def _side_by_side_width(self) -> int:
        return sum(b.sizeHint().width() for b in self._buttons) + self._box.spacing() * len(self._buttons)

    def resizeEvent(self, event) -> None:  # Qt's name
        super().resizeEvent(event)
        wanted = (
            QBoxLayout.Direction.LeftToRight
            if self.width() >= self._side_by_side_width()
            else QBoxLayout.Direction.TopToBottom
        )
        if self._box.direction() != wanted:
            self._box.setDirection(wanted)
            self.updateGeometry()

    def minimumSizeHint(self) -> QSize:  # Qt's name: as narrow as the widest button alone
        hint = super().minimumSizeHint()
        return QSize(max((b.minimumSizeHint().width() for b in self._buttons), default=0), hint.height())


def card() -> QFrame:
    f = QFrame()
    f.setObjectName("Card")
    f.setFrameShape(QFrame.Shape.NoFrame)
    return f


def page(margins: int = 28) -> tuple[QWidget, QVBoxLayout]:
    w = QWidget()
    w.setObjectName("Page")
    lay = QVBoxLayout(w)
    lay.setContentsMargins(margins, margins - 6, margins, margins - 6)
    lay.setSpacing(14)
    return w, lay


def scroll(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def clear(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        w = item.widget()
        if w is not None:
            w.hide()
            w.deleteLater()
        elif item.layout() is not None:
            clear(item.layout())


def row(*widgets, stretch_first: bool = False, spacing: int = 10) -> QHBoxLayout:
    lay = QHBoxLayout()
    lay.setSpacing(spacing)
    for i, w in enumerate(widgets):
        if w is None:
            lay.addStretch(1)
        elif isinstance(w, QLayout):
            lay.addLayout(w)
        else:
            lay.addWidget(w, 1 if (stretch_first and i == 0) else 0)
    return lay


def avatar_colour(name: str) -> str:
    # crc32, not a hashlib digest: this module is on the start-up path and hashlib costs 2 ms.
    return AVATAR_COLOURS[zlib.crc32(name.encode("utf-8")) % len(AVATAR_COLOURS)]


def initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p]
    if not parts:
        return "?"
    if len(parts) == 1:
        return parts[0][:2].upper()
    return (parts[0][0] + parts[-1][0]).upper()


class Avatar(QWidget):
    """A coloured circle with a person's initials."""

    def __init__(self, name: str, diameter: int = 48, parent: QWidget | None = None):
        super().__init__(parent)
        self._name = name
        self._d = diameter
        self.setFixedSize(QSize(diameter, diameter))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(_("Initials of {name}").format(name=name))

    def paintEvent(self, event):  # Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(avatar_colour(self._name)))
        p.drawEllipse(0, 0, self._d, self._d)
        f = QFont(self.font())
        f.setPixelSize(int(self._d * 0.38))
        f.setBold(True)
        p.setFont(f)
        p.setPen(QColor("#ffffff"))
        p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, initials(self._name))
        p.end()


def set_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def scrolling_body(owner: QWidget) -> QVBoxLayout:
    """A page that scrolls as a whole when the window is too small for it (large text on a small
    screen) and fills the window otherwise: returns the layout to build the page in."""
    outer = QVBoxLayout(owner)
    outer.setContentsMargins(0, 0, 0, 0)
    body = QWidget()
    body.setObjectName("Page")
    area = scroll(body)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    outer.addWidget(area)
    owner.page_scroll = area
    return QVBoxLayout(body)


def main_button(box, which=None) -> QPushButton:
    """The main button of a dialog's button box (OK by default) in the primary style."""
    from PySide6.QtWidgets import QDialogButtonBox

    b = box.button(which if which is not None else QDialogButtonBox.StandardButton.Ok)
    if b is not None:
        b.setProperty("role", "primary")
        b.style().unpolish(b)
        b.style().polish(b)
    return b
