"""Evaluation on the trainee's home: the confidence question before the first module, and the
feedback survey once certified, each answered in a dialog.

Set PEER_TRAINER_SHOTS=<folder> to save the screens.
"""

from __future__ import annotations

from test_refreshers_ui import _big_shot, _helper, _shot
from waiting import settled


def test_a_trainee_rates_confidence_and_a_helper_gives_feedback(qtbot, locations, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from app.ui.trainee.evaluation_dialogs import ConfidenceDialog, SurveyDialog

    win, _helper_profile = _helper(qtbot, locations)  # certified, nothing started
    home = win.stack.currentWidget()
    assert not home.evaluation_strip.isHidden()
    assert "Before you start" in home.evaluation_text.text() and "Feedback" in home.evaluation_text.text()
    opened = []
    monkeypatch.setattr(QDialog, "exec", lambda self: opened.append(self) or 0)
    home.confidence_button.click()
    dialog = opened[-1]
    assert isinstance(dialog, ConfidenceDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.save_button.isEnabled()
    for group in dialog.groups.values():
        group.button(3).setChecked(True)
    _shot(dialog, "evaluation-confidence")
    _big_shot(qtbot, dialog, "evaluation-confidence-200-percent")
    dialog.save_button.click()
    settled(qtbot)  # saved off the UI thread
    assert win.ctx.training.evaluation.moment_due() == "after"

    home.survey_button.click()
    survey = opened[-1]
    assert isinstance(survey, SurveyDialog)
    qtbot.addWidget(survey)
    survey.show()
    for group in survey.groups.values():
        group.button(4).setChecked(True)
    survey.comment.setPlainText("More role-plays about friends online.")
    _shot(survey, "evaluation-survey")
    survey.save_button.click()
    settled(qtbot)
    assert not win.ctx.training.evaluation.survey_due()
    home.refresh()
    assert home.survey_button.isHidden()
    _shot(win, "evaluation-home")
