"""Text size and colours: a per-profile choice, applied live to every screen.

The Display button in the top bar opens `display_dialog.DisplayDialog` for everyone, signed in or not.
Ctrl + / Ctrl − / Ctrl 0 change the text size from anywhere. A signed-in person's choice is
saved in their profile's preferences ("text_scale", "theme") and comes back when they sign in;
the profile picker goes back to the normal size and the computer's own light or dark look, so
the next student on a shared laptop starts from the usual screen.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from app.ui.common import theme

SCALE_KEY, THEME_KEY = "text_scale", "theme"


class DisplayController(QObject):
    """Holds the chosen text size and theme, applies them, and keeps them in the profile."""

    def __init__(self, ctx, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.scale = theme.MIN_SCALE
        self.choice = theme.SYSTEM
        app = QApplication.instance()
        app.styleHints().colorSchemeChanged.connect(self._system_changed)

    # --- changing -------------------------------------------------------------------------
    def set(self, scale: float | None = None, choice: str | None = None, save: bool = True) -> None:
        if scale is not None:
            self.scale = theme.clamp_scale(scale)
        if choice is not None:
            self.choice = choice if choice in dict(theme.THEME_CHOICES) else theme.SYSTEM
        self.apply()
        if save and self.ctx.training is not None:
            self.ctx.save_preferences({SCALE_KEY: self.scale, THEME_KEY: self.choice})  # off the UI thread

    def apply(self, force: bool = False) -> None:
        wanted = (theme.resolve(self.choice), self.scale)
        if not force and not theme.applied() and wanted == theme.current():
            return  # a window built without the program's look (tests, tools) keeps Qt's own
        if force or wanted != theme.current():
            theme.apply(QApplication.instance(), self.scale, wanted[0])

    def step(self, direction: int) -> None:
        """One text size bigger (+1) or smaller (-1)."""
        sizes = theme.SCALES
        nearest = min(range(len(sizes)), key=lambda i: abs(sizes[i] - self.scale))
        self.set(scale=sizes[max(0, min(len(sizes) - 1, nearest + direction))])

    def normal_size(self) -> None:
        self.set(scale=theme.MIN_SCALE)

    # --- who is signed in -----------------------------------------------------------------
    def signed_in(self, profile) -> None:
        """Bring back this person's saved choice; with none saved, keep what is on screen."""
        prefs = self.ctx.preferences()  # with any choice still being written
        if SCALE_KEY in prefs or THEME_KEY in prefs:
            self.set(prefs.get(SCALE_KEY, self.scale), prefs.get(THEME_KEY, self.choice), save=False)

    def signed_out(self) -> None:
        self.set(theme.MIN_SCALE, theme.SYSTEM, save=False)

    def _system_changed(self, *_):
        window = self.parent()
        if self.choice == theme.SYSTEM and (window is None or window.isVisible()):
            self.apply()
