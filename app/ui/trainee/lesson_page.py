"""The lesson reader: readable typography, read-aloud with the sentence highlighted,
previous/next, and the reading position saved as the trainee scrolls.

The position is a write that may go to PostgreSQL, so it is written off the UI thread
(app.ui.common.tasks.Operation): SAVE_PAUSE_MS after the last scroll, or at once on reaching the end,
leaving the lesson or the page, and as the window closes (`flush(wait=True)`). One write at a
time: a position taken while one is being written waits, and only the latest one is written.
"""

from __future__ import annotations

import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import N_, _, isolate, ngettext
from app.modules.lesson_render import render_lesson_html, split_sentences
from app.ui.common import tasks, theme
from app.ui.common import widgets as w
from app.ui.common.content_language import reader_language, show_untranslated_note, untranslated_note
from app.ui.common.read_aloud import ReadAloudButton

log = logging.getLogger(__name__)

READ_THRESHOLD = 0.97  # scrolled this far counts as read to the end
RENDER_BUDGET_MS = 5000  # longer than this and the lesson shows a message instead
SPEEDS = [(N_("Slow"), 130), (N_("Normal"), 170), (N_("Fast"), 210)]
SAVE_PAUSE_MS = 800  # the position is written this long after the trainee stops scrolling


class _Unsaved:
    """A lesson's progress while its last position is still being written (read like LessonProgress)."""

    def __init__(self, position: float, completed: bool):
        self.position = position
        self.completed_at = completed or None


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
    rendered = Signal()  # the lesson's text (or why it cannot be shown) is on the page

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.lesson = None
        self.module_lessons: list = []
        self._sentences: list[str] = []
        self._sentence_pos: list[tuple[int, int]] = []
        self._completed = False
        self._html = ""
        self._request = 0  # each show_lesson call; a late rendering of an earlier one is dropped
        self._rendering = False
        self._saving: tasks.Operation | None = None  # the position being written, if any
        self._queued: tuple | None = None  # the latest position waiting for it: (training, key, position, completed)
        self._unsaved: dict[tuple[str, str], tuple[float, bool]] = {}  # (module, lesson) -> not yet written

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.setSpacing(10)

        bar = QHBoxLayout()
        self.back_button = w.button(_("← Back to the module"), "link", name=_("Back to the module"))
        self.back_button.clicked.connect(self._leave)
        bar.addWidget(self.back_button)
        bar.addStretch(1)
        self.speed = QComboBox()
        for label, rate in SPEEDS:
            self.speed.addItem(_(label), rate)
        self.speed.setCurrentIndex(1)
        self.speed.setAccessibleName(_("Reading speed"))
        self.speed.setToolTip(_("How fast the lesson is read aloud"))
        self.speed.currentIndexChanged.connect(self._speed_changed)
        bar.addWidget(w.Label(_("Speed")))
        bar.addWidget(self.speed)
        self.read_button = ReadAloudButton(ctx, _("Read the lesson aloud"), self._read)
        self.read_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.read_button.sentence.connect(self._highlight)
        self.read_button.ended.connect(self._reading_ended)
        bar.addWidget(self.read_button)
        outer.addLayout(bar)

        self.heading = w.title("")
        self.meta = w.muted("")
        column = QVBoxLayout()
        column.setSpacing(8)
        column.addWidget(self.heading)
        column.addWidget(self.meta)
        self.untranslated = untranslated_note()
        column.addWidget(self.untranslated)
        self.browser = SafeBrowser(ctx.locations.content_dir)
        self.browser.setAccessibleName(_("Lesson text"))
        self.browser.document().setDefaultStyleSheet(theme.document_css(theme.current()[0]))
        self.browser.document().setDocumentMargin(24)
        self.browser.verticalScrollBar().valueChanged.connect(self._scrolled)
        column.addWidget(self.browser, 1)

        nav = QHBoxLayout()
        self.prev_button = w.button(_("← Previous lesson"), name=_("Previous lesson"))
        self.prev_button.clicked.connect(lambda: self._go(-1))
        self.next_button = w.button(_("Next lesson →"), name=_("Next lesson"))
        self.next_button.clicked.connect(lambda: self._go(1))
        self.check_button = w.button(_("Take the knowledge check"), "primary")
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
        self._save_timer.setInterval(SAVE_PAUSE_MS)
        self._save_timer.timeout.connect(self.save_position)

        theme.notifier.changed.connect(self._restyle)
        QShortcut(QKeySequence("Ctrl+R"), self, activated=self.read_button.toggle)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self._leave)
        QShortcut(QKeySequence("Alt+Left"), self, activated=lambda: self._go(-1))
        QShortcut(QKeySequence("Alt+Right"), self, activated=lambda: self._go(1))
        self._reading_ended()

    # --- showing a lesson -------------------------------------------------------------------
    def show_lesson(self, module_id: str, lesson_id: str) -> None:
        """Switch to a lesson: the page is emptied at once, the Markdown is rendered on a worker.

        Until the new text is on screen `self.lesson` is None, so no reading position can be
        saved under the new lesson while the old text shows (issue 14). Rendering has a time
        budget (RENDER_BUDGET_MS); a lesson over it, or over the limits `peer-trainer check`
        reports as L021, shows a message instead of freezing the program.
        """
        self._stop_reading()
        if self._save_timer.isActive():
            self.save_position()  # the previous lesson's position, under the previous lesson
        self._request += 1
        request = self._request
        ctx = self.ctx
        self.lesson = None
        self._html = ""
        self._sentences, self._sentence_pos = [], []
        self.module_lessons = ctx.content.module_lessons(module_id, reader_language())
        lesson = ctx.content.lesson(module_id, lesson_id, reader_language())
        show_untranslated_note(self.untranslated, lesson, "lesson")
        self.read_button.language = lesson.language if lesson is not None else None  # a voice for its language
        self.browser.setPlainText("")
        self.prev_button.setEnabled(False)
        self.next_button.setEnabled(False)
        self.check_button.setVisible(False)
        if lesson is None:
            self._show_problem(_("This lesson is not in the content any more."), "")
            return
        self.heading.setText(lesson.title)
        module = ctx.reader_program.module(module_id)
        idx = next((i for i, item in enumerate(self.module_lessons) if item.id == lesson.id), 0)
        bits = [
            isolate(module.title if module else module_id),  # content: the line reads in the window's direction
            _("Lesson {n} of {total}").format(n=idx + 1, total=len(self.module_lessons)),
        ]
        if lesson.minutes:
            bits.append(ngettext("about {n} minute", "about {n} minutes", lesson.minutes).format(n=lesson.minutes))
        self.meta.setText(" · ".join(bits))
        if lesson.has_errors:
            first = next(f for f in lesson.findings if f.is_error)
            if first.message.startswith("this lesson"):
                problem = _("{problem} ({file}, line {line}).").format(
                    problem=first.message[:1].upper() + first.message[1:], file=lesson.shown, line=first.line
                )
            else:
                problem = _("This lesson cannot be shown: {problem} ({file}, line {line}).").format(
                    problem=first.message, file=lesson.shown, line=first.line
                )
            self._show_problem(
                problem,
                _("Tell your coordinator: `peer-trainer check` shows what to fix in the lesson file."),
            )
            return
        self.browser.setPlainText(_("Opening the lesson…"))
        progress = ctx.training.progress.lesson_progress().get((module_id, lesson.id))
        if (module_id, lesson.id) in self._unsaved:  # read back while its last position is still being written
            position, completed = self._unsaved[(module_id, lesson.id)]
            progress = _Unsaved(position, completed or bool(progress and progress.completed_at))
        filled = ctx.placeholder_values()
        content_dir = ctx.locations.content_dir
        theme_name = theme.current()[0].name  # the call-outs take the theme's colours

        def work() -> str:
            return render_lesson_html(lesson.body, filled, lesson.path.parent, content_dir, theme_name)

        def done(html: str) -> None:
            if request == self._request:  # not a lesson left meanwhile
                self._rendered(lesson, idx, html, progress)

        def failed(exc: BaseException) -> None:
            if request == self._request:
                self._show_problem(
                    _("This lesson cannot be shown: {error} ({file}).").format(error=exc, file=lesson.shown),
                    _("Tell your coordinator: `peer-trainer check` shows what to fix in the lesson file."),
                )

        def too_slow() -> None:
            if request == self._request and self.lesson is None and self._rendering:
                self._request += 1  # a result that comes later is dropped
                self._show_problem(
                    _("This lesson takes too long to show ({file}).").format(file=lesson.shown),
                    _("Tell your coordinator: `peer-trainer check` shows what makes it too complex (L021)."),
                )

        self._rendering = True
        from app.ui.common import tasks

        tasks.run(self, work, done, failed)
        QTimer.singleShot(RENDER_BUDGET_MS, self, too_slow)
        self._fit_column()

    def _rendered(self, lesson, idx: int, html: str, progress) -> None:
        self._rendering = False
        self._html = html
        self.browser.setHtml(html)
        self._index_sentences()
        self.lesson = lesson  # from here on the position is saved under this lesson
        self.prev_button.setEnabled(idx > 0)
        self.next_button.setEnabled(idx < len(self.module_lessons) - 1)
        self.check_button.setVisible(lesson.has_check)
        QTimer.singleShot(0, self, self._fit_nav)
        self._completed = bool(progress and progress.completed_at)
        position = progress.position if progress else 0.0
        QTimer.singleShot(0, self.browser, lambda: self._restore(position))
        self._fit_column()
        self.browser.setFocus()
        self.rendered.emit()

    def _show_problem(self, message: str, advice: str) -> None:
        self._rendering = False
        self.lesson = None
        self._html = ""
        self.browser.setPlainText(f"{message}\n\n{advice}".strip())
        self.rendered.emit()

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
            (self.prev_button, _("← Previous lesson"), _("← Previous")),
            (self.check_button, _("Take the knowledge check"), _("Knowledge check")),
            (self.next_button, _("Next lesson →"), _("Next →")),
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

    def _scrolled(self, *_args):
        if self.lesson is None:
            return
        if self._fraction() >= READ_THRESHOLD and not self._completed:
            self._completed = True
            self.save_position()
        else:
            self._save_timer.start()

    def save_position(self) -> None:
        """Write the position now (not after the pause), off the UI thread; the latest one wins."""
        self._save_timer.stop()
        training = self.ctx.training
        if self.lesson is None or training is None:
            return
        key = (self.lesson.module_id, self.lesson.id)
        position = round(self._fraction(), 4)
        self._queued = (training, key, position, self._completed)
        self._unsaved[key] = (position, self._completed)
        self._write_next()

    @property
    def saving(self) -> bool:
        """A position is waiting to be written, or being written."""
        return self._saving is not None or self._queued is not None or self._save_timer.isActive()

    def flush(self, wait: bool = False, timeout: float = 10.0) -> None:
        """Write a position still waiting for the pause; with `wait`, block until every write has
        ended (the window is closing and the records are about to close)."""
        if self._save_timer.isActive():
            self.save_position()
        while wait and self._saving is not None:
            if not self._saving.wait(timeout):
                log.warning("the reading position was still being written after %s s", timeout)
                return
            self._saving = None  # its report comes later and is ignored
            self._write_next()

    def _write_next(self) -> None:
        if self._saving is not None or self._queued is None:
            return  # never two writes at once: the latest position waits for the one being written
        training, (module_id, lesson_id), position, completed = self._queued
        self._queued = None

        def write(_work):
            return training.progress.save_lesson_position(module_id, lesson_id, position, completed)

        operation = tasks.Operation(
            self,
            write,
            on_success=lambda _saved: self._written(operation, (module_id, lesson_id), position, completed),
            on_failure=lambda exc: self._written(operation, (module_id, lesson_id), position, completed, exc),
            apply=self._apply,
        )
        self._saving = operation
        operation.run()

    def _apply(self, changes) -> None:
        if self.ctx.db is not None:  # not after the records were closed
            self.ctx.apply(changes)

    def _written(self, operation, key, position: float, completed: bool, exc: BaseException | None = None) -> None:
        if exc is not None:
            log.warning("the reading position could not be saved: %s", exc)  # the next one carries it
        if self._saving is not operation:
            return  # already waited for (flush)
        self._saving = None
        if exc is None and self._unsaved.get(key) == (position, completed):
            del self._unsaved[key]
        self._write_next()

    # --- navigation -------------------------------------------------------------------------
    def _go(self, step: int) -> None:
        if self.lesson is None:
            return
        i = self._index() + step
        if 0 <= i < len(self.module_lessons):
            self.save_position()
            self.open_lesson.emit(self.lesson.module_id, self.module_lessons[i].id)

    def _check(self) -> None:
        if self.lesson is None:
            return
        self._stop_reading()
        self.save_position()
        self.open_check.emit(self.lesson.module_id, self.lesson.id)

    def _leave(self) -> None:
        self._stop_reading()
        if self.lesson is not None:
            self.save_position()
        self.back.emit()

    def hideEvent(self, event):
        self._stop_reading()
        self.flush()  # leaving the page (home, signing out): written under this trainee, now
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

    def _read(self, button: ReadAloudButton) -> None:
        """Read the lesson from the first sentence on screen."""
        if self.lesson is None:
            return
        self.ctx.speech.rate = self.speed.currentData()
        button.say(self._sentences, first=self._first_visible_sentence())

    def _first_visible_sentence(self) -> int:
        cursor = self.browser.cursorForPosition(self.browser.viewport().rect().topLeft())
        pos = cursor.position()
        for i, (begin, _end) in enumerate(self._sentence_pos):
            if begin >= pos:
                return i
        return 0

    def _stop_reading(self) -> None:
        self.read_button.stop()
        self.browser.setExtraSelections([])

    def _reading_ended(self) -> None:
        self.browser.setExtraSelections([])
        self.speed.setEnabled(self.read_button.available)

    def _speed_changed(self) -> None:
        self.ctx.speech.rate = self.speed.currentData()

    def _highlight(self, index: int) -> None:
        """Mark the sentence being spoken, and keep it in view."""
        if index >= len(self._sentence_pos):
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

    def sizeHint(self) -> QSize:
        return QSize(900, 700)
