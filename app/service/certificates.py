"""Certificates: who is ready, issuing signed PDFs in a batch, the school's key."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.core.i18n import _
from app.core.work import NO_WORK, Work
from app.modules import certificate_batch, renewal
from app.modules.cohort import TraineeSummary
from app.modules.records import certificate_store
from app.modules.records.rights import Right

from .changes import CERTIFICATES, NOTHING, Changes
from .training import Part

FOLDER_KEY = "certificate.folder"  # where the last batch went, offered next time


class Certificates(Part):
    def cohort(self, language: str | None = None) -> list[TraineeSummary]:
        """Every active trainee with their readiness and certificate number, in roster order (module
        titles in `language` where program.yaml is translated into it)."""
        progress = self.training.progress
        return progress.summaries(progress.roster(), language)

    def ready_ids(self) -> list[str]:
        return [row.id for row in self.cohort() if row.ready]

    def issued(self) -> list[certificate_store.IssuedCertificate]:
        self.training.require(Right.VIEW_COHORT)
        return certificate_store.all_issued(self.db)

    def save_badge(self, trainee_id: str, path: Path) -> Path:
        """The Open Badges 3.0 credential of a trainee's certificate, saved as `path` (coordinators only)."""
        from app.modules.badges import save_badge_of
        from app.modules.certificates import CertificateError

        self.training.require(Right.ISSUE_CERTIFICATES)
        mine = [c for c in certificate_store.all_issued(self.db) if c.profile_id == trainee_id and c.payload]
        if not mine:
            raise CertificateError(
                _(
                    "This trainee has no certificate yet. "
                    "Issue the certificate first; the digital badge is made from it."
                )
            )
        key = certificate_batch.school_signing_key(self.training.locations)
        try:
            return save_badge_of(mine[0].payload, key, Path(path))
        except OSError as exc:
            raise CertificateError(
                _("The digital badge could not be saved as {path}: {reason}.").format(
                    path=path, reason=exc.strerror or exc
                )
            ) from exc

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

    def renewals(self) -> list[renewal.RenewalStatus]:
        """Every certified trainee's validity and what a renewal still needs, soonest to run out first."""
        self.training.require(Right.VIEW_COHORT)
        progress = self.training.progress
        return renewal.statuses(self.db, self.content, {e.id: e.name for e in progress.roster()})

    def renewal_of(self, trainee_id: str) -> renewal.RenewalStatus | None:
        """One trainee's validity and renewal needs; None when they have no certificate."""
        self.training.require(Right.VIEW_COHORT)
        names = self.training.progress.names({trainee_id})
        found = renewal.statuses(self.db, self.content, {trainee_id: names.get(trainee_id, "")})
        return found[0] if found else None

    def renew(
        self, trainee_ids: Sequence[str], out_dir: Path, work: Work = NO_WORK
    ) -> tuple[certificate_batch.BatchResult, Changes]:
        """A new certificate, with a new number and the school's validity, for each trainee whose
        renewal is complete; their old one is marked as superseded (coordinators only)."""
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
            renewing=True,
        )
        return result, CERTIFICATES if result.issued else NOTHING

    def record_of(self, number: str) -> certificate_store.IssuedCertificate | None:
        """What these records know of a certificate number (superseded, its validity), for a verifier."""
        self.training.require(Right.VIEW_COHORT)
        return certificate_store.by_number(self.db, number.strip()[:40])
