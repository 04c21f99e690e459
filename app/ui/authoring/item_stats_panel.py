"""How trainees answered: the item statistics of the file chosen in the content workspace.

A knowledge check shows, per question, the share right first time, the discrimination and how
often each option was chosen; a role-play shows, per decision point, how often each choice was
taken (the map can lay these shares over its arrows). Only first attempts count; figures from
fewer than 5 attempts are not shown; no trainee is named. The figures come from
app.modules.item_statistics.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.core.i18n import _, ngettext
from app.modules.assessment_thresholds import MIN_ATTEMPTS_SHOWN
from app.modules.scenario.map_facts import snippet
from app.ui.common import widgets as w


def _pct(x: float | None) -> str:
    return "" if x is None else _("{percent} %").format(percent=round(x * 100))


def _trainees(n: int) -> str:
    return ngettext("{n} trainee", "{n} trainees", n).format(n=n)


class ItemStatsPanel(QWidget):
    """The statistics of one lesson's check or one role-play; `show_check`, `show_play`, `show_none`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.setSpacing(6)
        self.note = w.muted("")
        self.note.setAccessibleName(_("About these figures"))
        self.head = w.row(self.note, stretch_first=True)
        lay.addLayout(self.head)
        self.table = QTreeWidget()
        self.table.setAccessibleName(_("How trainees answered"))
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

    def _hidden(self, attempts: int, check: bool) -> None:
        """Too few first attempts to show: of a knowledge check (`check`) or of a role-play."""
        self.table.hide()
        if attempts == 0 and check:
            text = _(
                "No trainee has made a first attempt at this knowledge check yet. The figures appear once "
                "{min} trainees have ({left} more): fewer would be too few to keep them anonymous, "
                "and too few to mean anything."
            )
        elif attempts == 0:
            text = _(
                "No trainee has made a first attempt at this role-play yet. The figures appear once "
                "{min} trainees have ({left} more): fewer would be too few to keep them anonymous, "
                "and too few to mean anything."
            )
        elif check:
            text = ngettext(
                "Only {n} trainee has made a first attempt at this knowledge check yet. The figures appear once "
                "{min} trainees have ({left} more): fewer would be too few to keep them anonymous, "
                "and too few to mean anything.",
                "Only {n} trainees have made a first attempt at this knowledge check yet. The figures appear once "
                "{min} trainees have ({left} more): fewer would be too few to keep them anonymous, "
                "and too few to mean anything.",
                attempts,
            )
        else:
            text = ngettext(
                "Only {n} trainee has made a first attempt at this role-play yet. The figures appear once "
                "{min} trainees have ({left} more): fewer would be too few to keep them anonymous, "
                "and too few to mean anything.",
                "Only {n} trainees have made a first attempt at this role-play yet. The figures appear once "
                "{min} trainees have ({left} more): fewer would be too few to keep them anonymous, "
                "and too few to mean anything.",
                attempts,
            )
        self.note.setText(text.format(n=attempts, min=MIN_ATTEMPTS_SHOWN, left=MIN_ATTEMPTS_SHOWN - attempts))

    def show_check(self, stats) -> None:
        """A knowledge check's statistics (item_statistics.CheckStats)."""
        self.stats = stats
        self._reset([_("Question, and each option"), _("Right first time"), _("Discrimination"), _("Chosen")])
        if not stats.shown:
            self._hidden(stats.attempts, check=True)
            return
        self.note.setText(
            ngettext(
                "From the first attempts of {n} trainee. Right first time: the share who got the question right. "
                "Discrimination, from -1 to 1: how well the question agrees with the rest of the check. Near 0 or "
                "below, trainees who did well overall got it wrong as often as the others; read it again.",
                "From the first attempts of {n} trainees. Right first time: the share who got the question right. "
                "Discrimination, from -1 to 1: how well the question agrees with the rest of the check. Near 0 or "
                "below, trainees who did well overall got it wrong as often as the others; read it again.",
                stats.attempts,
            ).format(n=stats.attempts)
        )
        self.table.show()
        for q in stats.questions:
            if not q.shown:
                row = QTreeWidgetItem(
                    [
                        f"{q.number}. {q.prompt}",
                        "",
                        "",
                        _("fewer than {min} answers as it is written now").format(min=MIN_ATTEMPTS_SHOWN),
                    ]
                )
                self.table.addTopLevelItem(row)
                continue
            disc = "" if q.discrimination is None else f"{q.discrimination:+.2f}"
            row = QTreeWidgetItem([f"{q.number}. {q.prompt}", _pct(q.facility), disc, ""])
            answered = ngettext(
                "Answered by {n} trainee on their first attempt.",
                "Answered by {n} trainees on their first attempt.",
                q.attempts,
            ).format(n=q.attempts)
            row.setToolTip(0, f"{q.prompt}\n\n{answered}")
            if q.discrimination is None:
                row.setToolTip(2, _("Everyone got it right (or everyone wrong), so there is nothing to compare."))
            self.table.addTopLevelItem(row)
            for o in q.options:
                mark = "✓ " if o.correct else ""
                child = QTreeWidgetItem([f"{mark}{o.text}", "", "", f"{o.count} ({_pct(o.share)})"])
                child.setToolTip(
                    0,
                    _("The correct answer: {text}").format(text=o.text)
                    if o.correct
                    else _("A wrong answer: {text}").format(text=o.text),
                )
                row.addChild(child)
            row.setExpanded(True)

    def show_play(self, stats, scenario) -> None:
        """A role-play's choice shares (item_statistics.RolePlayStats)."""
        self.stats = stats
        self._reset([_("Where trainees chose, and each choice"), "", "", _("Taken")])
        if not stats.shown:
            self._hidden(stats.attempts, check=False)
            return
        self.note.setText(
            ngettext(
                "From the first attempts of {n} trainee: how often each choice was taken.",
                "From the first attempts of {n} trainees: how often each choice was taken.",
                stats.attempts,
            ).format(n=stats.attempts)
        )
        self.table.show()
        for d in stats.decisions:
            node = scenario.nodes.get(d.node_id)
            words = snippet(node.text[-1].text, 14) if node is not None and node.text else _("This point")
            if not d.shown:
                row = QTreeWidgetItem(
                    [f"“{words}”", "", "", _("reached by fewer than {min}").format(min=MIN_ATTEMPTS_SHOWN)]
                )
                self.table.addTopLevelItem(row)
                continue
            row = QTreeWidgetItem([f"“{words}”", "", "", _trainees(d.attempts)])
            row.setToolTip(
                0, _("Line {line} of the file.").format(line=node.line) if node is not None and node.line else ""
            )
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
