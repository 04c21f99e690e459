"""Item statistics from real attempts, for trainers (after Moodle's quiz statistics report).

- Knowledge checks, per question: the **facility** (the share of first attempts that got it
  right), the **discrimination** (how well the question agrees with the rest of its check: the
  correlation between being right on this question and the share right on the others, from -1 to
  1; Moodle's discrimination index) and how often each option was chosen.
- Role-plays, per decision point: how often each choice was taken.

Only each trainee's first attempt counts (a second try has seen the feedback). A figure from fewer
than MIN_ATTEMPTS_SHOWN attempts is hidden (None): too few to keep trainees anonymous and too few
to mean anything. Nothing here names a trainee.

Files change. An attempt at the file as it is now (the same content hash) counts in full. An
attempt at an earlier version counts only for the questions whose prompt is still the same and the
role-play choices whose text is still the same, so an edited question or choice starts its figures
afresh while the rest keep theirs. Pure Python, no Qt.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field

from .assessment_thresholds import MIN_ATTEMPTS_SHOWN


@dataclass(slots=True)
class OptionCount:
    text: str
    correct: bool
    count: int | None  # None: hidden (too few attempts)
    share: float | None


@dataclass(slots=True)
class QuestionStats:
    number: int  # 1-based
    prompt: str
    kind: str
    attempts: int  # first attempts that answered this question (as it is written now)
    facility: float | None
    discrimination: float | None
    options: list[OptionCount]

    @property
    def shown(self) -> bool:
        return self.attempts >= MIN_ATTEMPTS_SHOWN


@dataclass(slots=True)
class CheckStats:
    module_id: str
    lesson_id: str
    path: str
    attempts: int  # trainees' first attempts
    questions: list[QuestionStats] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.attempts >= MIN_ATTEMPTS_SHOWN


@dataclass(slots=True)
class ChoiceShare:
    index: int  # in its node, 0-based
    text: str
    target: str
    count: int | None  # None: hidden
    share: float | None


@dataclass(slots=True)
class DecisionStats:
    node_id: str
    attempts: int  # first attempts that chose here (each counted once, at its first visit)
    choices: list[ChoiceShare]

    @property
    def shown(self) -> bool:
        return self.attempts >= MIN_ATTEMPTS_SHOWN


@dataclass(slots=True)
class RolePlayStats:
    scenario_id: str
    path: str
    attempts: int
    decisions: list[DecisionStats] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.attempts >= MIN_ATTEMPTS_SHOWN

    def edge_shares(self) -> dict[tuple[str, int], float]:
        """(node id, choice index) -> share, for the decision points that may be shown (the map)."""
        return {
            (d.node_id, c.index): c.share
            for d in self.decisions
            if d.shown and self.shown
            for c in d.choices
            if c.share is not None
        }


# --- knowledge checks -------------------------------------------------------------------------


def _chosen(q, given) -> set[int]:
    """The option indexes an answer gave (true or false answers are stored as a bool)."""
    if q.kind == "true_false":
        if isinstance(given, bool):
            return {0 if given else 1}
        return set()
    if isinstance(given, list):
        return {g for g in given if isinstance(g, int) and not isinstance(g, bool) and 0 <= g < len(q.options)}
    if isinstance(given, int) and not isinstance(given, bool) and 0 <= given < len(q.options):
        return {given}
    return set()


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 0 or syy <= 0:
        return None  # everyone right (or wrong) on one side: no spread to compare
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def check_stats(attempts, lesson) -> CheckStats:
    """The statistics of one lesson's check from its first attempts (records.item_store)."""
    # Which stored answers belong to which current question: the same index, and (for an attempt at
    # an earlier version of the file) the same prompt.
    rows: list[dict[int, tuple[set[int], bool]]] = []
    for a in attempts:
        row = {}
        current = a.content_hash == lesson.content_hash
        for q in lesson.questions:
            got = a.answers.get(q.index)
            if got is not None and (current or len(got) < 3 or got[2] == q.prompt):
                row[q.index] = (_chosen(q, got[0]), bool(got[1]))
        rows.append(row)
    out = CheckStats(lesson.module_id, lesson.id, lesson.shown, len(attempts))
    for q in lesson.questions:
        answered = [r for r in rows if q.index in r]
        n = len(answered)
        show = n >= MIN_ATTEMPTS_SHOWN and out.shown
        counts = [0] * len(q.options)
        for r in answered:
            for i in r[q.index][0]:
                counts[i] += 1
        facility = sum(r[q.index][1] for r in answered) / n if show else None
        discrimination = None
        if show:
            xs, ys = [], []
            for r in answered:
                others = [ok for i, (_, ok) in r.items() if i != q.index]
                if others:
                    xs.append(float(r[q.index][1]))
                    ys.append(sum(others) / len(others))
            discrimination = _correlation(xs, ys)
        options = [
            OptionCount(o.text, o.correct, counts[i] if show else None, counts[i] / n if show else None)
            for i, o in enumerate(q.options)
        ]
        out.questions.append(QuestionStats(q.index + 1, q.prompt, q.kind, n, facility, discrimination, options))
    return out


