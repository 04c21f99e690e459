"""School settings: the name and the support contacts that lessons and role-plays show."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.modules.placeholders import KNOWN
from app.modules.school_settings import SCHOOL_FIELDS, validate

from . import widgets as w


class SchoolTab(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setSpacing(12)
        lay.addWidget(
            w.muted("Lessons and role-plays name your school's own people and contacts. Fill these in so "
                    "trainees know exactly who to go to. Empty fields use general wording, shown in grey.")
        )
        form = QFormLayout()
        form.setVerticalSpacing(4)
        self.fields: dict[str, QLineEdit] = {}
        self.previews: dict[str, QLabel] = {}
        for f in SCHOOL_FIELDS:
            edit = QLineEdit()
            edit.setAccessibleName(f.label)
            edit.setAccessibleDescription(f.help)
            edit.setMaxLength(f.max_length + 20)
            edit.textChanged.connect(self._preview)
            preview = w.muted("")
            form.addRow(f.label, edit)
            form.addRow("", preview)
            self.fields[f.key] = edit
            self.previews[f.key] = preview
        lay.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("ErrorBanner")
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        self.saved = w.muted("")
        save = w.button("Save settings", "primary")
        save.clicked.connect(self._save)
        lay.addLayout(w.row(self.saved, save, stretch_first=True))
        lay.addStretch(1)
        outer.addWidget(w.scroll(body))

    def refresh(self) -> None:
        for f in SCHOOL_FIELDS:
            edit = self.fields[f.key]
            edit.blockSignals(True)
            edit.setText(str(self.ctx.settings.get(f.key) or ""))
            edit.blockSignals(False)
        self.saved.setText("")
        self._preview()

    def _preview(self) -> None:
        for f in SCHOOL_FIELDS:
            value = self.fields[f.key].text().strip()
            fallback = KNOWN.get(f.key, (None, ""))[1] or (self.ctx.program.title if self.ctx.program else "")
            shown = value or f"(empty: “{fallback}”)"
            self.previews[f.key].setText(f"{f.help} Shows as: {shown}")

    def _save(self) -> None:
        from app.modules.records import settings_store

        values = {k: e.text().strip() for k, e in self.fields.items()}
        problems = validate(values)
        if problems:
            w.set_error(self.error, "\n".join(problems.values()))
            first = next(iter(problems))
            self.fields[first].setFocus()
            return
        w.set_error(self.error, "")
        for key, value in values.items():
            if (self.ctx.settings.get(key) or "") != value:
                settings_store.set_setting(self.ctx.db, key, value, actor_id=self.ctx.profile.id)
        self.ctx.reload_settings()
        self.saved.setText("Saved ✓")
