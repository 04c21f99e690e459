"""Certificates: who is ready, issuing signed PDFs in a batch, the school's key."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.core.work import NO_WORK, Work
from app.modules import certificate_batch
from app.modules.cohort import TraineeSummary
from app.modules.records import certificate_store
from app.modules.records.rights import Right

from .changes import CERTIFICATES, NOTHING, Changes
from .training import Part

FOLDER_KEY = "certificate.folder"  # where the last batch went, offered next time


class Certificates(Part):
    def cohort(self) -> list[TraineeSummary]:
        """Every active trainee with their readiness and certificate number, in roster order."""
        progress = self.training.progress
        return progress.summaries(progress.roster())

    def ready_ids(self) -> list[str]:
        return [row.id for row in self.cohort() if row.ready]

    def issued(self) -> list[certificate_store.IssuedCertificate]:
        self.training.require(Right.VIEW_COHORT)
        return certificate_store.all_issued(self.db)

    def issue(
        self, trainee_ids: Sequence[str], out_dir: Path, work: Work = NO_WORK, badges: bool = False
    ) -> tuple[certificate_batch.BatchResult, Changes]:
        """One PDF per ready trainee in `out_dir` (coordinators only; checked as each is recorded)."""
        self.training.require(Right.ISSUE_CERTIFICATES)
        settings = self.training.settings.all()
        result = certificate_batch.issue(
            self.db,
            self.training.locations,
            self.content,
            settings,
            trainee_ids,
            out_dir,
            self.actor.id,
            work=work,
            badges=badges,
        )
        changes = CERTIFICATES if result.issued else NOTHING
        if str(out_dir) != settings.get(FOLDER_KEY):
            changes = changes | self.training.settings.set(FOLDER_KEY, str(out_dir))
        return result, changes
