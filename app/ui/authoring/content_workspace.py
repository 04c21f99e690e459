"""The trainer's content workspace: every lesson and scenario with its state and findings,
the scenario map, "open in editor" at the right line, a new scenario from the template, and
checking again by itself whenever a file of the content folder is saved.

Trainers and coordinators see it ("Content" tab); trainees never do.
"""

from __future__ import annotations

import time
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import i18n
from app.core.i18n import N_, _, isolate, ngettext
from app.modules.content_overview import ERRORS, OK, WARNINGS, ContentFile, content_files
from app.ui.authoring.content_watcher import ContentWatcher
from app.ui.authoring.editor_launcher import EditorLauncher
from app.ui.authoring.item_stats_panel import ItemStatsPanel
from app.ui.authoring.scenario_map import ScenarioMapView
from app.ui.common import tasks, theme
from app.ui.common import widgets as w

STATE_COLOURS = {OK: "success", WARNINGS: "warning", ERRORS: "danger"}  # Theme fields


def state_colour(state) -> QColor:
    """A file's or finding's state in the colours of the theme in use."""
    return QColor(getattr(theme.current()[0], STATE_COLOURS[state]))


GROUPS = (
    ("program", N_("Program")),
    ("lesson", N_("Lessons")),
    ("scenario", N_("Role-play scenarios")),
    ("other", N_("Other files")),
)
FILE_ROLE = Qt.ItemDataRole.UserRole


