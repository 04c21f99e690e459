"""The Display dialog: text size and colours, applied the moment they are picked (display.py
keeps and stores the choice)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import LANGUAGE_NAMES, _
from app.ui.common import theme
from app.ui.common import widgets as w
from app.ui.common.display import DisplayController
from app.ui.common.text_fit import FittingDialog


def percent(scale: float) -> str:
    return _("{percent} %").format(percent=round(scale * 100))


class DisplayDialog(FittingDialog):
    """Text size and colours, applied to the whole program the moment they are picked."""

    def __init__(self, controller: DisplayController, parent: QWidget | None = None, language=None):
        super().__init__(parent)
        self.controller = controller
        self.language = language  # language.LanguageController: the Language choice, for whoever is signed in
        self.setWindowTitle(_("Display"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 20)
        lay.setSpacing(10)
        lay.addWidget(w.title(_("Display"), "SectionTitle"))

        lay.addWidget(self._heading(_("Text size")))
        self.sizes = QButtonGroup(self)
        size_row = QHBoxLayout()
        size_row.setSpacing(4)
        for i, scale in enumerate(theme.SCALES):
            b = QRadioButton(percent(scale))
            b.setAccessibleName(_("Text size {percent} percent").format(percent=round(scale * 100)))
            b.setChecked(abs(scale - controller.scale) < 0.01)
            self.sizes.addButton(b, i)
            size_row.addWidget(b)
        size_row.addStretch(1)
        lay.addLayout(size_row)
        self.sizes.idToggled.connect(self._size_picked)

        lay.addWidget(self._heading(_("Colours")))
        self.themes = QButtonGroup(self)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        for i, (value, label) in enumerate(theme.THEME_CHOICES):
            b = QRadioButton(_(label))
            b.setAccessibleName(_("Colours: {theme}").format(theme=_(label)))
            b.setChecked(value == controller.choice)
            self.themes.addButton(b, i)
            grid.addWidget(b, i // 2, i % 2)
        grid.setColumnStretch(2, 1)
        lay.addLayout(grid)
        self.themes.idToggled.connect(self._theme_picked)
        self.languages = self._language_choice(lay)

        profile = controller.ctx.profile
        keep = (
            _(
                "Changes show at once, on every screen. Anywhere in the program, Ctrl and + makes "
                "text bigger, Ctrl and − smaller, Ctrl and 0 normal. "
                "Saved for {name}: it comes back each time you sign in."
            ).format(name=profile.display_name)
            if profile is not None
            else _(
                "Changes show at once, on every screen. Anywhere in the program, Ctrl and + makes "
                "text bigger, Ctrl and − smaller, Ctrl and 0 normal. "
                "This lasts until someone signs in; each person's own choice comes back when they do."
            )
        )
        self.keep_note = w.muted(keep)
        lay.addWidget(self.keep_note)
        close = w.button(_("Done"), "primary")
        close.clicked.connect(self.accept)
        lay.addLayout(w.row(None, close))
        self.keep_note.setMinimumWidth(360)  # a comfortable width to wrap the note at; the radios set their own

    def _language_choice(self, lay: QVBoxLayout) -> QComboBox | None:
        """The signed-in person's language: the school's (the default) or one of their own."""
        if self.language is None or self.controller.ctx.profile is None:
            return None
        lay.addWidget(self._heading(_("Language")))
        box = QComboBox()
        box.setAccessibleName(_("Language"))
        default = LANGUAGE_NAMES[self.language.default_language()]
        box.addItem(_("The school's language ({language})").format(language=default), "")
        for code, name in LANGUAGE_NAMES.items():
            box.addItem(name, code)  # each language by its own name, as someone looking for it reads it
        box.setCurrentIndex(max(0, box.findData(self.language.profile_choice or "")))
        box.currentIndexChanged.connect(lambda index: self.language.choose(box.itemData(index) or None))
        lay.addWidget(box, 0, Qt.AlignmentFlag.AlignLeft)
        return box

    @staticmethod
    def _heading(text: str) -> QLabel:
        label = w.Label(text)
        label.setObjectName("EmptyStateTitle")
        return label

    def _size_picked(self, index: int, checked: bool) -> None:
        if checked:
            self.controller.set(scale=theme.SCALES[index])
            self.setMinimumHeight(0)
            self.adjustSize()
            self._fit()

    def _theme_picked(self, index: int, checked: bool) -> None:
        if checked:
            self.controller.set(choice=theme.THEME_CHOICES[index][0])

    def keyPressEvent(self, event):  # Qt's name
        # Return on a radio button picks it rather than closing the dialog.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(self.focusWidget(), QRadioButton):
            self.focusWidget().setChecked(True)
            return
        super().keyPressEvent(event)
