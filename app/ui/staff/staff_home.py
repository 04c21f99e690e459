"""Home for trainers and coordinators: tabs for what their role may do."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.core.i18n import _, ngettext
from app.ui.authoring.content_workspace import ContentWorkspace
from app.ui.common import widgets as w
from app.ui.staff.certificates_tab import CertificatesTab
from app.ui.staff.people_tab import PeopleTab
from app.ui.staff.progress_tab import ProgressTab
from app.ui.staff.school_tab import SchoolTab
from app.ui.staff.sign_off_page import SignOffPage


class StaffHomePage(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 20, 28, 20)
        lay.setSpacing(12)
        self.hello = w.title("")
        self.report_button = w.button(
            _("Programme report…"),
            name=_("Save the programme report for school leadership as a PDF"),
            tip=_("Figures for school leadership, as a PDF; any figure about fewer than 5 people is withheld"),
        )
        self.report_button.clicked.connect(self._save_report)
        self.report_note = w.muted("", wrap=False)
        lay.addLayout(w.row(self.hello, self.report_note, self.report_button, stretch_first=True))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Sections"))
        self.tabs.setDocumentMode(True)
        lay.addWidget(self.tabs, 1)
        self.progress = ProgressTab(ctx)
        self.problems = ContentWorkspace(ctx)  # the trainer's content workspace ("Content" tab)
        ctx.changed.connect(lambda changes: changes.touches("content") and self._name_content_tab())
        self.sign_off = SignOffPage(ctx)
        self.people = PeopleTab(ctx)
        self.school = SchoolTab(ctx)
        self.certificates = CertificatesTab(ctx)
        self._shown: QWidget | None = None  # the tab on screen, to ask it before it is left
        self.tabs.currentChanged.connect(self._tab_changed)

    def _tab_changed(self, _index: int) -> None:
        leaving = self._shown
        if leaving is not None and leaving is not self.tabs.currentWidget() and not self._may_leave(leaving):
            self.tabs.blockSignals(True)
            self.tabs.setCurrentWidget(leaving)  # stay: the edits are still there
            self.tabs.blockSignals(False)
            return
        self._refresh_current()

    @staticmethod
    def _may_leave(page: QWidget) -> bool:
        confirm = getattr(page, "confirm_leave", None)
        return confirm() if confirm is not None else True

    def can_leave(self) -> bool:
        """Asked before Home, Switch profile and closing the window: unsaved settings are saved,
        discarded or kept on screen, as the coordinator chooses."""
        return self._may_leave(self.tabs.currentWidget()) if self.tabs.count() else True

    def refresh(self) -> None:
        role = self.ctx.role
        self.hello.setText(_("Hello, {name}").format(name=self.ctx.profile.display_name))
        self.tabs.blockSignals(True)
        self.tabs.clear()
        self.tabs.addTab(self.progress, _("Dashboard"))
        if role == "coordinator":
            self.tabs.addTab(self.people, _("People"))
            self.tabs.addTab(self.certificates, _("Certificates"))
            self.tabs.addTab(self.school, _("School settings"))
            self.tabs.addTab(self._records_tab(), _("Records"))
        self.tabs.addTab(self.sign_off, _("Sign-off"))
        self.tabs.addTab(self._supervision_tab(), _("Check-ins"))
        self.tabs.addTab(self.problems, _("Content"))
        self._name_content_tab()
        self.tabs.blockSignals(False)
        self.tabs.setCurrentIndex(0)
        self._refresh_current()

    def _save_report(self) -> None:
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        start = str(Path.home() / "Documents" / "Peer helper programme report.pdf")
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Save the programme report"), start, "PDF (*.pdf)")
        if chosen:
            self.save_report(Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf"))

    def save_report(self, path) -> None:
        """Build and draw the report in the background; the note says where it went."""
        from app.ui.common.tasks import Operation

        reports = self.ctx.training.reports
        self.report_button.setEnabled(False)
        self.report_note.setText(_("Making the report…"))
        self.report_op = Operation(
            self,
            lambda work: reports.write_pdf(path, work),
            on_success=self._report_saved,
            on_failure=self._report_failed,
        ).run()

    def _report_saved(self, path) -> None:
        self.report_button.setEnabled(True)
        self.report_note.setText(_("Report saved: {name}").format(name=path.name))

    def _report_failed(self, exc: BaseException) -> None:
        self.report_button.setEnabled(True)
        self.report_note.setText(
            _("The report could not be made: {problem}").format(problem=getattr(exc, "message", None) or exc)
        )

    def _records_tab(self):
        if getattr(self, "records", None) is None:
            from app.ui.staff.records_tab import RecordsTab  # coordinators only: built on first need

            self.records = RecordsTab(self.ctx)
        return self.records

    def _supervision_tab(self):
        if getattr(self, "supervision", None) is None:
            from app.ui.staff.supervision_tab import SupervisionTab

            self.supervision = SupervisionTab(self.ctx)
        return self.supervision

    def show_problems(self) -> None:
        self.tabs.setCurrentWidget(self.problems)

    def _refresh_current(self) -> None:
        page = self.tabs.currentWidget()
        self._shown = page
        if page is not None and hasattr(page, "refresh"):
            page.refresh()

    def _name_content_tab(self) -> None:
        n = self.ctx.content.error_count if self.ctx.content else 0
        i = self.tabs.indexOf(self.problems)
        if i >= 0:
            self.tabs.setTabText(
                i, ngettext("Content ({n} error)", "Content ({n} errors)", n).format(n=n) if n else _("Content")
            )
