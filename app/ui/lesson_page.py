"""The lesson reader: readable typography, read-aloud with the sentence highlighted,
previous/next, and the reading position saved as the trainee scrolls."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.modules.lesson_render import render_lesson_html, split_sentences

from . import theme
from . import widgets as w

READ_THRESHOLD = 0.97  # scrolled this far counts as read to the end
SPEEDS = [("Slow", 130), ("Normal", 170), ("Fast", 210)]


class SafeBrowser(QTextBrowser):
    """A QTextBrowser that only loads images from inside the content folder and never
    follows a link out of the program."""

    def __init__(self, content_dir: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.content_dir = content_dir.resolve()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._anchor)

    def _anchor(self, url: QUrl) -> None:
        if url.hasFragment() and not url.scheme():
            self.scrollToAnchor(url.fragment())

    def loadResource(self, kind: int, url: QUrl):  # Qt's name
        if url.isLocalFile():
            try:
                Path(url.toLocalFile()).resolve().relative_to(self.content_dir)
            except ValueError:
                return None
            return super().loadResource(kind, url)
        return None


class LessonPage(QWidget):
    back = Signal()
    open_lesson = Signal(str, str)
    open_check = Signal(str, str)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.lesson = None
        self.module_lessons: list = []
        self._sentences: list[str] = []
        self._sentence_pos: list[tuple[int, int]] = []
        self._utterance = ""
        self._speaking = False
        self._completed = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.setSpacing(10)

        bar = QHBoxLayout()
        self.back_button = w.button("← Back to the module", "link", name="Back to the module")
        self.back_button.clicked.connect(self._leave)
        bar.addWidget(self.back_button)
        bar.addStretch(1)
        self.speed = QComboBox()
        for label, rate in SPEEDS:
            self.speed.addItem(label, rate)
        self.speed.setCurrentIndex(1)
        self.speed.setAccessibleName("Reading speed")
        self.speed.setToolTip("How fast the lesson is read aloud")
        self.speed.currentIndexChanged.connect(self._speed_changed)
        bar.addWidget(QLabel("Speed"))
        bar.addWidget(self.speed)
        self.read_button = w.button("▶ Read aloud", name="Read aloud", tip="Read the lesson aloud (Ctrl+R)")
        self.read_button.clicked.connect(self._toggle_read)
        bar.addWidget(self.read_button)
        outer.addLayout(bar)

        self.heading = w.title("")
        self.meta = w.muted("")
        column = QVBoxLayout()
        column.setSpacing(8)
        column.addWidget(self.heading)
        column.addWidget(self.meta)
        self.browser = SafeBrowser(ctx.locations.content_dir)
        self.browser.setAccessibleName("Lesson text")
        self.browser.document().setDefaultStyleSheet(theme.document_css(theme.current()[0]))
        self.browser.document().setDocumentMargin(24)
        self.browser.verticalScrollBar().valueChanged.connect(self._scrolled)
        column.addWidget(self.browser, 1)

        nav = QHBoxLayout()
        self.prev_button = w.button("← Previous lesson", name="Previous lesson")
        self.prev_button.clicked.connect(lambda: self._go(-1))
        self.next_button = w.button("Next lesson →", name="Next lesson")
        self.next_button.clicked.connect(lambda: self._go(1))
        self.check_button = w.button("Take the knowledge check", "primary")
        self.check_button.clicked.connect(self._check)
        nav.addWidget(self.prev_button)
        nav.addStretch(1)
        nav.addWidget(self.check_button)
        nav.addWidget(self.next_button)
        column.addLayout(nav)
        self._nav = nav

        # A comfortable line length: the text column stops growing at about 75 characters.
        holder = QHBoxLayout()
        holder.addStretch(1)
        self.column_widget = QWidget()
        self.column_widget.setLayout(column)
        holder.addWidget(self.column_widget, 20)
        holder.addStretch(1)
        outer.addLayout(holder, 1)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(800)
        self._save_timer.timeout.connect(self._save_position)

        theme.notifier.changed.connect(self._restyle)
        QShortcut(QKeySequence("Ctrl+R"), self, activated=self._toggle_read)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self._leave)
        QShortcut(QKeySequence("Alt+Left"), self, activated=lambda: self._go(-1))
        QShortcut(QKeySequence("Alt+Right"), self, activated=lambda: self._go(1))

        speech = ctx.speech
        speech.sentence.connect(self._on_sentence)
        speech.finished.connect(self._on_finished)
        speech.error.connect(self._on_speech_error)
        self._update_read_button()

    # --- showing a lesson -------------------------------------------------------------------
    def show_lesson(self, module_id: str, lesson_id: str) -> None:
        from app.modules.records import progress_store

        self._stop_reading()
        ctx = self.ctx
        self.module_lessons = ctx.content.module_lessons(module_id)
        lesson = ctx.content.lesson(module_id, lesson_id)
        if lesson is None or lesson.has_errors:
            return
        self.lesson = lesson
        self.heading.setText(lesson.title)
        module = ctx.program.module(module_id)
        idx = self._index()
        bits = [module.title if module else module_id, f"Lesson {idx + 1} of {len(self.module_lessons)}"]
        if lesson.minutes:
            bits.append(f"about {lesson.minutes} minutes")
        self.meta.setText(" · ".join(bits))
        html = self._render(lesson)
        self._html = html
        self.browser.setHtml(html)
        self._index_sentences()
        self.prev_button.setEnabled(idx > 0)
        self.next_button.setEnabled(idx < len(self.module_lessons) - 1)
        self.check_button.setVisible(lesson.has_check)
        QTimer.singleShot(0, self, self._fit_nav)
        progress = progress_store.lesson_progress(ctx.db, ctx.profile.id).get((module_id, lesson.id))
        self._completed = bool(progress and progress.completed_at)
        position = progress.position if progress else 0.0
        QTimer.singleShot(0, self.browser, lambda: self._restore(position))
        self._fit_column()
        self.browser.setFocus()

    def _render(self, lesson) -> str:
        ctx = self.ctx
        return render_lesson_html(
            lesson.body,
            ctx.placeholder_values(),
            lesson.path.parent,
            ctx.locations.content_dir,
            theme.current()[0].name,
        )

    def _restyle(self, t, _scale: float) -> None:
        """Another theme or text size: the document's colours are baked in when it is set, so set it again."""
        self.browser.document().setDefaultStyleSheet(theme.document_css(t))
        if self.lesson is not None:
            position = self._fraction()
            self._html = self._render(self.lesson)
            self.browser.setHtml(self._html)
            self._index_sentences()
            QTimer.singleShot(0, self.browser, lambda: self._restore(position))
        self._fit_column()

    def _restore(self, position: float) -> None:
        bar = self.browser.verticalScrollBar()
        bar.setValue(int(position * bar.maximum()))
        self._scrolled()

    def _index(self) -> int:
        for i, l in enumerate(self.module_lessons):
            if l.id == self.lesson.id:
                return i
        return 0

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_column()
        QTimer.singleShot(0, self, self._fit_nav)

    def _fit_nav(self) -> None:
        """Large text on a small screen: the buttons under the lesson take their short names."""
        if not shiboken6.isValid(self) or not shiboken6.isValid(self.column_widget):
            return  # closed meanwhile
        long_names = (
            (self.prev_button, "← Previous lesson", "← Previous"),
            (self.check_button, "Take the knowledge check", "Knowledge check"),
            (self.next_button, "Next lesson →", "Next →"),
        )
        for button, long, _short in long_names:
            button.setText(long)
        room = self.column_widget.width() - 3 * self._nav.spacing()
        needed = sum(b.sizeHint().width() for b, _l, _s in long_names if not b.isHidden())
        if needed > room:
            for button, _long, short in long_names:
                button.setText(short)  # the accessible names stay the long ones

    def _fit_column(self) -> None:
        em = self.fontMetrics().horizontalAdvance("m")
        self.column_widget.setMaximumWidth(max(480, int(em * 46) + 80))

    # --- reading position -------------------------------------------------------------------
    def _fraction(self) -> float:
        bar = self.browser.verticalScrollBar()
        return 1.0 if bar.maximum() <= 0 else bar.value() / bar.maximum()

    def _scrolled(self, *_):
        if self.lesson is None:
            return
        if self._fraction() >= READ_THRESHOLD and not self._completed:
            self._completed = True
            self._save_position()
        else:
            self._save_timer.start()

    def _save_position(self) -> None:
        from app.modules.records import progress_store

        self._save_timer.stop()
        if self.lesson is None or self.ctx.profile is None or self.ctx.db is None:
            return
        progress_store.save_lesson_position(
            self.ctx.db,
            self.ctx.profile.id,
            self.lesson.module_id,
            self.lesson.id,
            round(self._fraction(), 4),
            self._completed,
        )
        self.ctx.progress_changed.emit()

    # --- navigation -------------------------------------------------------------------------
    def _go(self, step: int) -> None:
        if self.lesson is None:
            return
        i = self._index() + step
        if 0 <= i < len(self.module_lessons):
            self._save_position()
            self.open_lesson.emit(self.lesson.module_id, self.module_lessons[i].id)

    def _check(self) -> None:
        self._stop_reading()
        self._save_position()
        self.open_check.emit(self.lesson.module_id, self.lesson.id)

    def _leave(self) -> None:
        self._stop_reading()
        if self.lesson is not None:
            self._save_position()
        self.back.emit()

    def hideEvent(self, event):
        self._stop_reading()
        super().hideEvent(event)

    # --- read aloud -------------------------------------------------------------------------
    def _index_sentences(self) -> None:
        text = self.browser.document().toPlainText()
        self._sentences = split_sentences(text)
        self._sentence_pos = []
        start = 0
        doc = self.browser.document()
        for s in self._sentences:
            cursor = doc.find(s[:60], start)
            if cursor.isNull():
                self._sentence_pos.append((-1, -1))
                continue
            begin = cursor.selectionStart()
            self._sentence_pos.append((begin, begin + len(s)))
            start = begin + 1

    def _update_read_button(self) -> None:
        speech = self.ctx.speech
        self.read_button.setEnabled(speech.available)
        self.speed.setEnabled(speech.available)
        if not speech.available:
            self.read_button.setText("▶ Read aloud")
            self.read_button.setToolTip(speech.unavailable_reason)
            self.read_button.setAccessibleDescription(speech.unavailable_reason)
        elif self._speaking:
            self.read_button.setText("■ Stop reading")
            self.read_button.setAccessibleName("Stop reading")
            self.read_button.setToolTip("Stop reading aloud (Ctrl+R)")
        else:
            self.read_button.setText("▶ Read aloud")
            self.read_button.setAccessibleName("Read aloud")
            self.read_button.setToolTip("Read the lesson aloud (Ctrl+R)")

    def _toggle_read(self) -> None:
        if self._speaking:
            self._stop_reading()
            return
        speech = self.ctx.speech
        if not speech.available or not self._sentences:
            return
        first = self._first_visible_sentence()
        self._utterance = f"lesson:{self.lesson.module_id}/{self.lesson.id}:{id(self)}:{first}"
        self._speaking = True
        speech.rate = self.speed.currentData()
        speech.speak(self._utterance, self._sentences, first=first)
        self._update_read_button()

    def _first_visible_sentence(self) -> int:
        cursor = self.browser.cursorForPosition(self.browser.viewport().rect().topLeft())
        pos = cursor.position()
        for i, (begin, _end) in enumerate(self._sentence_pos):
            if begin >= pos:
                return i
        return 0

    def _stop_reading(self) -> None:
        if self._speaking:
            self.ctx.speech.stop()
        self._speaking = False
        self.browser.setExtraSelections([])
        self._update_read_button()

    def _speed_changed(self) -> None:
        self.ctx.speech.rate = self.speed.currentData()

    def _on_sentence(self, utterance: str, index: int) -> None:
        if utterance != self._utterance or not self._speaking or index >= len(self._sentence_pos):
            return
        begin, end = self._sentence_pos[index]
        if begin < 0:
            return
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(begin)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(theme.current()[0].highlight))
        sel.cursor = cursor
        sel.format = fmt
        self.browser.setExtraSelections([sel])
        self.browser.setTextCursor(QTextCursor(cursor.block()))
        self.browser.ensureCursorVisible()

    def _on_finished(self, utterance: str, _completed: bool) -> None:
        if utterance == self._utterance:
            self._speaking = False
            self.browser.setExtraSelections([])
            self._update_read_button()

    def _on_speech_error(self, message: str) -> None:
        self._speaking = False
        self._update_read_button()

    def sizeHint(self) -> QSize:
        return QSize(900, 700)
