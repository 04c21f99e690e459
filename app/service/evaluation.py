"""Evaluation: confidence self-ratings and the anonymous end-of-course survey."""

from __future__ import annotations

from app.core.i18n import N_
from app.core.labels import Labels
from app.modules.records import evaluation_store as store

from .changes import NOTHING, PROGRESS, Changes
from .training import Part

SURVEY_ITEMS = Labels(
    {
        "useful": N_("The training was useful"),
        "ready": N_("I feel ready to support a friend"),
        "realistic": N_("The role-plays felt like real life"),
        "recommend": N_("I would recommend the training to a friend"),
    }
)


class Evaluation(Part):
    def competencies(self, language: str | None = None) -> dict[str, str]:
        """Competency id -> name (in `language` where program.yaml is translated into it)."""
        program = self.content.program
        if program is None:
            return {}
        return {cid: c.name for cid, c in program.in_language(language).competencies.items()}

    def moment_due(self) -> str | None:
        """The confidence moment the signed-in trainee should be asked now, if any: "before" until
        they rate it, "after" once certified, "renewal" once renewed."""
        if self.actor.role != "trainee":
            return None
        from app.modules.records import certificate_store

        done = store.own_moments(self.db, self.actor.id)
        if "before" not in done and not self._started():
            return "before"  # only before the first module: later it would measure nothing
        current = certificate_store.current(self.db, [self.actor.id]).get(self.actor.id)
        if current is not None and "after" not in done:
            return "after"
        if current is not None and "renewal" not in done and certificate_store.renewed(self.db, self.actor.id):
            return "renewal"
        return None

    def _started(self) -> bool:
        return self.training.progress.has_started()

    def rate_confidence(self, moment: str, ratings: dict[str, int]) -> tuple[int, Changes]:
        n = store.rate_confidence(self.db, self.actor.id, moment, ratings, set(self.competencies()))
        return n, PROGRESS

    def survey_due(self) -> bool:
        from app.modules.records import certificate_store

        if self.actor.role != "trainee" or store.has_answered(self.db, self.actor.id):
            return False
        return bool(certificate_store.current(self.db, [self.actor.id]))

    def answer_survey(self, ratings: dict[str, int], comment: str | None) -> Changes:
        store.answer_survey(self.db, self.actor.id, ratings, comment, set(SURVEY_ITEMS))
        return NOTHING  # no view shows single answers

    def survey_results(self) -> list[tuple[dict[str, int], str]]:
        return store.survey_results(self.db, self.actor.id)

    def confidence(self) -> dict[str, dict[str, list[int]]]:
        return store.confidence(self.db, self.actor.id)
