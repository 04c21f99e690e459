"""A knowledge-check question on a card: its prompt, the "choose every answer" hint for a
multiple-answer question, and one wrapping button per answer (radio buttons for one answer,
check boxes for several). Shared by the lesson's knowledge check and the refreshers."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractButton, QBoxLayout, QButtonGroup, QWidget

from app.core.i18n import _
from app.ui.common import widgets as w
from app.ui.common.text_fit import WrappingCheckBox, WrappingRadioButton


def add_question(
    layout: QBoxLayout, owner: QWidget, question, fill: Callable[[str], str]
) -> tuple[QButtonGroup, list[QAbstractButton]]:
    """Add the question's prompt and answers to `layout`; returns the button group (owned by
    `owner`) and the answer buttons in the question's order (button i has id i in the group)."""
    prompt = w.plain_label(fill(question.prompt))
    prompt.setObjectName("SectionTitle")
    prompt.setWordWrap(True)
    layout.addWidget(prompt)
    multiple = question.kind == "multiple"
    if multiple:
        layout.addWidget(w.muted(_("Choose every answer that is right.")))
    group = QButtonGroup(owner)
    group.setExclusive(not multiple)
    buttons: list[QAbstractButton] = []
    for i, opt in enumerate(question.options):
        text = fill(opt.text)
        # Wrapping buttons: a long answer at 200 % text stays whole instead of running off the card.
        b: QAbstractButton = WrappingCheckBox(text) if multiple else WrappingRadioButton(text)
        group.addButton(b, i)
        layout.addWidget(b)
        buttons.append(b)
    return group, buttons
