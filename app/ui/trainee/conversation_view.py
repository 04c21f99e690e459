"""A role-play as a conversation: characters' lines in bubbles, narration set apart, the
trainee's replies on the right, and the choices as large buttons (keys 1 to 9 choose).

Knows nothing about records or pages: the trainee's player and the trainers' play-test
window both drive it through app.ui.trainee.play_loop.PlayLoop (`add_lines`, `add_reply`, `set_choices`),
which listens to `chose(n)` (1-based among the offered choices); `continued()` follows feedback
or an ending (`offer_continue` also takes the action to run then).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _, isolate
from app.modules.scenario.text import display_html
from app.ui.common import theme
from app.ui.common import widgets as w
from app.ui.common.theme import Theme

AVATAR_SIZE = 38
BUBBLE_SHARE = 0.7  # a bubble is at most this share of the conversation's width
MAX_BLOCKS = 90  # entries kept on screen (about 30 steps); older ones are in the results' transcript
BUBBLE_PADDING = 32  # the bubble style's padding and border, left and right


def style_for(t: Theme) -> str:
    """The conversation's own look, in the colours of the theme in use (the feedback's bar on the
    side where lines start: the right in Arabic; the layouts mirror by themselves)."""
    start = "right" if QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft else "left"
    return f"""
#Conversation {{ background: {t.window}; color: {t.text}; }}
#Speaker {{ font-weight: 600; color: {t.text}; }}
#Bubble {{ background: {t.surface}; color: {t.text}; border: 1px solid {t.border}; border-radius: 14px;
    padding: 10px 14px; }}
#Reply {{ background: {t.accent}; color: {t.accent_text}; border-radius: 14px; padding: 10px 14px; }}
#Narration {{ color: {t.text_muted}; font-style: italic; background: {t.surface_alt}; border-radius: 10px;
    padding: 10px 16px; }}
#Feedback {{ background: {t.surface}; color: {t.text}; border: 1px solid {t.border};
    border-{start}: 4px solid {t.warning}; border-radius: 8px; padding: 10px 14px; }}
#Notice {{ background: {t.error_bg}; color: {t.danger}; border-radius: 8px; padding: 10px 14px; }}
#Info {{ background: {t.accent_soft}; color: {t.text}; border-radius: 8px; padding: 10px 14px; }}
#Speaking {{ background: {t.highlight}; color: {t.text}; border: 1px solid {t.focus}; border-radius: 14px;
    padding: 10px 14px; }}
#ChoiceNumber {{ background: {t.accent_soft}; color: {t.accent}; border-radius: 13px; font-weight: 600; }}
#ChoiceText {{ color: {t.text}; }}
#ChoiceText:disabled {{ color: {t.disabled_text}; }}
"""


def _rename(label: QLabel, name: str) -> None:
    """Change a label's object name and apply the style that goes with it."""
    label.setObjectName(name)
    label.style().unpolish(label)
    label.style().polish(label)


