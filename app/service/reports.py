"""The programme report for school leadership (report.py gathers, report_pdf.py draws)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.core import i18n
from app.core.i18n import _
from app.core.work import NO_WORK, Work
from app.modules import report as r
from app.modules.records import certificate_store, checkin_store, cohort_store, refresher_store
from app.modules.records import evaluation_store as store
from app.modules.records.rights import Right

from .training import Part


class Reports(Part):
    def build(self, work: Work = NO_WORK, language: str | None = None) -> r.Report:
        """Every section of the report, from these records (staff who may see the cohort). Module titles
        and competency names are in `language`, else the school's language, where program.yaml has a
        translation into it."""
        from app.modules.translations import school_language

        self.training.require(Right.VIEW_COHORT)
        language = language or school_language(self.training.settings.all())
        progress = self.training.progress
        roster = progress.roster()
        work.step(1, 5, _("Reading everyone's progress"))
        summaries = progress.summaries(roster, language)
        ids = [e.id for e in roster]
        minutes = cohort_store.minutes_spent(self.db, ids)
        program = self.content.program.in_language(language) if self.content.program is not None else None
        work.step(2, 5, _("Refreshers and check-ins"))
        reviews = refresher_store.all_reviews(self.db)
        monthly, helpers = {}, 0
        if self.training.can(Right.SUPERVISE):
            monthly = checkin_store.monthly_counts(self.db, self.actor.id)
            helpers = checkin_store.helpers_logging(self.db, self.actor.id)
        work.step(3, 5, _("Certificates"))
        current = certificate_store.current(self.db, ids)
        renewals = self.training.certificates.renewals()
        names = dict(program.competencies.items()) if program else {}
        from .evaluation import SURVEY_ITEMS

        evaluation = self.training.evaluation
        rated = evaluation.confidence()
        everyone = [p.display_name for p in self.training.people.list(include_archived=True)]
        answers = [(ratings, r.anonymise(comment, everyone)) for ratings, comment in evaluation.survey_results()]
        sections = [
            r.trainees_section(summaries, minutes),
            r.confidence_section(rated["before"], rated["after"], {cid: c.name for cid, c in names.items()}),
            r.modules_section(program, summaries),
            r.refreshers_section(reviews),
            r.checkins_section(monthly, helpers),
            r.survey_section(answers, SURVEY_ITEMS, store.survey_count(self.db)),
            r.certificates_section(len(current), renewals),
        ]
        school = str(self.training.settings.get("school.name") or "")
        work.step(4, 5, _("Putting the report together"))
        return r.Report(school, date.today(), r.nothing_yet(sections))

    def school_language(self) -> str | None:
        """The report and the list of helpers are in the school's language (its setting), whoever makes them."""
        from app.modules.school_settings import LANGUAGE_KEY

        return str(self.training.settings.get(LANGUAGE_KEY) or "") or None

    def write_pdf(self, out: Path, work: Work = NO_WORK, language: str | None = None) -> Path:
        from app.modules.report_pdf import write_report

        language = language or self.school_language()
        with i18n.speaking(language):
            report = self.build(work, language)
            path = write_report(report, Path(out))
        work.step(5, 5, _("Done"))
        return path

    def recognition(self) -> list[tuple[str, str]]:
        """The names for the printable list of helpers, per the school's setting and their consent."""
        from app.modules.records import preference_store
        from app.modules.school_settings import RECOGNITION_CONSENT, RECOGNITION_KEY

        self.training.require(Right.VIEW_COHORT)
        roster = self.training.progress.roster()
        current = certificate_store.current(self.db, [e.id for e in roster])
        entries = []
        for e in roster:
            if e.id in current:
                agreed = bool(preference_store.get_preferences(self.db, e.id).get(RECOGNITION_CONSENT))
                entries.append((e.name, e.group, agreed, current[e.id].first_issued_at.date()))
        return r.recognition_names(entries, str(self.training.settings.get(RECOGNITION_KEY) or "off"))

    def recognition_pdf(self, out: Path) -> Path:
        from app.modules.report_pdf import write_recognition

        school = str(self.training.settings.get("school.name") or "")
        with i18n.speaking(self.school_language()):
            return write_recognition(school, self.recognition(), Path(out))
