"""Adding a whole class at once: from a pasted list of names, or from a roster (a CSV file).

A name given more than once in one group is that many people, not a mistake: they are added with
the notes "1 of 2", "2 of 2", which tell them apart until someone writes better ones, and the
result says so. Importing the same roster again changes nothing: people already here are
matched by name, group and note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.core.i18n import _, ngettext

from .models import COORDINATOR, TRAINEE, Profile
from .profile_store import (
    AccountError,
    add_profile,
    clean_group,
    clean_name,
    clean_note,
    duplicate_message,
    name_key,
    require_role,
    summary,
    taken_names,
)
from .profile_summary import ProfileSummary

if TYPE_CHECKING:
    from .database import Database

BULK_MAX_NAMES = 500


@dataclass(slots=True)
class BulkResult:
    created: list[ProfileSummary] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line number, name, reason)
    # Names given more than once, added as that many people with notes to tell them apart: for the user.
    same_names: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One person of a class list (a CSV roster): its line in the file, name, group and note."""

    line: int
    name: str
    group: str | None
    note: str | None = None


@dataclass(slots=True)
class RosterResult:
    """What importing a roster did (or, in a dry run, would do). Nothing is written when `problems`."""

    to_add: list[RosterRow] = field(default_factory=list)  # with the notes they are given
    created: list[ProfileSummary] = field(default_factory=list)
    already_here: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    same_names: list[str] = field(default_factory=list)  # for the user: two people, one name, one group


def create_trainees_from_text(
    db: Database, text: str, group: str | None, actor_id: str | None, dry_run: bool = False
) -> BulkResult:
    """Trainees from pasted names, one a line: blank lines are skipped, names trimmed.

    Lines that cannot be used (invalid, or a name already in the group) are reported with their
    line number and the rest are created. A name given on several lines is that many people, added
    with the notes "1 of 2", "2 of 2" to tell them apart (told in `same_names`). `dry_run` only reports.
    """
    group = clean_group(group)
    lines = text.splitlines()
    if sum(1 for line in lines if line.strip()) > BULK_MAX_NAMES:
        raise AccountError(_("Paste at most {n} names at once.").format(n=BULK_MAX_NAMES))
    result = BulkResult()
    with db.session() as session:
        require_role(session, actor_id, (COORDINATOR,))
        taken = taken_names(session, group)
        names_here = {name for name, _note in taken}
        usable: list[tuple[int, str]] = []
        for line_no, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            shown = " ".join(raw.split())
            try:
                name = clean_name(raw)
            except AccountError as exc:
                result.problems.append((line_no, shown, exc.message))
                continue
            if name_key(name) in names_here:
                result.problems.append((line_no, name, duplicate_message(name, group)))
                continue
            usable.append((line_no, name))
        lines_of: dict[str, list[int]] = {}
        for line_no, name in usable:
            lines_of.setdefault(name_key(name), []).append(line_no)
        for line_no, name in usable:
            same = lines_of[name_key(name)]
            note = count_note(same.index(line_no) + 1, len(same)) if len(same) > 1 else None
            if len(same) > 1 and line_no == same[0]:
                notes = [count_note(i, len(same)) for i in range(1, len(same) + 1)]
                result.same_names.append(_same_name_message(name, group, same, notes))
            if not dry_run:
                made = add_profile(session, name, TRAINEE, group, None, actor_id, name_checked=True, note=note)
                result.created.append(summary(made))
    return result


def count_note(number: int, count: int) -> str:
    """The note given to the `number`th of `count` people with one name in one group (fits NOTE_MAX)."""
    return _("{number} of {count}").format(number=number, count=count)


def _same_name_message(name: str, group: str | None, lines: list[int], notes: list[str]) -> str:
    """Told after the fact: two people of one name in one group were added, with notes to tell them apart."""
    return ngettext(
        "Lines {lines} have the same name in {group} ({name}): they are taken as different people, so "
        "{n} was added with the note {notes}. Change it to something that tells them apart "
        "(People tab \u2192 Change\u2026).",
        "Lines {lines} have the same name in {group} ({name}): they are taken as different people, so "
        "{n} were added with the notes {notes}. Change them to something that tells them apart "
        "(People tab \u2192 Change\u2026).",
        len(notes),
    ).format(
        lines=", ".join(map(str, lines)),
        group=group or _("no class"),
        name=name,
        n=len(notes),
        notes=", ".join(f"\u201c{note}\u201d" for note in notes),
    )


def import_roster(db: Database, rows: list[RosterRow], actor_id: str | None, dry_run: bool = False) -> RosterResult:
    """Trainees from a class list, matched by name, group and note: importing it again changes nothing.

    Rows with a note are matched by it. Rows without one are counted: a name given twice in one group
    is two people, and only as many are added as are not here yet (the later rows). When that makes
    two people of one name in one group, the new ones get the notes "1 of 2", "2 of 2" (told in
    `same_names`). Nothing is written when any row has a problem, nor in a dry run.
    """
    result = RosterResult()
    clean: list[RosterRow] = []
    for row in rows:
        try:
            clean.append(RosterRow(row.line, clean_name(row.name), clean_group(row.group), clean_note(row.note)))
        except AccountError as exc:
            result.problems.append((row.line, exc.message))
    with db.session() as session:
        require_role(session, actor_id, (COORDINATOR,))
        here: dict[tuple[str, str], list[str]] = {}  # (name, group) -> note keys of the active profiles
        query = select(Profile.display_name, Profile.group_name, Profile.note).where(Profile.archived.is_(False))
        for name, group, note in session.execute(query):
            here.setdefault((name_key(name), name_key(group or "")), []).append(name_key(note or ""))
        unclaimed = {key: list(notes) for key, notes in here.items()}
        noted_lines: dict[tuple[str, str, str], int] = {}
        plain: dict[tuple[str, str], list[RosterRow]] = {}
        for row in clean:
            key = (name_key(row.name), name_key(row.group or ""))
            if row.note is None:
                plain.setdefault(key, []).append(row)
                continue
            full = (*key, name_key(row.note))
            if full in noted_lines:
                result.problems.append(
                    (
                        row.line,
                        _("{name} ({group}) with the note \u201c{note}\u201d is also on line {line}.").format(
                            name=row.name, group=row.group or _("no class"), note=row.note, line=noted_lines[full]
                        ),
                    )
                )
                continue
            noted_lines[full] = row.line
            if full[2] in unclaimed.get(key, []):
                unclaimed[key].remove(full[2])
                result.already_here += 1
            else:
                result.to_add.append(row)
        for key, group_rows in plain.items():
            present = len(unclaimed.get(key, []))
            result.already_here += min(present, len(group_rows))
            new = group_rows[present:]
            if not new:
                continue
            if len(group_rows) == 1 and "" not in here.get(key, []):
                result.to_add.append(new[0])
                continue
            notes_taken = set(here.get(key, [])) | {full[2] for full in noted_lines if full[:2] == key}
            given = []
            for row in new:
                note = count_note(group_rows.index(row) + 1, len(group_rows))
                if name_key(note) in notes_taken:
                    result.problems.append((row.line, duplicate_message(row.name, row.group, note)))
                    continue
                notes_taken.add(name_key(note))
                given.append(note)
                result.to_add.append(RosterRow(row.line, row.name, row.group, note))
            lines = [r.line for r in group_rows]
            if given:
                result.same_names.append(_same_name_message(new[0].name, new[0].group, lines, given))
        result.to_add.sort(key=lambda r: r.line)
        if result.problems or dry_run:
            return result
        for row in result.to_add:
            made = add_profile(session, row.name, TRAINEE, row.group, None, actor_id, note=row.note)
            result.created.append(summary(made))
    return result
