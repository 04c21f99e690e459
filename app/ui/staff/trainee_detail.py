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

from app.core.i18n import N_, _, isolate, ngettext
from app.modules.certificates import long_date
from app.modules.outcome_words import OUTCOME_SHORT, ending_outcome, why_not_passed
from app.ui.common import theme
from app.ui.common import widgets as w
from app.ui.staff.cohort_model import state_name

STATUS_WORDS = {  # marked N_, translated where shown
    "in_progress": N_("not finished"),
    "finished": N_("finished"),
    "abandoned": N_("stopped"),
    "stale": N_("content changed"),
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
        return _("{date}, {time}").format(date=long_date(local), time=f"{local:%H:%M}")
    return long_date(value)


def _role_plays(passed: int, needed: int) -> str:
    """ "1 of 2 passed", or "none needed" (never "1/0")."""
    if needed <= 0:
        return _("none needed ({n} passed)").format(n=passed) if passed else _("none needed")
    return _("{done} of {total} passed").format(done=passed, total=needed)


def _and_list(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c" in the reader's language."""
    if len(items) <= 1:
        return "".join(items)
    return _("{items} and {last}").format(items=w.listed(items[:-1]), last=w.listed(items[-1:]))


def _ending_words(outcome: str | None, ending: str | None) -> str:
    """How a role-play ended, in a few words ("—" when it did not end)."""
    if outcome in OUTCOME_SHORT:
        return _(OUTCOME_SHORT[outcome]).capitalize()  # the domain marks these N_
    return _("Finished") if ending else "—"


class TraineeDetailDialog(QDialog):
    def __init__(self, ctx, summary, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.summary = summary
        self.setWindowTitle(_("{name}: training record").format(name=summary.name))
        self.resize(900, 620)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        lay.addWidget(w.title(summary.name))
        left = len(summary.readiness.missing)
        state = (
            _("Ready for a certificate")
            if summary.ready
            else ngettext(
                "{n} step still to do before a certificate", "{n} steps still to do before a certificate", left
            ).format(n=left)
        )
        if summary.certificate_number:
            state = _("{state} · certificate {number}").format(state=state, number=summary.certificate_number)
        lay.addWidget(w.muted(_("{group} · {state}").format(group=summary.group or _("No class"), state=state)))
        if summary.certificate_number:
            renewal = ctx.training.certificates.renewal_of(summary.id)
            if renewal is not None and renewal.valid_until is not None:
                if renewal.missing:
                    said = _("Certificate: {state}; renewal still needs them to {steps}.").format(
                        state=renewal.state_words(), steps=_and_list(list(renewal.missing))
                    )
                elif renewal.due:
                    said = _("Certificate: {state}; ready to renew.").format(state=renewal.state_words())
                else:
                    said = _("Certificate: {state}.").format(state=renewal.state_words())
                self.validity = w.muted(said)
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
        self.tabs.addTab(self._modules_tab(), _("Modules"))
        self.tabs.addTab(self._checks_tab(), _("Knowledge checks ({n})").format(n=len(self._quiz)))
        self.tabs.addTab(self._scenarios_tab(), _("Role-plays ({n})").format(n=len(self._scenarios)))
        self.tabs.addTab(self._sign_offs_tab(staff), _("Sign-offs ({n})").format(n=len(self._sign_offs)))
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        lay.addWidget(box)

    def _modules_tab(self) -> QWidget:
        rows = []
        for st in self.summary.readiness.modules:
            rows.append(
                [
                    st.title,
                    state_name(st.state),
                    _("{done} of {total}").format(done=st.lessons_read, total=st.lessons_total),
                    _("{done} of {total}").format(done=st.checks_passed, total=st.checks_total),
                    _role_plays(st.scenarios_passed, st.scenarios_needed),
                    w.listed(st.missing, "; ") or "—",
                ]
            )
        t = _table(
            [_("Module"), _("State"), _("Lessons read"), _("Checks passed"), _("Role-plays"), _("Still to do")],
            rows,
            _("Modules"),
        )
        t.setWordWrap(True)
        return t

    def _competency_name(self, cid: str) -> str:
        program = self.ctx.reader_program
        return program.competency_name(cid) if program else cid

    def _lesson_title(self, module_id: str, lesson_id: str) -> str:
        lesson = self.ctx.content.lesson(module_id, lesson_id) if self.ctx.content else None
        return lesson.title if lesson is not None else lesson_id

    def _checks_tab(self) -> QWidget:
        rows = [
            [
                self._lesson_title(a.module_id, a.lesson_id),
                _when(a.finished_at),
                _("{done} of {total}").format(done=a.correct, total=a.total),
                _("{percent}%").format(percent=round(a.score * 100)),
                _("passed") if a.passed else _("not yet"),
            ]
            for a in reversed(self._quiz)
        ]
        if not rows:
            return w.muted(_("No knowledge checks taken yet."))
        return _table(
            [_("Lesson"), _("When"), _("Right answers"), _("Score"), _("Result")], rows, _("Knowledge-check attempts")
        )

    def _scenarios_tab(self) -> QWidget:
        if not self._scenarios:
            return w.muted(_("No role-plays played yet."))
        split = QSplitter(Qt.Orientation.Vertical)
        rows = []
        for a in self._scenarios:
            sc = self.ctx.content.scenario(a.scenario_id) if self.ctx.content else None
            result = {True: _("passed"), False: _("not passed")}.get(a.passed, "")
            if a.passed is False and sc is not None and a.ending:
                why = why_not_passed(sc, ending_outcome(sc, a.ending), a.scores or {}, self._competency_name)
                result = _("not passed: {why}").format(why=why)
            outcome = a.outcome or ending_outcome(sc, a.ending)
            rows.append(
                [
                    sc.title if sc else _("A role-play no longer in the training"),
                    _when(a.started_at),
                    _(STATUS_WORDS[a.status]) if a.status in STATUS_WORDS else a.status,
                    result,
                    _ending_words(outcome, a.ending),
                ]
            )
        self.attempts = _table(
            [_("Role-play"), _("Started"), _("Status"), _("Result"), _("How it ended")], rows, _("Role-play attempts")
        )
        self.attempts.setWordWrap(True)
        self.transcript = QTextBrowser()
        self.transcript.setAccessibleName(_("Transcript"))
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
            edited = _("This role-play has been edited since; the lines below are today's wording.")
            parts.append(f"<p><i>{html.escape(edited)}</i></p>")
        steps = self.ctx.training.progress.steps(attempt)
        for step in steps:
            node = sc.nodes.get(step.node_id) if sc is not None else None
            if node is not None:
                for block in node.text:
                    who = sc.characters[block.speaker].name if block.speaker in sc.characters else (block.speaker or "")
                    line = html.escape(block.text)
                    if who:
                        line = _("<b>{speaker}:</b> {line}").format(speaker=html.escape(who), line=line)
                    parts.append(f"<p>{line}</p>")
            if step.choice_text:
                chose = _("<b>{name} chose:</b> {choice}").format(
                    name=html.escape(isolate(self.summary.name)), choice=html.escape(step.choice_text)
                )
                side = "right" if self.isRightToLeft() else "left"  # indented from where lines start
                parts.append(f"<p style='margin-{side}:24px; color:{theme.current()[0].accent}'>{chose}</p>")
        if not steps:
            parts.append(f"<p><i>{html.escape(_('No choices recorded in this attempt.'))}</i></p>")
        self.transcript.setHtml("".join(parts))

    def _sign_offs_tab(self, staff: dict[str, str]) -> QWidget:
        if not self._sign_offs:
            return w.muted(_("No sign-offs yet. A trainer signs off a competency after watching a live role-play."))
        program = self.ctx.reader_program
        rows = []
        for s in self._sign_offs:
            seen = sum(s.behaviours.values())
            if s.withdrawn_at and s.withdrawn_reason:
                status = _("withdrawn: {reason}").format(reason=s.withdrawn_reason)
            elif s.withdrawn_at:
                status = _("withdrawn")
            elif s.behaviours and all(s.behaviours.values()):
                status = _("counts")
            else:
                status = _("some behaviours not yet seen")
            rows.append(
                [
                    program.competency_name(s.competency_id) if program else s.competency_id,
                    long_date(s.observed_on),
                    staff.get(s.trainer_id or "", "—"),
                    _("{done} of {total}").format(done=seen, total=len(s.behaviours)),
                    status,
                    s.note,
                ]
            )
        return _table(
            [_("Competency"), _("Observed on"), _("By"), _("Behaviours seen"), _("Status"), _("Note")],
            rows,
            _("Sign-offs"),
        )