# --- role-plays -------------------------------------------------------------------------------


def _same(a: str | None, b: str) -> bool:
    return a is None or " ".join(a.split()) == " ".join(b.split())


def role_play_stats(attempts, scenario) -> RolePlayStats:
    """Choice shares at every decision point (two choices or more) from the first attempts."""
    out = RolePlayStats(scenario.id, scenario.shown, len(attempts))
    counts: dict[str, list[int]] = {
        nid: [0] * len(node.choices) for nid, node in scenario.nodes.items() if len(node.choices) >= 2
    }
    for a in attempts:
        seen: set[str] = set()
        current = a.content_hash == scenario.content_hash
        for step in a.steps:
            nid, index = step[0], step[1]
            text = step[2] if len(step) > 2 else None
            if nid in seen or nid not in counts:
                continue
            seen.add(nid)
            choices = scenario.nodes[nid].choices
            if 0 <= index < len(choices) and (current or _same(text, choices[index].text)):
                counts[nid][index] += 1
    for nid, per_choice in counts.items():
        n = sum(per_choice)
        show = n >= MIN_ATTEMPTS_SHOWN and out.shown
        choices = [
            ChoiceShare(i, ch.text, ch.target, per_choice[i] if show else None, per_choice[i] / n if show else None)
            for i, ch in enumerate(scenario.nodes[nid].choices)
        ]
        out.decisions.append(DecisionStats(nid, n, choices))
    return out


# --- from the records -------------------------------------------------------------------------


def lesson_statistics(db, lesson) -> CheckStats:
    from .records.item_store import first_quiz_attempts

    return check_stats(first_quiz_attempts(db, lesson.module_id, lesson.id), lesson)


def scenario_statistics(db, scenario) -> RolePlayStats:
    from .records.item_store import first_role_plays

    return role_play_stats(first_role_plays(db, scenario.id), scenario)


# --- CSV --------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "kind",
    "file",
    "assessment",
    "first_attempts",
    "item",
    "item_text",
    "item_attempts",
    "facility",
    "discrimination",
    "option",
    "option_text",
    "correct",
    "count",
    "share",
    "note",
)
HIDDEN_NOTE = f"hidden: fewer than {MIN_ATTEMPTS_SHOWN} first attempts"


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:.3f}"


def csv_rows(checks: list[CheckStats], role_plays: list[RolePlayStats]) -> list[dict]:
    rows = []
    for c in checks:
        for q in c.questions:
            for i, o in enumerate(q.options, 1):
                rows.append(
                    {
                        "kind": "knowledge_check",
                        "file": c.path,
                        "assessment": c.lesson_id,
                        "first_attempts": c.attempts,
                        "item": q.number,
                        "item_text": q.prompt,
                        "item_attempts": q.attempts,
                        "facility": _num(q.facility),
                        "discrimination": _num(q.discrimination),
                        "option": i,
                        "option_text": o.text,
                        "correct": "yes" if o.correct else "no",
                        "count": "" if o.count is None else o.count,
                        "share": _num(o.share),
                        "note": "" if q.shown and c.shown else HIDDEN_NOTE,
                    }
                )
    for r in role_plays:
        for d in r.decisions:
            for ch in d.choices:
                rows.append(
                    {
                        "kind": "scenario",
                        "file": r.path,
                        "assessment": r.scenario_id,
                        "first_attempts": r.attempts,
                        "item": d.node_id,
                        "item_text": "",
                        "item_attempts": d.attempts,
                        "facility": "",
                        "discrimination": "",
                        "option": ch.index + 1,
                        "option_text": ch.text,
                        "correct": "",
                        "count": "" if ch.count is None else ch.count,
                        "share": _num(ch.share),
                        "note": "" if d.shown and r.shown else HIDDEN_NOTE,
                    }
                )
    return rows


def to_csv(checks: list[CheckStats], role_plays: list[RolePlayStats]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in csv_rows(checks, role_plays):
        # A spreadsheet runs a cell that starts with = + - @ as a formula: keep texts as text.
        for key in ("item_text", "option_text", "file", "assessment", "item"):
            value = str(row[key])
            if value[:1] in ("=", "+", "-", "@"):
                row[key] = "'" + value
        writer.writerow(row)
    return buf.getvalue()


def content_statistics(db, content) -> tuple[list[CheckStats], list[RolePlayStats]]:
    """Every knowledge check and role-play of a loaded content folder."""
    checks = [
        lesson_statistics(db, lesson)
        for lessons in content.lessons.values()
        for lesson in lessons
        if lesson.questions and not lesson.has_errors
    ]
    plays = [scenario_statistics(db, sc) for sc in content.scenarios if not sc.has_errors]
    return checks, plays
