"""An empty state that says what to do next: a short title, a sentence, and optionally the button
that does it. Every screen uses it where a list or table has nothing to show yet, so an empty
screen never looks broken."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QPushButton, QVBoxLayout

from app.ui.common import widgets as w


class EmptyState(QFrame):
    def __init__(self, title: str, text: str, action: QPushButton | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("EmptyState")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 20)
        lay.setSpacing(8)
        self.title = w.Label(title)
        self.title.setObjectName("EmptyStateTitle")
        self.title.setWordWrap(True)
        self.text = w.Label(text)
        self.text.setObjectName("Muted")
        self.text.setWordWrap(True)
        lay.addWidget(self.title)
        lay.addWidget(self.text)
        if action is not None:
            lay.addWidget(action, 0, Qt.AlignmentFlag.AlignLeft)
        self.setAccessibleName(title)
        self.setAccessibleDescription(text)
