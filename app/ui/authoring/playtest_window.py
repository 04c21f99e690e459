"""Play-testing for trainers: play a scenario from any node, change its variables and scores
while playing, see the path taken on the map, and see why a choice is hidden.

Nothing here touches the records: a play-test is never a trainee's attempt. The conversation
is the trainees' own ConversationView, played by the same PlayLoop, so trainers see exactly what trainees will see.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _, isolate
from app.modules.scenario import Run, RunError
from app.modules.scenario.text import display_html, plain
from app.ui.common import widgets as w
from app.ui.trainee.conversation_view import ConversationView
from app.ui.trainee.play_loop import PlayLoop, Unrecorded

VALUE_RANGE = 10_000  # spin boxes: far beyond any sensible score or counter


class PlaytestWindow(QWidget):
    """`PlaytestWindow(ctx, scenario, start_node=None)`: a window of its own."""

    def __init__(self, ctx, scenario, start_node: str | None = None, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.scenario = scenario
        self.start_node = start_node
        self.filled = ctx.placeholder_values() if ctx is not None else {}
        self._editors: dict[str, QWidget] = {}
        self._updating = False
        self.map = None
        self.setWindowTitle(_("Play-test: {title}").format(title=isolate(scenario.title)))
        self.setObjectName("Page")
        self.resize(1280, 820)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 12, 18, 12)
        outer.setSpacing(10)
        heading = w.plain_label(_("Play-test: {title}").format(title=isolate(scenario.title)))
        heading.setObjectName("SectionTitle")
        self.where = w.muted("", wrap=False)
        self.restart_button = w.button(
            _("Start again"),
            tip=_("Start again from the first node of this play-test, with the scenario's starting values"),
        )
        self.restart_button.clicked.connect(lambda: self.restart(self.start_node))
        self.here_button = w.button(
            _("Play from this node"),
            tip=_("Start again from the node shown now, keeping the values in the side panel"),
        )
        self.here_button.clicked.connect(lambda: self.restart(self.run.node_id if self.run else None, keep_values=True))
        self.feedback_box = QCheckBox(_("Feedback after each choice"))
        self.feedback_box.setChecked(scenario.feedback == "immediate")
        self.feedback_box.setToolTip(
            _(
                "Trainees see feedback after each choice only when the scenario says "
                "feedback: immediate; here you may switch it either way."
            )
        )
        outer.addLayout(w.row(heading, self.where, None, self.feedback_box, self.here_button, self.restart_button))
        outer.addWidget(
            w.muted(
                _(
                    "Nothing in a play-test is recorded. Change any value on the right at any time: "
                    "the choices follow at once."
                )
            )
        )

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.view = ConversationView()
        self.loop = PlayLoop(
            self.view,
            node_shown=self._node_shown,
            feedback_now=self.feedback_box.isChecked,
            chosen=lambda _step: self._show_values(),  # the choice's effects, while its feedback shows
        )
        split.addWidget(self.view)
        self.side = QSplitter(Qt.Orientation.Vertical)
        self.side.setChildrenCollapsible(False)
        panel = QWidget()
        panel_lay = QVBoxLayout(panel)
        panel_lay.setContentsMargins(0, 0, 0, 0)
        panel_lay.setSpacing(10)
        self.values_box = QGroupBox(_("Scores and variables"))
        self.values_form = QFormLayout(self.values_box)
        panel_lay.addWidget(self.values_box)
        self.hidden_box = QGroupBox(_("Hidden choices here, and why"))
        hidden_lay = QVBoxLayout(self.hidden_box)
        self.hidden = w.Label()
        self.hidden.setWordWrap(True)
        self.hidden.setTextFormat(Qt.TextFormat.RichText)
        self.hidden.setAccessibleName(_("Why choices are hidden"))
        hidden_lay.addWidget(self.hidden)
        panel_lay.addWidget(self.hidden_box)
        panel_lay.addStretch(1)
        self.side.addWidget(w.scroll(panel))
        split.addWidget(self.side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([720, 520])
        outer.addWidget(split, 1)
        self._build_editors()
        self._embed_map()
        self.restart(start_node)

    # --- the map ---------------------------------------------------------------------------------
    def _embed_map(self) -> None:
        from app.ui.authoring.scenario_map import ScenarioMapView

        self.set_map(ScenarioMapView())

    def set_map(self, view) -> None:
        """Show `view` (a ScenarioMapView) under the side panel, following the path taken."""
        if self.map is not None:
            self.map.setParent(None)
        self.map = view
        view.set_scenario(self.scenario)
        view.play_from.connect(lambda node: self.restart(node, keep_values=True))
        self.side.addWidget(view)
        self.side.setSizes([360, 420])
        if self.run is not None:
            self._show_path()

    def _show_path(self) -> None:
        if self.map is not None:
            self.map.highlight_path(self.run.path)
            self.map.select_node(self.run.node_id)

    # --- values -----------------------------------------------------------------------------------
    def _build_editors(self) -> None:
        sc = self.scenario
        for cid in sc.competencies:
            program = self.ctx.reader_program if self.ctx is not None else None
            name = program.competency_name(cid) if program else cid
            mark = sc.pass_marks.get(cid)
            label = (
                # the competency (content, often Latin) kept whole: the line reads in the window's direction
                _("{competency} (score, pass mark {mark})").format(competency=isolate(name), mark=mark)
                if mark is not None
                else _("{competency} (score)").format(competency=isolate(name))
            )
            self._add_editor(cid, 0, label)
        for name, initial in sc.variables.items():
            self._add_editor(name, initial, name)

    def _add_editor(self, name: str, initial, label: str) -> None:
        if isinstance(initial, bool):
            editor = QCheckBox()
            editor.toggled.connect(lambda value, n=name: self._edited(n, bool(value)))
        else:
            editor = QSpinBox()
            editor.setRange(-VALUE_RANGE, VALUE_RANGE)
            editor.valueChanged.connect(lambda value, n=name: self._edited(n, int(value)))
        editor.setAccessibleName(label)
        self._editors[name] = editor
        self.values_form.addRow(label, editor)

    def _show_values(self) -> None:
        self._updating = True
        try:
            for name, value in {**self.run.variables, **self.run.scores}.items():
                editor = self._editors.get(name)
                if isinstance(editor, QCheckBox):
                    editor.setChecked(bool(value))
                elif isinstance(editor, QSpinBox):
                    editor.setValue(int(value))
        finally:
            self._updating = False

    def _edited(self, name: str, value) -> None:
        if self._updating or self.run is None:
            return
        into = self.run.scores if name in self.run.scores else self.run.variables
        into[name] = value
        if not self.run.finished and not self.view.continue_button.isVisible():
            self._offer_choices()  # conditions may now offer or hide other choices
        self._show_hidden()

    def values(self) -> tuple[dict, dict]:
        """(variables, scores) as the side panel shows them."""
        return dict(self.run.variables), dict(self.run.scores)

    # --- playing ----------------------------------------------------------------------------------
    @property
    def run(self) -> Run | None:
        return self.loop.session.run if self.loop.session is not None else None

    def restart(self, node_id: str | None = None, keep_values: bool = False) -> None:
        variables, scores = self.values() if keep_values and self.run is not None else (None, None)
        try:
            run = Run.start(self.scenario, at=node_id, variables=variables, scores=scores)
        except RunError as exc:
            self.loop.end()
            self.view.clear()
            self.view.show_notice(_("This scenario cannot be played: {error}.").format(error=exc))
            return
        self.loop.begin(Unrecorded(run), self.filled, [(run.visible_lines(), None)])

    def _node_shown(self) -> None:
        run = self.run
        self.where.setText(_("at #{node} · step {n}").format(node=run.node_id, n=len(run.steps)))
        self._show_values()
        self._show_path()
        if run.finished:
            self._show_ending()
        elif not run.offered_choices():
            self._say_stuck()
        self._show_hidden()

    def _offer_choices(self) -> None:
        if not self.loop.offer_choices():
            self._say_stuck()

    def _say_stuck(self) -> None:
        self.view.show_notice(
            _(
                "Every choice here is hidden by its condition: a trainee would be stuck. "
                "See why on the right, or change a value to go on."
            )
        )

    def _show_ending(self) -> None:
        run = self.run
        program = self.ctx.reader_program if self.ctx is not None else None
        from app.ui.authoring.scenario_map import ending_word

        parts = []
        for cid in self.scenario.competencies:
            name = program.competency_name(cid) if program else cid
            score, mark = run.scores.get(cid, 0), self.scenario.pass_marks.get(cid)
            parts.append(
                _("{competency} {score} (pass mark {mark})").format(competency=isolate(name), score=score, mark=mark)
                if mark is not None
                else _("{competency} {score}").format(competency=isolate(name), score=score)
            )
        notice = (
            _("Ending #{node} ({outcome}): a trainee would pass. Scores: {scores}.")
            if run.passed
            else _("Ending #{node} ({outcome}): a trainee would not pass. Scores: {scores}.")
        )
        outcome = ending_word(run.outcome) if run.outcome else run.outcome
        self.view.show_notice(notice.format(node=run.node_id, outcome=outcome, scores=_("; ").join(parts)), tone="info")
        if not self.feedback_box.isChecked():
            for k, step in enumerate(run.steps, 1):
                if step.feedback:
                    self.view.add_feedback(step.feedback, self.filled, f"{k}. {plain(step.choice_text, self.filled)}")
        self.view.offer_continue(_("Play again"), lambda: self.restart(self.start_node))

    def _show_hidden(self) -> None:
        hidden = self.run.hidden_choices() if self.run is not None else []
        if not hidden:
            self.hidden.setText(_("<i>None: every choice of this node is offered.</i>"))
            return
        self.hidden.setText(
            "<br><br>".join(
                f"<b>{display_html(choice.text, self.filled)}</b><br>{html.escape(why)}" for choice, why in hidden
            )
        )
