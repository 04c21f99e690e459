"""How trainees answered: the item statistics of the file chosen in the content workspace.

A knowledge check shows, per question, the share right first time, the discrimination and how
often each option was chosen; a role-play shows, per decision point, how often each choice was
taken (the map can lay these shares over its arrows). Only first attempts count; figures from
fewer than 5 attempts are not shown; no trainee is named. The figures come from
app.modules.item_statistics.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.modules.assessment_thresholds import MIN_ATTEMPTS_SHOWN
from app.modules.scenario.map_facts import snippet

from . import widgets as w

CHECK_HELP = (
    "Right first time: the share who got the question right. "
    "Discrimination, from -1 to 1: how well the question agrees with the rest of the check. Near 0 or "
    "below, trainees who did well overall got it wrong as often as the others; read it again."
)
PLAY_HELP = "how often each choice was taken."


def _pct(x: float | None) -> str:
    return "" if x is None else f"{round(x * 100)} %"


def _trainees(n: int) -> str:
    return f"{n} trainee{'s' * (n != 1)}"


class ItemStatsPanel(QWidget):
    """The statistics of one lesson's check or one role-play; `show_check`, `show_play`, `show_none`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.setSpacing(6)
        self.note = w.muted("")
        self.note.setAccessibleName("About these figures")
        self.head = w.row(self.note, stretch_first=True)
        lay.addLayout(self.head)
        self.table = QTreeWidget()
        self.table.setAccessibleName("How trainees answered")
        self.table.setColumnCount(4)
        self.table.setWordWrap(True)
        self.table.setUniformRowHeights(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.table, 1)
        lay.addStretch(0)  # with the table hidden, the note stays at the top
        self.stats = None
        self.show_none("")

    def add_beside_note(self, widget: QWidget) -> None:
        """A control on the note's line (the workspace's "show on the map" box)."""
        self.head.addWidget(widget)

    def _reset(self, headers: list[str]) -> None:
        self.table.clear()
        self.table.setHeaderLabels(headers)

    def show_none(self, why: str) -> None:
        self.stats = None
        self._reset(["", "", "", ""])
        self.table.hide()
        self.note.setText(why)

    def _hidden(self, attempts: int, what: str) -> None:
        self.table.hide()
        left = MIN_ATTEMPTS_SHOWN - attempts
        have = "has" if attempts == 1 else "have"
        so_far = "No trainee has" if attempts == 0 else f"Only {_trainees(attempts)} {have}"
        self.note.setText(
            f"{so_far} made a first attempt at this {what} yet. The figures appear once "
            f"{MIN_ATTEMPTS_SHOWN} trainees have ({left} more): fewer would be too few to keep them anonymous, "
            f"and too few to mean anything."
        )

    def show_check(self, stats) -> None:
        """A knowledge check's statistics (item_statistics.CheckStats)."""
        self.stats = stats
        self._reset(["Question, and each option", "Right first time", "Discrimination", "Chosen"])
        if not stats.shown:
            self._hidden(stats.attempts, "knowledge check")
            return
        self.note.setText(f"From the first attempts of {_trainees(stats.attempts)}. {CHECK_HELP}")
        self.table.show()
        for q in stats.questions:
            if not q.shown:
                row = QTreeWidgetItem(
                    [f"{q.number}. {q.prompt}", "", "", f"fewer than {MIN_ATTEMPTS_SHOWN} answers as it is written now"]
                )
                self.table.addTopLevelItem(row)
                continue
            disc = "" if q.discrimination is None else f"{q.discrimination:+.2f}"
            row = QTreeWidgetItem([f"{q.number}. {q.prompt}", _pct(q.facility), disc, ""])
            row.setToolTip(0, f"{q.prompt}\n\nAnswered by {_trainees(q.attempts)} on their first attempt.")
            if q.discrimination is None:
                row.setToolTip(2, "Everyone got it right (or everyone wrong), so there is nothing to compare.")
            self.table.addTopLevelItem(row)
            for o in q.options:
                mark = "✓ " if o.correct else ""
                child = QTreeWidgetItem([f"{mark}{o.text}", "", "", f"{o.count} ({_pct(o.share)})"])
                child.setToolTip(0, ("The correct answer: " if o.correct else "A wrong answer: ") + o.text)
                row.addChild(child)
            row.setExpanded(True)

    def show_play(self, stats, scenario) -> None:
        """A role-play's choice shares (item_statistics.RolePlayStats)."""
        self.stats = stats
        self._reset(["Where trainees chose, and each choice", "", "", "Taken"])
        if not stats.shown:
            self._hidden(stats.attempts, "role-play")
            return
        self.note.setText(f"From the first attempts of {_trainees(stats.attempts)}: {PLAY_HELP}")
        self.table.show()
        for d in stats.decisions:
            node = scenario.nodes.get(d.node_id)
            words = snippet(node.text[-1].text, 14) if node is not None and node.text else "This point"
            if not d.shown:
                row = QTreeWidgetItem([f"“{words}”", "", "", f"reached by fewer than {MIN_ATTEMPTS_SHOWN}"])
                self.table.addTopLevelItem(row)
                continue
            row = QTreeWidgetItem([f"“{words}”", "", "", f"{_trainees(d.attempts)}"])
            row.setToolTip(0, f"Line {node.line} of the file." if node is not None and node.line else "")
            self.table.addTopLevelItem(row)
            for ch in d.choices:
                child = QTreeWidgetItem([ch.text, "", "", f"{ch.count} ({_pct(ch.share)})"])
                child.setToolTip(0, ch.text)
                row.addChild(child)
            row.setExpanded(True)

    def rows(self) -> list[list[str]]:
        """Every row's texts, top-level rows then their children (tests)."""
        out = []
        for i in range(self.table.topLevelItemCount()):
            it = self.table.topLevelItem(i)
            out.append([it.text(c) for c in range(4)])
            for j in range(it.childCount()):
                out.append([it.child(j).text(c) for c in range(4)])
        return out

    def sizeHint(self):  # Qt's name: room for a few rows at first
        hint = super().sizeHint()
        hint.setHeight(max(hint.height(), 220))
        return hint