class ChoiceButton(QPushButton):
    """A large button whose text wraps: a number badge and the choice's words."""

    def __init__(self, number: int, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("role", "choice")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAutoDefault(False)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(12, 10, 16, 10)
        lay.setSpacing(12)
        self.badge = w.Label()
        self.badge.setObjectName("ChoiceNumber")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._size_badge()
        self.label = w.Label()
        self.label.setObjectName("ChoiceText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        w.at_start(self.label)  # beside its number, whatever the script of the choice's words
        for child in (self.badge, self.label):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        lay.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.label, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.set_choice(number, text)

    def set_choice(self, number: int, text: str) -> None:
        """Buttons are reused from node to node: new widgets cost more than new words."""
        self.number = number
        self.badge.setText(str(number))
        self.label.setText(text)
        self.setAccessibleName(_("Choice {n}: {text}").format(n=number, text=text))
        self.setToolTip(_("Press {n} to choose this").format(n=number) if number <= 9 else "")
        self.setEnabled(True)
        self.updateGeometry()

    def text_shown(self) -> str:
        return self.label.text()

    def _size_badge(self) -> None:
        """A circle that holds its number at any text size (26 px at 100 %)."""
        fm = self.badge.fontMetrics()
        size = max(26, fm.height() + 6, fm.horizontalAdvance("88") + 10)
        if self.badge.width() != size or self.badge.height() != size:
            self.badge.setFixedSize(size, size)
        sheet = f"border-radius: {size // 2}px;"
        if self.badge.styleSheet() != sheet:
            self.badge.setStyleSheet(sheet)

    def changeEvent(self, event) -> None:  # Qt's name: the text size changed
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._size_badge()

    # The wrapped label decides the height; QPushButton alone would size itself to no text.
    def hasHeightForWidth(self) -> bool:  # Qt's name
        return True

    def heightForWidth(self, width: int) -> int:
        return self.layout().heightForWidth(width)

    def sizeHint(self) -> QSize:
        hint = self.layout().sizeHint()
        return QSize(hint.width(), max(hint.height(), 44))

    def minimumSizeHint(self) -> QSize:
        # Never squeezed below its wrapped text: on a short screen the conversation above gives way.
        width = self.width() if self.width() > 120 else self.sizeHint().width()
        return QSize(120, max(44, self.heightForWidth(width)))

    def resizeEvent(self, event) -> None:  # Qt's name
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()  # the wrapped height, and so the minimum, changed with the width


class _Block(QWidget):
    """One entry of the conversation. Once painted it keeps its size until its width changes,
    so adding an entry does not make Qt measure every earlier one again."""

    def __init__(self):
        super().__init__()
        self._painted = False
        self._frozen: QSize | None = None

    def freeze(self) -> None:
        if self._painted and self._frozen is None:
            self._frozen = self.size()
            self.updateGeometry()

    def paintEvent(self, event) -> None:  # Qt's name
        self._painted = True  # laid out and on screen: its size is right for this width

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._painted = False
            if self._frozen is not None:  # the text wraps differently now: measure again
                self._frozen = None
                self.updateGeometry()

    def hasHeightForWidth(self) -> bool:
        return self._frozen is None and super().hasHeightForWidth()

    def sizeHint(self) -> QSize:
        return self._frozen if self._frozen is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self._frozen.height()) if self._frozen is not None else super().minimumSizeHint()


class ConversationView(QWidget):
    chose = Signal(int)  # 1-based number among the offered choices
    continued = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setStyleSheet(style_for(theme.current()[0]))
        theme.notifier.changed.connect(self._restyle)
        self.choice_buttons: list[ChoiceButton] = []  # those offered now
        self._pool: list[ChoiceButton] = []
        self._then = None  # what the continue button does next
        self._node_bubbles: list[QLabel] = []  # the current node's lines, for the read-aloud highlight
        self._bubbles: list[QLabel] = []  # every bubble, so their width follows the view's
        self._highlighted: tuple[QLabel, str] | None = None
        self._prompt_before: tuple[str, bool] | None = None  # the prompt while "Saving…" shows

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(10)
        self.history = QWidget()
        self.history.setObjectName("Conversation")
        self.lines = QVBoxLayout(self.history)
        self.lines.setContentsMargins(18, 16, 18, 16)
        self.lines.setSpacing(10)
        self.lines.addStretch(1)  # keeps a short conversation at the bottom, as in a chat
        self.earlier = w.muted(_("Earlier lines of this conversation are in the transcript at the end."))
        self.earlier.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.earlier.hide()
        self.lines.addWidget(self.earlier)
        self._blocks: list[QWidget] = []
        self.scroller = w.scroll(self.history)
        self.scroller.setAccessibleName(_("The conversation"))
        self.scroller.verticalScrollBar().rangeChanged.connect(self._follow)
        outer.addWidget(self.scroller, 1)

        self.prompt = w.muted("")
        outer.addWidget(self.prompt)
        # The choices scroll on their own when long ones at 200 % text would not fit a short screen;
        # they never take more than about half the height, so the conversation stays in view.
        choices = QWidget()
        self.choices_box = QVBoxLayout(choices)
        self.choices_box.setContentsMargins(0, 0, 0, 0)
        self.choices_box.setSpacing(8)
        self.choices_scroll = w.scroll(choices)
        self.choices_scroll.setAccessibleName(_("Your choices"))
        self.choices_scroll.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        outer.addWidget(self.choices_scroll)
        self.continue_button = w.button(_("Continue →"), "primary")
        self.continue_button.clicked.connect(self._continue)
        self.continue_button.hide()
        outer.addLayout(w.row(None, self.continue_button))

        for k in range(1, 10):
            QShortcut(
                QKeySequence(str(k)),
                self,
                activated=lambda k=k: self._key(k),
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(
                QKeySequence(key), self, activated=self._enter, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
            )

    # --- the conversation -------------------------------------------------------------------
    # Each entry (a node's lines, a reply, feedback, a notice) is built as one block widget
    # before it joins the conversation: Qt then lays the conversation out once per entry
    # instead of once per label. Only the last MAX_BLOCKS entries stay on screen, so a very
    # long role-play costs no more per click at step 200 than at step 20.
    def clear(self) -> None:
        for block in self._blocks:
            self.lines.removeWidget(block)
            block.hide()
            block.deleteLater()
        self._blocks = []
        self._bubbles = []
        self._node_bubbles = []
        self._highlighted = None
        self.earlier.hide()
        self.set_choices([])

    def add_lines(self, lines, filled: dict[str, str]) -> None:
        block, lay = self._block()
        self._node_bubbles = []
        for line in lines:
            html = display_html(line.text, filled)
            if line.speaker_name is None:
                self._node_bubbles.append(self._narration(lay, html))
            else:
                self._node_bubbles.append(self._character(lay, line.speaker_name, html))
        self._append(block)

    def _block(self) -> tuple[QWidget, QVBoxLayout]:
        block = _Block()
        lay = QVBoxLayout(block)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(10)
        return block, lay

    def _append(self, block: QWidget) -> None:
        for older in self._blocks:  # those painted at this width keep their size from now on
            older.freeze()
        self.lines.addWidget(block)
        self._blocks.append(block)
        while len(self._blocks) > MAX_BLOCKS:
            old = self._blocks.pop(0)
            self.lines.removeWidget(old)
            old.hide()
            old.deleteLater()
            self._bubbles = [b for b in self._bubbles if b.parent() is not old]
            self.earlier.show()

    def _narration(self, lay: QVBoxLayout, html: str) -> QLabel:
        label = self._label(html, "Narration")
        label.setAccessibleName(_("Narration"))
        label.setAccessibleDescription(label.text())
        holder = QHBoxLayout()
        holder.setContentsMargins(24, 2, 24, 2)
        holder.addWidget(label)
        lay.addLayout(holder)
        return label

    def _character(self, lay: QVBoxLayout, name: str, html: str) -> QLabel:
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(w.Avatar(name, AVATAR_SIZE), 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(3)
        who = w.at_start(w.Label(name))  # over the bubble's side by the avatar, a Latin name in Arabic too
        who.setObjectName("Speaker")
        column.addWidget(who)
        bubble = self._label(html, "Bubble")
        bubble.setAccessibleName(_("{name} says").format(name=name))
        column.addWidget(bubble, 0, Qt.AlignmentFlag.AlignLeft)
        row.addLayout(column)
        row.addStretch(1)
        lay.addLayout(row)
        return bubble

    def add_reply(self, text: str, filled: dict[str, str]) -> None:
        """The trainee's chosen reply, on the right."""
        block, lay = self._block()
        bubble = self._label(display_html(text, filled), "Reply")
        bubble.setAccessibleName(_("You said"))
        who = w.Label(_("You"))
        who.setObjectName("Muted")
        column = QVBoxLayout()
        column.setSpacing(3)
        column.addWidget(who, 0, Qt.AlignmentFlag.AlignRight)
        column.addWidget(bubble, 0, Qt.AlignmentFlag.AlignRight)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(column)
        lay.addLayout(row)
        self._append(block)

    def show_feedback(self, text: str, filled: dict[str, str], continue_label: str | None = None, then=None) -> None:
        """Feedback on the choice just made, then a button to go on (the choices are put away)."""
        self.add_feedback(text, filled)
        self.offer_continue(continue_label, then)

    def add_feedback(self, text: str, filled: dict[str, str], heading: str | None = None) -> None:
        """`heading`: "Feedback" when None (translated when shown, not when this module is imported)."""
        heading = _("Feedback") if heading is None else heading
        # The feedback (content) kept whole under a translated heading: its full stop stays at its end.
        panel = self._label(f"<b>{escape(heading)}</b><br>" + isolate(display_html(text, filled)), "Feedback")
        panel.setAccessibleName(_("Feedback"))
        self._add_full_width(panel)

    def show_notice(self, text: str, tone: str = "warning") -> None:
        """Something to know that is not part of the story (plain text): a "warning" or "info"."""
        notice = self._label("", "Notice" if tone == "warning" else "Info")
        notice.setTextFormat(Qt.TextFormat.PlainText)
        notice.setText(text)
        self._add_full_width(notice)

    def _add_full_width(self, label: QLabel) -> None:
        block, lay = self._block()
        holder = QHBoxLayout()
        holder.setContentsMargins(48, 2, 48, 2)
        holder.addWidget(label)
        lay.addLayout(holder)
        self._append(block)

    def _label(self, html: str, name: str) -> QLabel:
        label = w.Label(html)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if name in ("Bubble", "Reply"):
            # As wide as the words need, up to a share of the view; QLabel alone wraps too narrow.
            label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
            self._measure(label)
            self._fit(label, self._bubble_width())
            self._bubbles.append(label)
        else:
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        return label

    @staticmethod
    def _measure(label: QLabel) -> None:
        doc = QTextDocument()
        doc.setDefaultFont(label.font())
        doc.setHtml(label.text())
        label.setProperty("ideal", int(doc.idealWidth()) + BUBBLE_PADDING)

    def _restyle(self, new_theme: Theme, _scale: float) -> None:
        """Another theme or text size: new colours, and bubbles measured again."""
        self.setStyleSheet(style_for(new_theme))
        limit = self._bubble_width()
        for b in self._bubbles:
            self._measure(b)
            self._fit(b, limit)

    def _bubble_width(self) -> int:
        return max(260, int(self.scroller.viewport().width() * BUBBLE_SHARE))

    @staticmethod
    def _fit(label: QLabel, limit: int) -> None:
        label.setFixedWidth(min(label.property("ideal"), limit))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.choices_scroll.setMaximumHeight(max(120, int(self.height() * 0.55)))
        limit = self._bubble_width()
        for b in self._bubbles:
            self._fit(b, limit)

    def _follow(self, _low: int, high: int) -> None:
        self.scroller.verticalScrollBar().setValue(high)  # new lines arrive at the bottom

    # --- read-aloud highlight ---------------------------------------------------------------
    def highlight_line(self, index: int | None) -> None:
        """Mark the current node's line being read aloud (None: no mark)."""
        if self._highlighted is not None:
            label, name = self._highlighted
            _rename(label, name)
            self._highlighted = None
        if index is None or not 0 <= index < len(self._node_bubbles):
            return
        label = self._node_bubbles[index]
        self._highlighted = (label, label.objectName())
        _rename(label, "Speaking")
        self.scroller.ensureWidgetVisible(label)

    # --- choices ------------------------------------------------------------------------------
    def set_choices(self, choices: list[tuple[int, str]]) -> None:
        """[(number, text)]: one large button each. An empty list puts them away."""
        self.continue_button.hide()
        while len(self._pool) < len(choices):
            b = ChoiceButton(len(self._pool) + 1, "")
            b.clicked.connect(lambda _checked=False, b=b: self._pick(b.number))
            self.choices_box.addWidget(b)
            self._pool.append(b)
        self.choice_buttons = self._pool[: len(choices)]
        for b, (number, text) in zip(self.choice_buttons, choices):
            b.set_choice(number, text)
            b.show()
        for b in self._pool[len(choices) :]:
            b.hide()
        if choices:
            self.prompt.setText(
                _("What do you say? Click a reply, or press 1.")
                if len(choices) == 1
                else _("What do you say? Click a reply, or press 1 to {n}.").format(n=min(len(choices), 9))
            )
            self.prompt.show()
            QTimer.singleShot(0, self, self._focus_first)
        else:
            self.prompt.hide()

    def _focus_first(self) -> None:
        if self.choice_buttons and self.isVisible():
            self.choice_buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def offer_continue(self, label: str | None = None, then=None) -> None:
        """One button in place of the choices ("Continue →" when `label` is None); pressing it emits
        `continued` and calls `then()`."""
        label = _("Continue →") if label is None else label
        self.set_choices([])
        self._then = then
        self.continue_button.setText(label)
        self.continue_button.setAccessibleName(label.rstrip(" →←"))
        self.continue_button.show()
        self.continue_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_choices_enabled(self, enabled: bool) -> None:
        if not enabled and any(b.hasFocus() for b in self.choice_buttons):
            # While a choice is written, the keyboard stays in the conversation (not on "Leave for now").
            self.scroller.setFocus(Qt.FocusReason.OtherFocusReason)
        for b in self.choice_buttons:
            b.setEnabled(enabled)

    def focus_choice(self, number: int) -> None:
        """Back to a choice that could not be taken, to take it again."""
        for b in self.choice_buttons:
            if b.number == number and b.isEnabled() and b.isVisible():
                b.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_saving(self, saving: bool) -> None:
        """ "Saving…" in place of the prompt while a slow choice is written (and the prompt back after)."""
        if saving:
            self._prompt_before = (self.prompt.text(), self.prompt.isVisibleTo(self))
            self.prompt.setText(_("Saving…"))
            self.prompt.show()
        elif self._prompt_before is not None:
            text, shown = self._prompt_before
            self._prompt_before = None
            if self.prompt.text() == _("Saving…"):  # not replaced by the next node's prompt meanwhile
                self.prompt.setText(text)
                self.prompt.setVisible(shown)

    def _pick(self, number: int) -> None:
        if any(b.number == number and b.isEnabled() and b.isVisible() for b in self.choice_buttons):
            self.chose.emit(number)

    def _key(self, number: int) -> None:
        if self.continue_button.isVisible():
            return
        self._pick(number)

    def _enter(self) -> None:
        if self.continue_button.isVisible() and self.continue_button.isEnabled():
            self._continue()
        else:
            focused = self.focusWidget()
            if isinstance(focused, ChoiceButton):
                self._pick(focused.number)

    def _continue(self) -> None:
        self.continue_button.hide()
        then, self._then = self._then, None
        self.continued.emit()
        if then is not None:
            then()
