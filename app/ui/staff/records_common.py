"""What the Records panels share: the confirmation dialog, rich-text escaping, the trainee lists."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from app.core.i18n import _
from app.ui.common import widgets as w


class Confirm(QDialog):
    def __init__(self, parent: QWidget, title: str, lines: list[str], action: str, danger: bool = False):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        lay = QVBoxLayout(self)
        lay.setSpacing(10)
        lay.addWidget(w.title(title, "SectionTitle"))
        for line in lines:
            label = w.Label(line)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            lay.addWidget(label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setProperty("role", "danger" if danger else "primary")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)


def fill_trainees(combo: QComboBox, trainees) -> None:
    """Every trainee as "Name (group)", keeping the one chosen before when it is still there."""
    keep = combo.currentData()
    combo.clear()
    for p in trainees:
        shown = (
            _("{name} ({group})").format(name=p.display_name, group=p.group_name) if p.group_name else p.display_name
        )
        combo.addItem(shown, p.id)
    if keep is not None and combo.findData(keep) >= 0:
        combo.setCurrentIndex(combo.findData(keep))


def esc(text) -> str:
    """Text from the records or from another laptop's file, shown inside rich text: never markup."""
    import html

    return html.escape(str(text))
