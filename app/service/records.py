"""Records that leave or replace this laptop's: exports, bundles, backups, restore, erasure.

The long ones take a `Work` (progress and cancel). Exports read every trainee's records, so
they need the right to see the cohort; merging, restoring and erasing are checked again in the
domain, in their own transactions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.core.setting_keys import SCHOOL_NAME_KEY
from app.core.work import NO_WORK, Work
from app.modules.records import backups
from app.modules.records.rights import Right

from .changes import EVERYTHING, PROGRESS, Changes
from .training import Part

if TYPE_CHECKING:
    from app.modules.exchange.bundle import BundleInfo
    from app.modules.exchange.merge import MergeResult
    from app.modules.exchange.trust import TrustCheck
    from app.modules.records.erasure import ErasureResult


def _progress(work: Work):
    return lambda done, total: work.step(done, total)


class Records(Part):
    @property
    def school(self) -> str:
        return str(self.training.settings.get(SCHOOL_NAME_KEY, "") or "")

    # --- exports (reads) ----------------------------------------------------------------
    def export_csv(self, folder: Path) -> tuple[int, int]:
        from app.modules.exchange import csv_export

        self.training.require(Right.EXCHANGE_RECORDS)
        n1 = csv_export.export_competencies(self.db, self.content, folder / "competencies.csv")
        n2 = csv_export.export_attempts(self.db, folder / "attempts.csv", self.content)
        # After the certificate: check-ins and survey answers in aggregate only (under 5 withheld).
        csv_export.export_after_certificate(self.db, folder, self.actor.id)
        return n1, n2

    def export_xapi(self, dest: Path) -> int:
        from app.modules.exchange import xapi

        self.training.require(Right.EXCHANGE_RECORDS)
        return xapi.export_statements(self.db, dest, self.content)

    def export_family_record(self, profile_id: str, dest: Path) -> Path:
        from app.modules.exchange import family_record

        self.training.require(Right.EXCHANGE_RECORDS)
        return family_record.export_family_record(self.db, profile_id, dest, self.content, self.school)

    # --- bundles ------------------------------------------------------------------------
    def bundle_name(self) -> str:
        from app.modules.exchange.bundle import default_name

        return default_name(self.school, self.db.device_id)

    def export_bundle(self, dest: Path, work: Work = NO_WORK) -> BundleInfo:
        from app.modules.exchange.bundle import export_bundle

        self.training.require(Right.EXCHANGE_RECORDS)
        return export_bundle(self.db, dest, self.school, _progress(work), lambda: work.cancelled)

    def check_bundle(self, source: Path) -> tuple[BundleInfo, TrustCheck]:
        """Verify a bundle's signature and who sent it, before anything is unpacked or written.

        Refused at once: this laptop's own file, or another school's that cannot be joined; the
        window then shows the sender's fingerprint and asks.
        """
        from app.modules.exchange import trust
        from app.modules.exchange.bundle import verify_bundle

        self.training.require(Right.EXCHANGE_RECORDS)
        info = verify_bundle(source)
        check = trust.check(self.db, info)
        problem = trust.refusal(info, check, info.fingerprint, join_school=True)
        if problem:
            raise trust.NotTrusted(problem)
        return info, check

    def import_bundle(
        self,
        bundle: BundleInfo | Path,
        work: Work = NO_WORK,
        *,
        trust_fingerprint: str | None = None,
        join_school: bool = False,
    ) -> tuple[MergeResult, Changes]:
        """Merge a bundle; an unpaired sender is paired (in the same transaction) only when the
        coordinator confirmed its fingerprint."""
        from app.modules.exchange.merge import import_bundle

        result = import_bundle(
            self.db,
            bundle,
            self.actor.id,
            _progress(work),
            lambda: work.cancelled,
            trust_fingerprint=trust_fingerprint,
            join_school=join_school,
        )
        return result, EVERYTHING

    def this_laptop(self) -> tuple[str, int]:
        """This laptop's fingerprint, and how many laptops it is paired with."""
        from app.modules.exchange import trust

        return trust.this_laptop_fingerprint(self.db), len(trust.paired_laptops(self.db))

    # --- backups ------------------------------------------------------------------------
    def backups(self) -> list[backups.BackupInfo]:
        return backups.list_backups(self.training.locations.backups_dir)

    def back_up(self) -> backups.BackupInfo:
        return backups.back_up(self.training.locations)

    def restore(self, chosen: backups.BackupInfo | Path) -> tuple[backups.RestoreResult, Changes]:
        """Replace the records with a backup. The session ends: its database is closed."""
        self.training.require(Right.CHANGE_SETTINGS)  # a coordinator's decision
        return backups.restore(self.training.locations, chosen, self.db), EVERYTHING

    # --- erasure ------------------------------------------------------------------------
    def erase_trainee(self, profile_id: str, typed_name: str) -> tuple[ErasureResult, Changes]:
        from app.modules.records.erasure import erase_trainee

        return erase_trainee(self.db, profile_id, self.actor.id, typed_name), PROGRESS

    def finish_erasure(self) -> bool:
        """Rewrite the file once other readers stopped, so no freed page keeps an erased name."""
        from app.modules.records.erasure import finish_erasure

        return finish_erasure(self.db, self.actor.id)
