"""A short guided tour on a trainee's first start: home, lessons, read-aloud, role-plays.

Shown once per profile, over the trainee's home, after their first sign-in; finishing or
skipping it stores the profile preference "tour_done", so it never comes back by itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.core.i18n import N_, _
from app.ui.common import widgets as w
from app.ui.common.text_fit import FittingDialog

TOUR_DONE = "tour_done"

STEPS = [
    (
        N_("Welcome, {name}!"),
        N_(
            "This is your home. Your training is split into modules: start with the first one in the list on "
            "the left and work down. The blue box at the top always tells you what to do next."
        ),
    ),
    (
        N_("Lessons and knowledge checks"),
        N_(
            "Each module has short lessons. Press “Read” to open one and scroll to the end: then it counts as "
            "read. Many lessons finish with a few questions to check what you learned. You can try again as "
            "often as you like."
        ),
    ),
    (
        N_("Read aloud and Display"),
        N_(
            "In a lesson, press “Read aloud” (or Ctrl and R) and the lesson is read to you, one sentence at a "
            "time. “Display”, at the top of the window, makes the text bigger or changes the colours."
        ),
    ),
    (
        N_("Role-plays"),
        N_(
            "Role-plays are practice conversations. Another student talks to you and you choose how to reply. "
            "After each choice you see why it helps or not, and you can always play again. Nothing you choose "
            "is about your own life."
        ),
    ),
]


def needs_tour(ctx) -> bool:
    if ctx.training is None or ctx.training.role != "trainee":
        return False
    return not ctx.preferences().get(TOUR_DONE)


def start_if_new(ctx, parent: QWidget) -> GuidedTour | None:
    """Open the tour (without blocking) if this trainee has not seen it yet."""
    if not needs_tour(ctx):
        return None
    tour = GuidedTour(ctx, parent)
    tour.open()
    return tour


class GuidedTour(FittingDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.profile_id = ctx.profile.id if ctx.profile is not None else None
        self.index = 0
        self.setWindowTitle(_("A quick tour"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 24, 28, 22)
        lay.setSpacing(12)
        self.counter = w.Label()
        self.counter.setObjectName("TourStep")
        lay.addWidget(self.counter)
        self.heading = w.title("", "PageTitle")
        lay.addWidget(self.heading)
        self.text = w.Label()
        self.text.setWordWrap(True)
        self.text.setMinimumWidth(420)
        lay.addWidget(self.text)
        lay.addStretch(1)
        self.skip = w.button(_("Skip the tour"), "link", tip=_("Close the tour; it will not come back"))
        self.skip.clicked.connect(self.finish)
        self.back = w.button(_("← Back"))
        self.back.setAccessibleName(_("Back"))
        self.back.clicked.connect(lambda: self.show_step(self.index - 1))
        self.next = w.button(_("Next →"), "primary")
        self.next.setAccessibleName(_("Next"))
        self.next.clicked.connect(self._next)
        lay.addLayout(w.row(self.skip, None, self.back, self.next))
        self.finished.connect(lambda _result: self._remember())
        self.resize(560, 320)
        self.show_step(0)

    def show_step(self, index: int) -> None:
        self.index = max(0, min(len(STEPS) - 1, index))
        head, body = STEPS[self.index]
        name = self.ctx.profile.display_name if self.ctx.profile is not None else ""
        self.counter.setText(_("Step {n} of {total}").format(n=self.index + 1, total=len(STEPS)))
        self.heading.setText(_(head).format(name=name))
        self.heading.setAccessibleName(self.heading.text())
        self.text.setText(_(body))
        self.back.setEnabled(self.index > 0)
        last = self.index == len(STEPS) - 1
        self.next.setText(_("Let’s start") if last else _("Next →"))
        self.next.setAccessibleName(_("Finish the tour") if last else _("Next"))
        self.setAccessibleDescription(
            _("{step}. {heading}. {text}").format(step=self.counter.text(), heading=self.heading.text(), text=_(body))
        )
        self.next.setFocus()

    def _next(self) -> None:
        if self.index == len(STEPS) - 1:
            self.finish()
        else:
            self.show_step(self.index + 1)

    def finish(self) -> None:
        self.accept()

    def _remember(self) -> None:
        """Finished, skipped or closed with Escape: the tour has been offered; do not offer it again."""
        training = self.ctx.training
        if training is not None and training.actor.id == self.profile_id:
            self.ctx.save_preferences({TOUR_DONE: True})  # off the UI thread
