"""The "Sign-off" tab: a trainer records the behaviours of a competency they observed in a live
role-play, for one trainee, and can withdraw their own sign-offs (kept in the audit).

No free text about the trainee: only a short note about the role-play itself.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import i18n
from app.core.errors import TrainingError
from app.core.i18n import _
from app.modules import sign_offs as rules
from app.ui.common import theme
from app.ui.common import widgets as w
from app.ui.common.local_format import short_date

ID_ROLE = Qt.ItemDataRole.UserRole


class SignOffPage(QWidget):
    signed = Signal(str)  # a trainee id whose sign-offs changed

    def __init__(self, ctx, parent: QWidget | None = None, ask_reason=None):
        super().__init__(parent)
        self.ctx = ctx
        # How a withdrawal's reason is asked for: (parent, title, label) -> (text, ok). Tests inject one.
        self.ask_reason = ask_reason or (lambda parent, title, label: QInputDialog.getText(parent, title, label))
        self.trainee_id: str | None = None
        # The history's colours are the theme's: paint it again when the theme changes.
        theme.notifier.changed.connect(self._retheme)
        self.choices: list[rules.CompetencyChoice] = []
        self.marks: list[tuple[str, QButtonGroup]] = []
        self.records = []
        self.last_recorded = None  # the sign-off the last `record()` made, once written
        self._build()

    # --- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 6, 0)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Find a trainee by name or class…"))
        self.filter.setAccessibleName(_("Find a trainee"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.trainees = QListWidget()
        self.trainees.setAccessibleName(_("Trainees"))
        self.trainees.currentItemChanged.connect(
            lambda cur, _p: self.choose_trainee(cur.data(ID_ROLE) if cur else None)
        )
        ll.addWidget(self.filter)
        ll.addWidget(self.trainees, 1)
        split.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(8, 0, 0, 0)
        rl.setSpacing(10)
        self.heading = w.title(_("Pick a trainee"), "SectionTitle")
        self.progress_text = w.muted("")
        self.progress_button = w.button(
            _("See this trainee's progress"),
            "link",
            tip=_("Modules, knowledge checks, role-plays with transcripts, sign-offs"),
        )
        self.progress_button.clicked.connect(self.show_progress)
        rl.addWidget(self.heading)
        rl.addLayout(w.row(self.progress_text, self.progress_button, stretch_first=True))

        self.form = w.card()
        fl = QVBoxLayout(self.form)
        fl.setContentsMargins(16, 12, 16, 12)
        fl.setSpacing(8)
        self.competency = QComboBox()
        self.competency.setAccessibleName(_("Competency"))
        self.competency.currentIndexChanged.connect(self._show_checklist)
        fl.addLayout(w.row(w.Label(_("Competency observed")), self.competency, None))
        fl.addWidget(
            w.muted(
                _(
                    "Mark each behaviour you saw in the live role-play. "
                    "The competency is signed off when all are observed."
                )
            )
        )
        self.checklist = QGridLayout()
        self.checklist.setHorizontalSpacing(14)
        self.checklist.setVerticalSpacing(4)
        self.checklist.setColumnStretch(0, 1)
        fl.addLayout(self.checklist)
        self.when = QDateEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("d MMM yyyy")
        self.when.setAccessibleName(_("Date observed"))
        self.note = QLineEdit()
        self.note.setMaxLength(rules.NOTE_MAX)
        self.note.setAccessibleName(_("Note about the role-play"))
        self.note.setPlaceholderText(_("Optional: about the role-play only, e.g. “Crisis role-play with Sam, week 3”"))
        fl.addLayout(w.row(w.Label(_("Observed on")), self.when, w.Label(_("Note")), self.note, spacing=8))
        fl.addWidget(w.muted(_("Please do not write about the trainee's own life here.")))
        self.by = w.muted("")
        self.record_button = w.button(_("Record sign-off"), "primary")
        self.record_button.clicked.connect(self.record)
        fl.addLayout(w.row(self.by, self.record_button, stretch_first=True))
        self.message = w.Label()
        self.message.setWordWrap(True)
        self.message.setObjectName("Banner")
        self.message.hide()
        self.error = w.Label()
        self.error.setWordWrap(True)
        self.error.setObjectName("ErrorBanner")
        self.error.hide()
        fl.addWidget(self.message)
        fl.addWidget(self.error)
        rl.addWidget(self.form)

        rl.addWidget(w.title(_("Sign-offs recorded"), "SectionTitle"))
        self.history = QTreeWidget()
        self.history.setAccessibleName(_("Sign-offs recorded"))
        self.history.setColumnCount(6)
        self.history.setHeaderLabels(
            [_("Observed on"), _("Competency"), _("Behaviours"), _("Result"), _("By"), _("Note")]
        )
        self.history.setRootIsDecorated(False)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.header().setStretchLastSection(True)
        self.history.currentItemChanged.connect(lambda *_args: self._update_withdraw())
        self.history.setMinimumHeight(160)
        rl.addWidget(self.history, 1)
        self.withdraw_button = w.button(
            _("Withdraw this sign-off…"), "danger", tip=_("It stays in the records, marked withdrawn, with your reason")
        )
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        rl.addLayout(w.row(None, self.withdraw_button))
        # Scrolls rather than squeezing the checklist when the text is large or the window small.
        split.addWidget(w.scroll(right))
        split.setSizes([260, 900])
        lay.addWidget(split, 1)
        self._set_enabled(False)

    def _set_enabled(self, on: bool) -> None:
        self.form.setEnabled(on)
        self.progress_button.setEnabled(on)
        self.withdraw_button.setEnabled(False)

    # --- data -------------------------------------------------------------------------------
    def refresh(self) -> None:

        program = self.ctx.program
        self.choices = rules.competencies_to_observe(program, i18n.language()) if program else []
        keep_comp = self.competency.currentData()
        self.competency.blockSignals(True)
        self.competency.clear()
        for c in self.choices:
            label = (
                _("{competency}  — needed for {modules}").format(competency=c.name, modules=w.listed(c.needed_by))
                if c.needed_by
                else c.name
            )
            self.competency.addItem(label, c.id)
        index = self.competency.findData(keep_comp)
        self.competency.setCurrentIndex(max(0, index))
        self.competency.blockSignals(False)
        self._show_checklist()
        people = self.ctx.training.people.list()
        keep = self.trainee_id
        self.trainees.blockSignals(True)
        self.trainees.clear()
        for p in people:
            if p.role != "trainee":
                continue
            item = QListWidgetItem(p.display_name + (f"  ·  {p.group_name}" if p.group_name else ""))
            item.setData(ID_ROLE, p.id)
            self.trainees.addItem(item)
            if p.id == keep:
                self.trainees.setCurrentItem(item)
        self.trainees.blockSignals(False)
        self._filter(self.filter.text())
        me = self.ctx.profile
        self.by.setText(_("Recorded as signed off by {name}.").format(name=me.display_name) if me else "")
        self.when.setMaximumDate(QDate.currentDate())
        self.when.setDate(QDate.currentDate())
        self.choose_trainee(keep if keep in {p.id for p in people} else None)

    def _filter(self, text: str) -> None:
        needle = text.casefold().strip()
        for i in range(self.trainees.count()):
            item = self.trainees.item(i)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def select_trainee(self, trainee_id: str) -> None:
        for i in range(self.trainees.count()):
            if self.trainees.item(i).data(ID_ROLE) == trainee_id:
                self.trainees.setCurrentRow(i)
                return

    def choose_trainee(self, trainee_id: str | None) -> None:
        self.trainee_id = trainee_id
        self.message.hide()
        self.error.hide()
        if trainee_id is None:
            self.heading.setText(_("Pick a trainee"))
            self.progress_text.setText(_("Pick a trainee on the left to record what you observed in a live role-play."))
            self.history.clear()
            self.records = []
            self._set_enabled(False)
            return
        self._set_enabled(True)
        name = self.ctx.training.people.get(trainee_id).display_name
        self.heading.setText(_("Sign off for {name}").format(name=name))
        self._show_checklist()
        self._load_history()

    def _show_checklist(self) -> None:
        w.clear(self.checklist)
        self.marks = []
        cid = self.competency.currentData()
        choice = next((c for c in self.choices if c.id == cid), None)
        if choice is None:
            return
        # Shown in the reader's language, recorded in program.yaml's words (the same for every language).
        for r, (text, shown) in enumerate(zip(choice.behaviours, choice.behaviours_shown, strict=True)):
            label = w.at_start(w.Label(shown))  # a behaviour (content) from the row's start, in Arabic too
            label.setWordWrap(True)
            seen, not_yet = QRadioButton(_("Observed")), QRadioButton(_("Not yet"))
            seen.setAccessibleName(_("{behaviour}: observed").format(behaviour=shown))
            not_yet.setAccessibleName(_("{behaviour}: not yet").format(behaviour=shown))
            group = QButtonGroup(self)
            group.addButton(seen, 1)
            group.addButton(not_yet, 0)
            group.idToggled.connect(lambda *_args: self._update_record_button())
            self.checklist.addWidget(label, r, 0)
            self.checklist.addWidget(seen, r, 1)
            self.checklist.addWidget(not_yet, r, 2)
            self.marks.append((text, group))
        self._update_record_button()

    def _update_record_button(self) -> None:
        ready = bool(self.marks) and all(g.checkedId() != -1 for _text, g in self.marks)
        self.record_button.setEnabled(ready and self.trainee_id is not None)
        self.record_button.setToolTip("" if ready else _("Mark every behaviour as observed or not yet first."))

    def set_marks(self, observed: list[bool]) -> None:
        """Tick the checklist (for keyboard-free use in tests and scripts)."""
        for (_text, group), on in zip(self.marks, observed):
            group.button(1 if on else 0).setChecked(True)

    def _retheme(self, _theme, _scale: float) -> None:
        if self.trainee_id is not None:
            self._load_history()

    def _load_history(self) -> None:
        training = self.ctx.training
        self.records = training.sign_offs.of(self.trainee_id, include_withdrawn=True)
        names = {p.id: p.display_name for p in training.people.list(include_archived=True)}
        program, language = self.ctx.program, i18n.language()

        def shown(cid: str, behaviour: str) -> str:
            return program.behaviour_text(cid, behaviour, language) if program else behaviour

        self.history.clear()
        for rec in reversed(self.records):  # newest first
            seen = sum(rec.behaviours.values())
            if rec.withdrawn_at is not None:
                when, by = short_date(rec.withdrawn_at), names.get(rec.withdrawn_by, _("someone"))
                if rec.withdrawn_reason:
                    result = _("Withdrawn {date} by {name}: {reason}").format(
                        date=when, name=by, reason=rec.withdrawn_reason
                    )
                else:
                    result = _("Withdrawn {date} by {name}").format(date=when, name=by)
            else:
                result = _("Signed off") if rules.counts(rec.behaviours) else _("Not yet: keep practising")
            item = QTreeWidgetItem(
                [
                    short_date(rec.observed_on),
                    program.competency_name(rec.competency_id, language) if program else rec.competency_id,
                    _("{done} of {total} observed").format(done=seen, total=len(rec.behaviours)),
                    result,
                    names.get(rec.trainer_id, "—"),
                    rec.note,
                ]
            )
            item.setData(0, ID_ROLE, rec.id)
            item.setToolTip(
                2,
                w.plain_tip(
                    "\n".join(
                        _("✓ {behaviour}").format(behaviour=shown(rec.competency_id, k))
                        if v
                        else _("… not yet: {behaviour}").format(behaviour=shown(rec.competency_id, k))
                        for k, v in rec.behaviours.items()
                    )
                ),
            )
            t = theme.current()[0]
            colour = QColor(
                t.text_muted
                if rec.withdrawn_at is not None
                else t.success
                if rules.counts(rec.behaviours)
                else t.warning
            )
            for col in range(6):
                item.setForeground(col, QBrush(colour if col == 3 or rec.withdrawn_at is not None else QColor(t.text)))
            if rec.withdrawn_at is not None:
                f = item.font(1)
                f.setStrikeOut(True)
                item.setFont(1, f)
            self.history.addTopLevelItem(item)
        if not self.records:
            empty = QTreeWidgetItem(["", _("No sign-offs yet.")])
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.history.addTopLevelItem(empty)
        self._update_withdraw()
        self._show_progress_text()

    def _show_progress_text(self) -> None:
        from app.modules.competency import certificate_readiness

        program, content = self.ctx.reader_program, self.ctx.content
        if program is None or content is None or self.trainee_id is None:
            return
        readiness = certificate_readiness(
            program, content.all_module_contents(), self.ctx.training.progress.record_of(self.trainee_id)
        )
        done = sum(st.complete for st in readiness.modules)
        waiting = [st.title for st in readiness.modules if st.state == "waiting for sign-off"]
        sentences = [_("Modules complete: {done} of {total}.").format(done=done, total=len(readiness.modules))]
        if readiness.ready:
            sentences.append(_("Ready for a certificate."))
        if waiting:
            sentences.append(_("Waiting only for a sign-off: {modules}.").format(modules=w.listed(waiting)))
        self.progress_text.setText(" ".join(sentences))  # whole sentences, one after another

    def _selected_record(self):
        item = self.history.currentItem()
        rid = item.data(0, ID_ROLE) if item is not None else None
        return next((r for r in self.records if r.id == rid), None)

    def _update_withdraw(self) -> None:
        rec = self._selected_record()
        ok = rec is not None and self.ctx.training.sign_offs.may_withdraw(rec)
        self.withdraw_button.setEnabled(ok)
        if rec is not None and not ok and rec.withdrawn_at is None:
            self.withdraw_button.setToolTip(_("You can only withdraw your own sign-offs."))

    # --- actions ----------------------------------------------------------------------------
    def record(self):
        """Record the sign-off off the UI thread (the form is disabled until it returns); the
        record made is `last_recorded`. On a failure the form keeps what was marked."""
        from app.ui.common import tasks

        self.message.hide()
        self.error.hide()
        behaviours = {text: group.checkedId() == 1 for text, group in self.marks}
        observed_on: date = self.when.date().toPython()
        sign_offs, trainee_id = self.ctx.training.sign_offs, self.trainee_id
        competency, note = self.competency.currentData(), self.note.text()
        return tasks.change(
            self,
            lambda: sign_offs.record(trainee_id, competency, behaviours, note, observed_on),
            lambda rec: self._recorded(rec, trainee_id, behaviours),
            self._failed,
            apply=self.ctx.apply,
            controls=(self.form,),
        )

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, TrainingError):
            raise exc
        w.set_error(self.error, exc.message)

    def _recorded(self, rec, trainee_id: str, behaviours: dict[str, bool]) -> None:
        self.last_recorded = rec
        seen = sum(behaviours.values())
        name = self.ctx.program.competency_name(rec.competency_id, i18n.language())
        if rules.counts(behaviours):
            self.message.setText(
                _("{name} is signed off ({done} of {total} behaviours observed).").format(
                    name=name, done=seen, total=len(behaviours)
                )
            )
        else:
            self.message.setText(
                _(
                    "Recorded: {done} of {total} behaviours observed. {name} is not signed off yet; "
                    "record a new sign-off when you observe the rest."
                ).format(name=name, done=seen, total=len(behaviours))
            )
        self.message.show()
        self.note.clear()
        self._show_checklist()
        self._load_history()
        self.signed.emit(trainee_id)

    def withdraw_selected(self) -> None:
        rec = self._selected_record()
        if rec is None:
            return
        reason, ok = self.ask_reason(
            self, _("Withdraw sign-off"), _("Why are you withdrawing it? (kept in the records)")
        )
        if ok:
            self.withdraw(rec.id, reason)

    def withdraw(self, sign_off_id: str, reason: str = ""):
        """Withdraw off the UI thread; None when there is no such sign-off."""
        from app.ui.common import tasks

        rec = next((r for r in self.records if r.id == sign_off_id), None)
        if rec is None:
            return None
        sign_offs, trainee_id = self.ctx.training.sign_offs, self.trainee_id
        self.withdraw_button.setEnabled(False)

        def withdrawn(_rec) -> None:
            self.message.setText(_("The sign-off is withdrawn. It stays in the records, marked withdrawn."))
            self.message.show()
            self._load_history()
            self.signed.emit(trainee_id)

        def failed(exc: BaseException) -> None:
            self._failed(exc)
            self._update_withdraw()

        return tasks.change(self, lambda: sign_offs.withdraw(rec, reason), withdrawn, failed, apply=self.ctx.apply)

    def show_progress(self):
        """The coordinator dashboard's read-only trainee record (modules, checks, role-plays with transcripts,
        sign-offs)."""
        if self.trainee_id is None:
            return None
        from app.ui.staff.trainee_detail import TraineeDetailDialog

        summary = self.ctx.training.progress.summary_of(self.trainee_id, i18n.language())
        if summary is None:
            return None
        dlg = TraineeDetailDialog(self.ctx, summary, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg
