"""CSV exports that open cleanly in a spreadsheet.

- competencies: one row per trainee and competency (the modules that train it, how many are
  complete, checks and role-plays passed in them, the trainer's sign-off, a status in words);
- attempts: one row per knowledge-check attempt, per role-play run and per refresher answer;
- after the certificate (export_after_certificate): support check-ins by month and kind, and the
  survey's averages, counts only and nobody's id, anything from fewer than 5 withheld.

Written as UTF-8 with a byte-order mark (so Excel reads accents), CRLF line ends, dates as
`YYYY-MM-DD HH:MM:SS` in UTC, numbers as plain numbers. Text that a spreadsheet would run as
a formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.private_files import make_private
from app.modules.competency import COMPLETE, IN_PROGRESS, NOT_STARTED, WAITING_SIGN_OFF, module_status

if TYPE_CHECKING:
    from app.modules.content import ContentSet
    from app.modules.records.database import Database

COMPETENCY_COLUMNS = [
    "trainee_id",
    "trainee",
    "group",
    "competency_id",
    "competency",
    "status",
    "modules_complete",
    "modules_total",
    "knowledge_checks_passed",
    "knowledge_checks_total",
    "role_plays_passed",
    "role_plays_total",
    "signed_off_on",
    "signed_off_by",
]
ATTEMPT_COLUMNS = [
    "attempt_id",
    "trainee_id",
    "trainee",
    "group",
    "kind",
    "module_id",
    "item_id",
    "item_title",
    "started_utc",
    "finished_utc",
    "status",
    "score_percent",
    "passed",
    "outcome",
    "content_hash",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Trainee:
    id: str
    name: str
    group: str | None


def trainees(db: Database, include_archived: bool = True) -> list[Trainee]:
    from app.modules.records import profile_store

    return [
        Trainee(p.id, p.display_name, p.group_name)
        for p in profile_store.list_profiles(db, include_archived=include_archived)
        if p.role == profile_store.TRAINEE
    ]


def cell(value: Any) -> Any:
    """One value as a spreadsheet should see it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def competency_rows(db: Database, content: ContentSet) -> Iterable[list[Any]]:
    from app.modules.records import profile_store, progress_store
    from app.modules.trainee_record import trainee_record

    program = content.program
    if program is None:
        return
    contents = content.all_module_contents()
    staff = {p.id: p.display_name for p in profile_store.list_profiles(db, include_archived=True)}
    for t in trainees(db):
        record = trainee_record(db, t.id)
        statuses = {m.id: module_status(program, m, contents[m.id], record) for m in program.modules}
        sign_offs = {
            s.competency_id: s
            for s in progress_store.sign_offs(db, t.id)
            if s.behaviours and all(s.behaviours.values())
        }
        for cid, competency in program.competencies.items():
            mods = [statuses[m.id] for m in program.modules if cid in m.competencies]
            signed = sign_offs.get(cid)
            yield [
                t.id,
                t.name,
                t.group,
                cid,
                competency.name,
                _status(mods, signed is not None),
                sum(m.complete for m in mods),
                len(mods),
                sum(m.checks_passed for m in mods),
                sum(m.checks_total for m in mods),
                sum(m.scenarios_passed for m in mods),
                sum(m.scenarios_total for m in mods),
                signed.observed_on if signed else None,
                staff.get(signed.trainer_id) if signed and signed.trainer_id else None,
            ]


def _status(mods: list, signed_off: bool) -> str:
    if not mods:
        return COMPLETE if signed_off else NOT_STARTED
    states = [m.state for m in mods]
    if all(s == COMPLETE for s in states):
        return COMPLETE
    if all(s in (COMPLETE, WAITING_SIGN_OFF) for s in states):
        return WAITING_SIGN_OFF
    if signed_off or any(s != NOT_STARTED for s in states):
        return IN_PROGRESS
    return NOT_STARTED


