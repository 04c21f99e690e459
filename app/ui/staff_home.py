"""Home for trainers and coordinators: tabs for what their role may do."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from . import widgets as w
from .content_problems import ContentProblemsPanel
from .people_tab import PeopleTab
from .progress_tab import ProgressTab
from .school_tab import SchoolTab


class StaffHomePage(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 20, 28, 20)
        lay.setSpacing(12)
        self.hello = w.title("")
        lay.addWidget(self.hello)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Sections")
        self.tabs.setDocumentMode(True)
        lay.addWidget(self.tabs, 1)
        self.progress = ProgressTab(ctx)
        self.problems = ContentProblemsPanel(ctx)
        self.problems.reload_requested.connect(self._reload_content)
        self.people = PeopleTab(ctx)
        self.school = SchoolTab(ctx)
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())

    def refresh(self) -> None:
        role = self.ctx.role
        self.hello.setText(f"Hello, {self.ctx.profile.display_name}")
        self.tabs.blockSignals(True)
        self.tabs.clear()
        self.tabs.addTab(self.progress, "Trainees' progress")
        if role == "coordinator":
            self.tabs.addTab(self.people, "People")
            self.tabs.addTab(self.school, "School settings")
        n = self.ctx.content.error_count if self.ctx.content else 0
        self.tabs.addTab(self.problems, f"Content problems ({n})" if n else "Content problems")
        self.tabs.blockSignals(False)
        self.tabs.setCurrentIndex(0)
        self._refresh_current()

    def show_problems(self) -> None:
        self.tabs.setCurrentWidget(self.problems)

    def _refresh_current(self) -> None:
        page = self.tabs.currentWidget()
        if page is not None and hasattr(page, "refresh"):
            page.refresh()

    def _reload_content(self) -> None:
        self.ctx.load_content()
        n = self.ctx.content.error_count
        self.tabs.setTabText(self.tabs.indexOf(self.problems), f"Content problems ({n})" if n else "Content problems")
