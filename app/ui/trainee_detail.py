"""One trainee's record for staff: modules, knowledge-check attempts, role-plays with their
transcripts, and sign-offs. Read only."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.modules.certificates import long_date
from app.modules.outcome_words import OUTCOME_SHORT, ending_outcome, why_not_passed

from . import theme
from . import widgets as w

STATUS_WORDS = {
    "in_progress": "not finished",
    "finished": "finished",
    "abandoned": "stopped",
    "stale": "content changed",
}


def _table(headers: list[str], rows: list[list[str]], name: str) -> QTableWidget:
    t = QTableWidget(len(rows), len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setAccessibleName(name)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().setVisible(False)
    t.setWordWrap(False)
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            t.setItem(r, c, QTableWidgetItem(text))
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _when(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = value.astimezone()
        return f"{long_date(local)}, {local:%H:%M}"
    return long_date(value)


def _role_plays(passed: int, needed: int) -> str:
    """ "1 of 2 passed", or "none needed" (never "1/0")."""
    if needed <= 0:
        return "none needed" + (f" ({passed} passed)" if passed else "")
    return f"{passed} of {needed} passed"


class TraineeDetailDialog(QDialog):
    def __init__(self, ctx, summary, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.summary = summary
        self.setWindowTitle(f"{summary.name}: training record")
        self.resize(900, 620)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        lay.addWidget(w.title(summary.name))
        left = len(summary.readiness.missing)
        state = (
            "Ready for a certificate"
            if summary.ready
            else f"{left} step{'s' * (left != 1)} still to do before a certificate"
        )
        if summary.certificate_number:
            state += f" · certificate {summary.certificate_number}"
        lay.addWidget(w.muted(f"{summary.group or 'No class'} · {state}"))
        if summary.certificate_number:
            renewal = ctx.training.certificates.renewal_of(summary.id)
            if renewal is not None and renewal.valid_until is not None:
                needs = "; renewal still needs them to " + " and ".join(renewal.missing) if renewal.missing else ""
                ready = "; ready to renew" if renewal.due and not renewal.missing else ""
                self.validity = w.muted(f"Certificate: {renewal.state_words()}{needs}{ready}.")
                lay.addWidget(self.validity)
            self.refreshers = w.muted(ctx.training.refreshers.keeping_up_text(summary.id))
            lay.addWidget(self.refreshers)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        lay.addWidget(self.tabs, 1)
        progress = ctx.training.progress
        self._quiz = progress.check_attempts(summary.id)
        self._scenarios = progress.role_play_attempts(summary.id)
        self._sign_offs = progress.sign_offs_of(summary.id, include_withdrawn=True)
        staff = progress.names({s.trainer_id for s in self._sign_offs if s.trainer_id})
        self.tabs.addTab(self._modules_tab(), "Modules")
        self.tabs.addTab(self._checks_tab(), f"Knowledge checks ({len(self._quiz)})")
        self.tabs.addTab(self._scenarios_tab(), f"Role-plays ({len(self._scenarios)})")
        self.tabs.addTab(self._sign_offs_tab(staff), f"Sign-offs ({len(self._sign_offs)})")
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        lay.addWidget(box)

    def _modules_tab(self) -> QWidget:
        rows = []
        for st in self.summary.readiness.modules:
            rows.append(
                [
                    st.title,
                    st.state,
                    f"{st.lessons_read} of {st.lessons_total}",
                    f"{st.checks_passed} of {st.checks_total}",
                    _role_plays(st.scenarios_passed, st.scenarios_needed),
                    "; ".join(st.missing) or "—",
                ]
            )
        t = _table(["Module", "State", "Lessons read", "Checks passed", "Role-plays", "Still to do"], rows, "Modules")
        t.setWordWrap(True)
        return t

    def _competency_name(self, cid: str) -> str:
        program = self.ctx.program
        return program.competency_name(cid) if program else cid

    def _lesson_title(self, module_id: str, lesson_id: str) -> str:
        lesson = self.ctx.content.lesson(module_id, lesson_id) if self.ctx.content else None
        return lesson.title if lesson is not None else lesson_id

    def _checks_tab(self) -> QWidget:
        rows = [
            [
                self._lesson_title(a.module_id, a.lesson_id),
                _when(a.finished_at),
                f"{a.correct} of {a.total}",
                f"{round(a.score * 100)}%",
                "passed" if a.passed else "not yet",
            ]
            for a in reversed(self._quiz)
        ]
        if not rows:
            return w.muted("No knowledge checks taken yet.")
        return _table(["Lesson", "When", "Right answers", "Score", "Result"], rows, "Knowledge-check attempts")

    def _scenarios_tab(self) -> QWidget:
        if not self._scenarios:
            return w.muted("No role-plays played yet.")
        split = QSplitter(Qt.Orientation.Vertical)
        rows = []
        for a in self._scenarios:
            sc = self.ctx.content.scenario(a.scenario_id) if self.ctx.content else None
            result = {True: "passed", False: "not passed"}.get(a.passed, "")
            if a.passed is False and sc is not None and a.ending:
                result = "not passed: " + why_not_passed(
                    sc, ending_outcome(sc, a.ending), a.scores or {}, self._competency_name
                )
            outcome = a.outcome or ending_outcome(sc, a.ending)
            rows.append(
                [
                    sc.title if sc else "A role-play no longer in the training",
                    _when(a.started_at),
                    STATUS_WORDS.get(a.status, a.status),
                    result,
                    OUTCOME_SHORT.get(outcome or "", "—" if not a.ending else "finished").capitalize(),
                ]
            )
        self.attempts = _table(["Role-play", "Started", "Status", "Result", "How it ended"], rows, "Role-play attempts")
        self.attempts.setWordWrap(True)
        self.transcript = QTextBrowser()
        self.transcript.setAccessibleName("Transcript")
        self.attempts.itemSelectionChanged.connect(self._show_transcript)
        split.addWidget(self.attempts)
        split.addWidget(self.transcript)
        self.attempts.selectRow(0)
        return split

    def _show_transcript(self) -> None:
        import html

        rows = self.attempts.selectionModel().selectedRows()
        if not rows:
            return
        attempt = self._scenarios[rows[0].row()]
        sc = self.ctx.content.scenario(attempt.scenario_id) if self.ctx.content else None
        parts = []
        if sc is not None and sc.content_hash and sc.content_hash != attempt.content_hash:
            parts.append("<p><i>This role-play has been edited since; the lines below are today's wording.</i></p>")
        steps = self.ctx.training.progress.steps(attempt)
        for step in steps:
            node = sc.nodes.get(step.node_id) if sc is not None else None
            if node is not None:
                for block in node.text:
                    who = sc.characters[block.speaker].name if block.speaker in sc.characters else (block.speaker or "")
                    parts.append(
                        f"<p>{'<b>' + html.escape(who) + ':</b> ' if who else ''}{html.escape(block.text)}</p>"
                    )
            if step.choice_text:
                parts.append(
                    f"<p style='margin-left:24px; "
                    f"color:{theme.current()[0].accent}'><b>{html.escape(self.summary.name)} chose:</b> "
                    f"{html.escape(step.choice_text)}</p>"
                )
        if not steps:
            parts.append("<p><i>No choices recorded in this attempt.</i></p>")
        self.transcript.setHtml("".join(parts))

    def _sign_offs_tab(self, staff: dict[str, str]) -> QWidget:
        if not self._sign_offs:
            return w.muted("No sign-offs yet. A trainer signs off a competency after watching a live role-play.")
        program = self.ctx.program
        rows = []
        for s in self._sign_offs:
            seen = sum(s.behaviours.values())
            status = (
                "withdrawn" + (f": {s.withdrawn_reason}" if s.withdrawn_reason else "")
                if s.withdrawn_at
                else ("counts" if s.behaviours and all(s.behaviours.values()) else "some behaviours not yet seen")
            )
            rows.append(
                [
                    program.competency_name(s.competency_id) if program else s.competency_id,
                    long_date(s.observed_on),
                    staff.get(s.trainer_id or "", "—"),
                    f"{seen} of {len(s.behaviours)}",
                    status,
                    s.note,
                ]
            )
        return _table(["Competency", "Observed on", "By", "Behaviours seen", "Status", "Note"], rows, "Sign-offs")