class ContentWorkspace(QWidget):
    """The "Content" tab. `check_now()` re-reads the content folder (also done on every save)."""

    checked = Signal()  # a check finished and the workspace shows its result

    def __init__(self, ctx, parent: QWidget | None = None, launcher: EditorLauncher | None = None, watch: bool = True):
        super().__init__(parent)
        self.ctx = ctx
        self.launcher = launcher or EditorLauncher()
        self.files: list[ContentFile] = []
        self.current: ContentFile | None = None
        self._checking = False
        self._again = False
        self._checked_at: float | None = None
        self._select_after: str | None = None
        self._playtests: list[QWidget] = []
        self.last_check_seconds: float | None = None
        self._build()
        ctx.changed.connect(self._changed)
        self.watcher: ContentWatcher | None = None
        if watch:
            self.watcher = ContentWatcher(ctx.locations.content_dir, self)
            self.watcher.changed.connect(self.check_now)

    # --- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        lay = w.scrolling_body(self)  # large text on a small screen: the page scrolls, nothing is squeezed
        lay.setContentsMargins(0, 8, 0, 0)
        lay.setSpacing(10)
        self.summary = w.Label()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("Banner")
        self.new_button = w.button(
            _("New scenario…"), tip=_("Start a new role-play from the template and open it in your editor")
        )
        self.new_button.clicked.connect(self.new_scenario)
        self.again = w.button(
            _("Check again"),
            tip=_("Read the content folder again (this also happens by itself when you save a file)"),
        )
        self.again.clicked.connect(self.check_now)
        lay.addLayout(w.row(self.summary, self.new_button, self.again, stretch_first=True))

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(_("Content files"))
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([_("Lessons and scenarios"), _("State")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.setMinimumWidth(340)
        self.tree.currentItemChanged.connect(lambda cur, _prev: self._show_item(cur))
        split.addWidget(self.tree)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 0, 0, 0)
        rl.setSpacing(8)
        self.file_title = w.title("", "SectionTitle")
        self.file_path = w.muted("")
        self.file_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = w.button(_("Open in editor"), "primary", tip=_("Open this file in your text editor"))
        self.open_button.clicked.connect(lambda: self.open_in_editor())
        self.play_button = w.button(
            _("Play-test"), tip=_("Play this scenario from the start, as a trainee would (nothing is recorded)")
        )
        self.play_button.clicked.connect(lambda: self.play_test(None))
        self.export_button = w.button(_("Save map picture…"), tip=_("Save the map as a PNG or SVG picture"))
        self.export_button.clicked.connect(self._export_dialog)
        self.publish_button = w.button(_("Publish"), tip=_("Let trainees see this draft"))
        self.publish_button.clicked.connect(self.publish)
        rl.addWidget(self.file_title)
        rl.addLayout(
            w.row(
                self.file_path,
                self.publish_button,
                self.open_button,
                self.play_button,
                self.export_button,
                stretch_first=True,
            )
        )

        self.body = QSplitter(Qt.Orientation.Vertical)
        self.body.setChildrenCollapsible(False)
        self.findings = QTreeWidget()
        self.findings.setAccessibleName(_("Problems in this file"))
        self.findings.setColumnCount(4)
        self.findings.setHeaderLabels(
            [_("Line"), _("Kind"), _("Code"), _("What is wrong, and what to do (double-click to open the file there)")]
        )
        self.findings.setRootIsDecorated(False)
        self.findings.setWordWrap(True)
        self.findings.setUniformRowHeights(False)
        self.findings.setAlternatingRowColors(True)
        header = self.findings.header()
        for col in (0, 1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.findings.itemDoubleClicked.connect(lambda item, _c: self._open_finding(item))
        self.findings.currentItemChanged.connect(lambda cur, _p: self._finding_selected(cur))
        # The file's problems, and beside them how trainees answered (first attempts, never names).
        self.overlay = QCheckBox(_("Show on the map"))
        self.overlay.setToolTip(
            _("Lay these shares over the map's arrows (only where at least 5 trainees reached that point)")
        )
        self.overlay.setChecked(True)
        self.overlay.toggled.connect(lambda _on: self._apply_overlay())
        self._shares: dict = {}
        self.details = QTabWidget()
        self.details.setDocumentMode(True)
        self.details.setAccessibleName(_("This file's problems, and how trainees answered"))
        self.details.addTab(self.findings, _("Problems"))
        self.item_stats = ItemStatsPanel()
        self.item_stats.add_beside_note(self.overlay)
        self.details.addTab(self.item_stats, _("How trainees answered"))
        self.details.currentChanged.connect(lambda _i: self._fit_details())
        self.body.addWidget(self.details)
        self.map = ScenarioMapView()
        self.map.play_from.connect(self.play_test)
        self.map.open_line.connect(lambda line: self.open_in_editor(line))
        self.map.node_selected.connect(self._node_selected)
        self.map_hint = w.muted(
            _(
                "Hover a node to read it and an arrow to read its choice. Ctrl+wheel or +/- zooms, "
                "drag moves, 0 fits, K shows the key. Double-click a node (or right-click it) to play-test from there."
            )
        )
        map_box = QWidget()
        ml = QVBoxLayout(map_box)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.setSpacing(4)
        ml.addWidget(self.map_hint)
        ml.addWidget(self.map, 1)
        self.map_box = map_box
        self.body.addWidget(map_box)
        self.body.setStretchFactor(0, 1)
        self.body.setStretchFactor(1, 3)
        rl.addWidget(self.body, 1)
        self.status = w.muted("")
        rl.addWidget(self.status)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([380, 900])
        split.setMinimumHeight(self.fontMetrics().height() * 16)  # the lists keep room for a few lines
        self.split = split
        lay.addWidget(split, 1)
        lay.addWidget(w.muted(_("Content folder: {folder}").format(folder=isolate(self.ctx.locations.content_dir))))
        self._show_file(None)

    def changeEvent(self, event) -> None:  # Qt's name: the text size changed
        super().changeEvent(event)
        from PySide6.QtCore import QEvent

        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange) and hasattr(self, "split"):
            self.split.setMinimumHeight(self.fontMetrics().height() * 16)

    # --- checking ---------------------------------------------------------------------------
    def check_now(self) -> None:
        """Read and check the whole content folder off the UI thread; a change meanwhile checks again after."""
        if self._checking:
            self._again = True
            return
        self._checking = True
        self.again.setEnabled(False)
        root = self.ctx.locations.content_dir
        started = time.perf_counter()

        def work():
            from app.modules.content import load_content

            return load_content(root)

        def done(content) -> None:
            if not shiboken6.isValid(self):
                return  # closed while checking
            self.last_check_seconds = time.perf_counter() - started
            self._finish_check()
            self.ctx.set_content(content)  # every screen showing content, this one included, refreshes
            self.checked.emit()

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self._finish_check()
            self.status.setText(_("The content folder could not be read: {error}").format(error=exc))

        tasks.run(self, work, done, failed)

    def _changed(self, changes) -> None:
        if changes.touches("content"):
            self.refresh()
        elif changes.touches("progress"):
            self._show_stats(self.current)  # new attempts change the item statistics

    def _finish_check(self) -> None:
        self._checking = False
        self.again.setEnabled(True)
        self._checked_at = time.time()
        if self._again:
            self._again = False
            QTimer.singleShot(0, self.check_now)

    # --- showing ----------------------------------------------------------------------------
    def refresh(self) -> None:
        content = self.ctx.content
        keep = self._select_after or (self.current.shown if self.current else None)
        self._select_after = None
        self.tree.blockSignals(True)
        self.tree.clear()
        if content is None:
            self.files = []
            self.summary.setText(_("The content has not been loaded yet."))
            self.tree.blockSignals(False)
            self._show_file(None)
            return
        self.files = content_files(content)
        self._summarise(content)
        program = content.program
        groups: dict[str, QTreeWidgetItem] = {}
        modules: dict[tuple[str, str], QTreeWidgetItem] = {}
        chosen = None
        for f in self.files:
            group = groups.get(f.kind)
            if group is None:
                label = _(dict(GROUPS)[f.kind])
                group = groups[f.kind] = QTreeWidgetItem([label, ""])
                self.tree.addTopLevelItem(group)
                group.setExpanded(True)
                _bold(group)
            parent = group
            if f.kind in ("lesson", "scenario") and f.module:
                parent = modules.get((f.kind, f.module))
                if parent is None:
                    m = program.in_language(i18n.language()).module(f.module) if program else None
                    parent = modules[(f.kind, f.module)] = QTreeWidgetItem([m.title if m else f.module, ""])
                    group.addChild(parent)
                    parent.setExpanded(True)
            item = QTreeWidgetItem([f.title, f.state_text()])
            item.setToolTip(0, w.plain_tip(f.shown))
            item.setForeground(1, QBrush(state_colour(f.state)))
            item.setData(0, FILE_ROLE, f)
            parent.addChild(item)
            for node in (parent, group) if parent is not group else (group,):
                _worst(node, f.state)
            if f.shown == keep:
                chosen = item
        self.tree.blockSignals(False)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
            self._show_item(chosen, keep_view=True)
        else:
            self._show_file(None)

    def _summarise(self, content) -> None:
        lessons = sum(f.kind == "lesson" for f in self.files)
        scenarios = sum(f.kind == "scenario" for f in self.files)
        errors, warnings = content.error_count, content.warning_count
        bad = sum(f.state == ERRORS for f in self.files)
        when = time.strftime("%H:%M:%S", time.localtime(self._checked_at or time.time()))
        sentences = [
            _("{lessons} and {scenarios}.").format(
                lessons=ngettext("{n} lesson", "{n} lessons", lessons).format(n=lessons),
                scenarios=ngettext("{n} role-play scenario", "{n} role-play scenarios", scenarios).format(n=scenarios),
            )
        ]
        drafts = sum(f.is_draft for f in self.files)
        if drafts:
            sentences.append(
                ngettext(
                    "{n} draft, not shown to trainees until published.",
                    "{n} drafts, not shown to trainees until published.",
                    drafts,
                ).format(n=drafts)
            )
        if not errors and not warnings:
            sentences.append(_("No problems found."))
        else:
            counts = {
                "errors": ngettext("{n} error", "{n} errors", errors).format(n=errors),
                "warnings": ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
            }
            sentences.append(
                ngettext(
                    "{errors} and {warnings}; {n} file with errors is hidden from trainees.",
                    "{errors} and {warnings}; {n} files with errors are hidden from trainees.",
                    bad,
                ).format(n=bad, **counts)
                if bad
                else _("{errors} and {warnings}.").format(**counts)
            )
        self.summary.setText(
            _("{summary} Checked at {time}; checked again by itself whenever you save a file.").format(
                summary=" ".join(sentences), time=when
            )
        )

    def file(self, shown_suffix: str) -> ContentFile | None:
        """The listed file whose path ends with `shown_suffix` (tests and "select after creating")."""
        for f in self.files:
            if f.shown.endswith(shown_suffix):
                return f
        return None

    def select_file(self, shown_suffix: str) -> bool:
        it = _find_item(self.tree, lambda f: f.shown.endswith(shown_suffix))
        if it is None:
            return False
        self.tree.setCurrentItem(it)
        self.tree.scrollToItem(it)
        return True

    def _show_item(self, item: QTreeWidgetItem | None, keep_view: bool = False) -> None:
        f = item.data(0, FILE_ROLE) if item is not None else None
        self._show_file(f, keep_view)

    def _show_file(self, f: ContentFile | None, keep_view: bool = False) -> None:
        same = f is not None and self.current is not None and f.shown == self.current.shown
        self.current = f
        self.findings.clear()
        is_scenario = f is not None and f.kind == "scenario" and f.item is not None
        self.open_button.setEnabled(f is not None)
        self.export_button.setVisible(is_scenario)
        self.play_button.setVisible(f is not None and f.kind == "scenario")
        self._update_play_button()
        self._update_publish_button()
        if f is None:
            self.file_title.setText(_("Pick a lesson or scenario on the left"))
            self.file_path.setText(_("Its problems, and for a scenario its map, show here."))
            self.map_box.hide()
            return
        self.file_title.setText(f"{f.title} — {f.state_text()}")
        self.file_path.setText(f.shown)
        if not f.findings:
            empty = QTreeWidgetItem(["", "", "", _("No problems in this file.")])
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.findings.addTopLevelItem(empty)
        for finding in f.findings:
            text = "\n".join(
                [finding.message, _("Hint: {hint}").format(hint=finding.hint)] if finding.hint else [finding.message]
            )
            kind = {"error": _("error"), "warning": _("warning")}.get(finding.severity, finding.severity)
            row = QTreeWidgetItem([str(finding.line), kind, finding.code, text])
            row.setForeground(1, QBrush(state_colour(ERRORS if finding.is_error else WARNINGS)))
            row.setToolTip(3, w.plain_tip(finding.format()))
            row.setData(0, FILE_ROLE, finding)
            self.findings.addTopLevelItem(row)
        self._fit_details()
        if is_scenario:
            self.map_box.show()
            self._draw_map(f, keep_view and same)
        else:
            self.map_box.hide()
        self._show_stats(f)

    def _fit_details(self) -> None:
        """Beside a map the problems take only the room they need (the statistics a little more);
        for a lesson they take all."""
        f = self.current
        on_stats = self.details.currentWidget() is self.item_stats
        self.map_hint.setVisible(not on_stats)  # room for the statistics; the hint is about play-testing
        if f is None or f.kind != "scenario" or f.item is None:
            self.details.setMaximumHeight(16777215)
        elif on_stats and self.item_stats.table.isHidden():
            self.details.setMaximumHeight(130)  # only a note: the map keeps the room
        elif on_stats:
            # The statistics and the map share the room evenly (the map shows the same shares).
            self.details.setMaximumHeight(16777215)
            total = sum(self.body.sizes())
            if total > 0:
                self.body.setSizes([total * 11 // 20, total - total * 11 // 20])
        else:
            self.details.setMaximumHeight(max(120, min(290, 64 + 40 * len(f.findings))))

    # --- item statistics ----------------------------------------------------------------------
    def _show_stats(self, f: ContentFile | None) -> None:
        """How trainees answered this file's check or role-play (first attempts; hidden under 5)."""
        from sqlalchemy.exc import SQLAlchemyError

        panel = self.item_stats
        self._shares = {}
        item = f.item if f is not None else None
        if f is None or item is None or f.kind not in ("lesson", "scenario"):
            panel.show_none(_("Pick a lesson with a knowledge check, or a role-play, to see how trainees answered."))
        elif f.kind == "lesson" and not item.questions:
            panel.show_none(_("This lesson has no knowledge check."))
        elif self.ctx.training is None:
            panel.show_none(_("The records are not open here, so there are no attempts to show."))
        else:
            try:
                if f.kind == "lesson":
                    panel.show_check(self.ctx.training.progress.check_statistics(item))
                else:
                    stats = self.ctx.training.progress.role_play_statistics(item)
                    panel.show_play(stats, item)
                    self._shares = stats.edge_shares()
            except (SQLAlchemyError, OSError) as exc:  # records that cannot be read must not break the workspace
                panel.show_none(_("The records could not be read: {error}").format(error=exc))
        self.overlay.setVisible(bool(self._shares))
        self._apply_overlay()
        self._fit_details()

    def _apply_overlay(self) -> None:
        self.map.set_choice_shares(self._shares if self.overlay.isChecked() else None)

    def _draw_map(self, f: ContentFile, keep_view: bool) -> None:
        view = self.map
        if keep_view and view.scenario is not None:
            transform, centre = view.transform(), view.mapToScene(view.viewport().rect().center())
            view.set_scenario(f.item, f.findings)
            view.setTransform(transform)
            view.centerOn(centre)
        else:
            view.set_scenario(f.item, f.findings)
            QTimer.singleShot(0, self._overview)

    def _overview(self) -> None:
        """Fit the map; if that makes the words too small to read, the map shows the start at a
        readable size (ScenarioMapView.fit)."""
        self.map.fit()

    def _update_play_button(self) -> None:
        f = self.current
        b = self.play_button
        if f is None or f.kind != "scenario":
            return
        if f.item is None or f.errors:
            b.setEnabled(False)
            b.setToolTip(_("Fix the errors first: a scenario with errors cannot be played."))
        else:
            b.setEnabled(True)
            b.setToolTip(
                _(
                    "Play this scenario from the start, as a trainee would (nothing is recorded). "
                    "To start from another node, double-click it on the map."
                )
            )

    def _update_publish_button(self) -> None:
        from app.modules.publish import publish_blockers

        f = self.current
        b = self.publish_button
        b.setVisible(f is not None and f.is_draft)
        if f is None or not f.is_draft:
            return
        blockers = publish_blockers(f.item, f.findings)
        b.setEnabled(not blockers)
        b.setProperty("role", "" if blockers else "primary")
        b.style().unpolish(b)
        b.style().polish(b)
        tip = (
            _("Not yet: {reasons}").format(reasons=" ".join(blockers))
            if blockers
            else _("Let trainees see it: its 'status: draft' line becomes 'status: published'.")
        )
        b.setToolTip(tip)
        b.setAccessibleDescription(tip)

    # --- actions ----------------------------------------------------------------------------
    def publish(self) -> bool:
        """Publish the draft on screen (one click, after a clean check), then check the folder again."""
        from app.modules.publish import PublishError, publish_blockers, publish_file

        f = self.current
        if f is None or f.item is None or publish_blockers(f.item, f.findings):
            return False
        try:
            publish_file(f.path)
        except (PublishError, OSError) as exc:
            self.status.setText(_("{title} could not be published: {error}").format(title=f.title, error=exc))
            return False
        self.status.setText(_("Published: trainees can now see “{title}”.").format(title=f.title))
        self._select_after = f.shown
        self.check_now()
        return True

    def open_in_editor(self, line: int | None = None) -> None:
        f = self.current
        if f is None:
            return
        if line is None:
            item = self.findings.currentItem()
            finding = item.data(0, FILE_ROLE) if item is not None else None
            line = finding.line if finding is not None else None
        self.status.setText(self.launcher.open(f.path, line))

    def _open_finding(self, item: QTreeWidgetItem) -> None:
        finding = item.data(0, FILE_ROLE)
        if finding is not None:
            self.open_in_editor(finding.line)

    def _finding_selected(self, item: QTreeWidgetItem | None) -> None:
        finding = item.data(0, FILE_ROLE) if item is not None else None
        if finding is None or self.map.scenario is None:
            return
        for nid, facts in self.map.facts.items():
            if finding in facts.errors or finding in facts.warnings:
                self.map.blockSignals(True)
                self.map.select_node(nid)
                self.map.blockSignals(False)
                return

    def _node_selected(self, node_id: str) -> None:
        facts = self.map.facts.get(node_id)
        if facts is None:
            return
        mine = facts.errors + facts.warnings
        for i in range(self.findings.topLevelItemCount()):
            item = self.findings.topLevelItem(i)
            if item.data(0, FILE_ROLE) in mine:
                self.findings.blockSignals(True)
                self.findings.setCurrentItem(item)
                self.findings.blockSignals(False)
                return
        self.status.setText(
            _("#{node}, line {line}.").format(node=node_id, line=facts.line)
            if facts.line
            else _("#{node} is not written yet.").format(node=node_id)
        )

    def play_test(self, node_id: str | None = None) -> QWidget | None:
        """Open the play-test window on the current scenario, from `node_id` or the start."""
        f = self.current
        if f is None or f.kind != "scenario" or f.item is None:
            return None
        if f.errors:
            self.status.setText(_("Fix the errors first: a scenario with errors cannot be played."))
            return None
        from app.ui.authoring.playtest_window import PlaytestWindow

        win = PlaytestWindow(self.ctx, f.item, start_node=node_id)
        self._playtests = [p for p in self._playtests if p.isVisible()] + [win]
        win.show()
        return win

    def export_map(self, path: Path | str) -> Path:
        path = Path(path)
        if path.suffix.lower() == ".svg":
            return self.map.export_svg(path)
        return self.map.export_png(path if path.suffix.lower() == ".png" else path.with_suffix(".png"))

    def _export_dialog(self) -> None:
        if self.current is None or self.current.item is None:
            return
        suggested = str(Path.home() / f"{self.current.item.id or 'scenario'}-map.png")
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the map as a picture"), suggested, _("PNG picture (*.png);;SVG picture (*.svg)")
        )
        if path:
            try:
                self.status.setText(_("Saved the map to {file}.").format(file=self.export_map(path)))
            except OSError as exc:
                self.status.setText(_("Could not save the map: {error}").format(error=exc))

    def new_scenario(self) -> None:
        dlg = NewScenarioDialog(self.ctx, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.created is not None:
            self.scenario_created(dlg.created)

    def scenario_created(self, path: Path) -> None:
        """Open the new file in the editor, and select it once the check has picked it up."""
        from app.modules.findings import display_path

        self._select_after = display_path(path, self.ctx.locations.content_dir.parent)
        first_node = next(
            (i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith("## ")),
            None,
        )
        self.status.setText(self.launcher.open(path, first_node))
        self.check_now()


class NewScenarioDialog(QDialog):
    """Ask for a title and a module; write content/scenarios/<module>/<slug>.md from the template."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.created: Path | None = None
        self.setWindowTitle(_("New role-play scenario"))
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)
        lay.setSpacing(12)
        lay.addWidget(w.title(_("New role-play scenario"), "SectionTitle"))
        lay.addWidget(
            w.muted(
                _(
                    "The new file starts as a small working role-play, with notes that explain each part. "
                    "It opens in your text editor; save it and the checks here update by themselves. "
                    "It is a draft: trainees see it only once you publish it."
                )
            )
        )
        form = QFormLayout()
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(_("e.g. The new student at lunch"))
        self.title_edit.setMaxLength(120)
        self.title_edit.setAccessibleName(_("Title"))
        self.module = QComboBox()
        self.module.setAccessibleName(_("Module"))
        program = ctx.reader_program
        for m in program.modules if program else []:
            self.module.addItem(m.title, m.id)
        form.addRow(_("Title"), self.title_edit)
        form.addRow(_("Module"), self.module)
        lay.addLayout(form)
        self.where = w.muted("")
        lay.addWidget(self.where)
        self.error = w.Label()
        self.error.setObjectName("ErrorBanner")
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        self.create = w.button(_("Create and open"), "primary")
        self.create.clicked.connect(self._create)
        cancel = w.button(_("Cancel"))
        cancel.clicked.connect(self.reject)
        lay.addLayout(w.row(None, cancel, self.create))
        self.title_edit.textChanged.connect(self._preview)
        self.module.currentIndexChanged.connect(self._preview)
        self._preview()

    def _preview(self) -> None:
        from app.modules.scenario.new_file import slugify

        slug = slugify(self.title_edit.text())
        self.create.setEnabled(bool(slug) and self.module.count() > 0)
        self.where.setText(
            _("File: {path}").format(path=f"scenarios/{self.module.currentData()}/{slug}.md")
            if slug
            else _("Type a title to name the file.")
        )

    def _create(self) -> None:
        from app.modules.scenario.new_file import NewScenarioError, create_scenario_file

        content = self.ctx.content
        try:
            self.created = create_scenario_file(
                self.ctx.locations.content_dir,
                self.title_edit.text(),
                self.module.currentData(),
                self.ctx.program,
                [s.id for s in content.scenarios] if content else (),
            )
        except (NewScenarioError, OSError) as exc:
            w.set_error(self.error, str(exc))
            return
        self.accept()


def _bold(item: QTreeWidgetItem) -> None:
    f = item.font(0)
    f.setBold(True)
    item.setFont(0, f)


def _worst(item: QTreeWidgetItem, state: str) -> None:
    """A group shows the worst state of what it holds."""
    rank = {OK: 0, WARNINGS: 1, ERRORS: 2}
    now = item.data(1, FILE_ROLE) or OK
    if rank[state] > rank[now]:
        item.setData(1, FILE_ROLE, state)
        item.setText(1, _("warnings") if state == WARNINGS else _("errors"))
        item.setForeground(1, QBrush(state_colour(state)))


def _find_item(tree: QTreeWidget, match) -> QTreeWidgetItem | None:
    stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        it = stack.pop()
        f = it.data(0, FILE_ROLE)
        if isinstance(f, ContentFile) and match(f):
            return it
        stack += [it.child(i) for i in range(it.childCount())]
    return None