def attempt_rows(db: Database, content: ContentSet | None = None) -> Iterable[list[Any]]:
    from app.modules.records import progress_store

    for t in trainees(db):
        for q in sorted(progress_store.quiz_attempts(db, t.id), key=lambda a: a.started_at):
            lesson = content.lesson(q.module_id, q.lesson_id) if content else None
            yield [
                q.id,
                t.id,
                t.name,
                t.group,
                "knowledge check",
                q.module_id,
                q.lesson_id,
                getattr(lesson, "title", None),
                q.started_at,
                q.finished_at,
                "finished",
                round(q.score * 100, 1),
                q.passed,
                None,
                q.content_hash,
            ]
        for s in sorted(progress_store.scenario_attempts(db, t.id), key=lambda a: a.started_at):
            scenario = content.scenario(s.scenario_id) if content else None
            yield [
                s.id,
                t.id,
                t.name,
                t.group,
                "role-play",
                getattr(scenario, "module", None),
                s.scenario_id,
                getattr(scenario, "title", None),
                s.started_at,
                s.finished_at,
                s.status.replace("_", " "),
                None,
                s.passed,
                s.outcome,
                s.content_hash,
            ]


def refresher_rows(db: Database, content: ContentSet | None = None) -> Iterable[list[Any]]:
    """Certified helpers' refresher answers, one row per trainee and answer: kind "refresher" for a
    knowledge-check question asked again, "refresher_role_play" for a role-play moment (its item id
    names the scenario and node, module:scenario#node, as its card does)."""
    from app.modules.records import refresher_store

    titles: dict[str, str] = {}
    if content is not None and content.program is not None:
        from app.modules import refreshers

        titles = {i.key: i.lesson_title for i in refreshers.items(content)}
        titles.update({m.key: m.scenario_title for m in refreshers.moments(content)})
    for t in trainees(db):
        for r in refresher_store.reviews_of(db, t.id):
            module_id = r.item_key.split(":", 1)[0]
            kind = "refresher_role_play" if "#" in r.item_key else "refresher"
            row = [r.id, t.id, t.name, t.group, kind, module_id, r.item_key, titles.get(r.item_key), r.reviewed_at]
            yield row + [r.reviewed_at, "answered", 100.0 if r.correct else 0.0, r.correct, None, None]


WITHHELD = "fewer than 5"


def export_after_certificate(db: Database, dest_dir: Path, actor_id: str | None) -> list[Path]:
    """Support check-ins by month and kind, and the survey's averages: counts only, nobody's id,
    any count or average from fewer than 5 withheld (the staff's right to supervise is checked)."""
    from app.modules.records import checkin_store, evaluation_store

    dest_dir = Path(dest_dir)
    monthly = checkin_store.monthly_counts(db, actor_id)
    rows = [
        [month, kind, n if n >= 5 else WITHHELD]
        for month, kinds in monthly.items()
        for kind, n in sorted(kinds.items())
    ]
    checkins = dest_dir / "checkins_by_month.csv"
    write_csv(checkins, ["month", "kind", "check_ins"], rows)
    answers = evaluation_store.survey_results(db, actor_id)
    keys = sorted({k for r, _c in answers for k in r})
    survey_rows = []
    for key in keys:
        given = [r[key] for r, _c in answers if isinstance(r.get(key), int)]
        survey_rows.append([key, len(given), round(sum(given) / len(given), 2) if len(given) >= 5 else WITHHELD])
    survey = dest_dir / "survey_summary.csv"
    write_csv(survey, ["item", "answers", "average_1_to_5"], survey_rows)
    return [checkins, survey]


def write_csv(dest: Path, columns: list[str], rows: Iterable[list[Any]]) -> int:
    """Write a spreadsheet-friendly CSV whole (temp name, then rename); returns the data rows."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow([cell(v) for v in row])
        n += 1
    dest = Path(dest)
    partial = dest.with_name(dest.name + ".partial")
    with open(partial, "w", encoding="utf-8-sig", newline="") as out:
        out.write(buffer.getvalue())
    make_private(partial)  # records: this account only (issue 14)
    os.replace(partial, dest)
    return n


def export_competencies(db: Database, content: ContentSet, dest: Path) -> int:
    return write_csv(dest, COMPETENCY_COLUMNS, competency_rows(db, content))


def export_attempts(db: Database, dest: Path, content: ContentSet | None = None) -> int:
    from itertools import chain

    return write_csv(dest, ATTEMPT_COLUMNS, chain(attempt_rows(db, content), refresher_rows(db, content)))
