"""The programme report for school leadership: what the training did, in figures a head teacher
can read, with every figure about fewer than MIN_GROUP people withheld (small groups identify
people). Pure data here; report_pdf.py draws it.

Sections, in order: trainees trained; competency confidence; knowledge checks and role-plays by
module; refreshers; support check-ins; feedback survey; certificates and renewals. A section
with nothing to show says "Nothing yet", never fails.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from app.core.i18n import N_, _, ngettext

MIN_GROUP = 5
NOTHING_YET = N_("Nothing yet.")  # translated with _() where it is added
WITHHELD = N_("fewer than 5")  # translated with _() where it is used
# The kinds of support check-in (ids in the records), as the report names them.
CHECKIN_CHART_TITLES = {
    "listening": N_("Check-ins by month: listening"),
    "conflict": N_("Check-ins by month: conflict"),
    "referral": N_("Check-ins by month: referral"),
}
CHECKIN_WITHHELD = {
    "listening": N_("Listening: fewer than 5 a month."),
    "conflict": N_("Conflict: fewer than 5 a month."),
    "referral": N_("Referral: fewer than 5 a month."),
}


@dataclass(slots=True)
class Chart:
    title: str
    labels: list[str]
    values: list[float]  # one bar each; None is never used: withheld bars are left out
    unit: str = ""  # "%" or ""
    note: str = ""  # what was left out, and why


@dataclass(slots=True)
class Section:
    title: str
    lines: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.lines and not self.charts


@dataclass(slots=True)
class Report:
    school: str
    made_on: date
    sections: list[Section]


def figure(n: int, people: int | None = None) -> str:
    """`n`, or "fewer than 5" when it is about fewer than MIN_GROUP people."""
    return _(WITHHELD) if (people if people is not None else n) < MIN_GROUP else str(n)


def percent(part: int, whole: int) -> str:
    if whole < MIN_GROUP:
        return _("withheld (fewer than 5 people)")
    return _("{percent}%").format(percent=round(100 * part / whole))


def trainees_section(summaries: list, minutes_by_trainee: dict[str, float]) -> Section:
    s = Section(_("Trainees trained"))
    n = len(summaries)
    if not n:
        return s
    started = sum(any(m.started for m in t.readiness.modules) for t in summaries)
    complete = sum(t.ready for t in summaries)
    s.lines.append(_("Trainees: {n}. Started the training: {started}.").format(n=figure(n), started=figure(started)))
    s.lines.append(
        _("Completed every module: {n} ({percent} of trainees).").format(
            n=figure(complete), percent=percent(complete, n)
        )
    )
    timed = [minutes_by_trainee[t.id] for t in summaries if minutes_by_trainee.get(t.id)]
    if len(timed) >= MIN_GROUP:
        timed.sort()
        median = timed[len(timed) // 2]
        s.lines.append(
            _("Time spent in knowledge checks and role-plays: {total} in all, {median} for the middle trainee.").format(
                total=_duration(sum(timed)), median=_duration(median)
            )
        )
    else:
        s.lines.append(_("Time spent: withheld (fewer than 5 trainees have timed work yet)."))
    return s


def _duration(minutes: float) -> str:
    if minutes < 1:
        return _("under a minute")
    if minutes < 90:
        n = round(minutes)
        return ngettext("{n} minute", "{n} minutes", n).format(n=n)
    n = round(minutes / 60)
    return ngettext("{n} hour", "{n} hours", n).format(n=n)


def modules_section(program, summaries: list) -> Section:
    s = Section(_("Knowledge checks and role-plays by module"))
    if not summaries or program is None:
        return s
    checks_labels, checks_values, plays_labels, plays_values, left_out = [], [], [], [], []
    for i, module in enumerate(program.modules):
        statuses = [t.readiness.modules[i] for t in summaries if i < len(t.readiness.modules)]
        tried_checks = [m for m in statuses if m.checks_total and m.started]
        tried_plays = [m for m in statuses if m.scenarios_total and m.started]
        short = module.title if len(module.title) <= 28 else module.title[:27] + "…"
        if len(tried_checks) >= MIN_GROUP:
            passed = sum(m.checks_passed >= m.checks_needed for m in tried_checks)
            checks_labels.append(short)
            checks_values.append(round(100 * passed / len(tried_checks)))
        elif tried_checks:
            left_out.append(module.title)
        if len(tried_plays) >= MIN_GROUP:
            passed = sum(m.scenarios_passed >= m.scenarios_needed for m in tried_plays)
            plays_labels.append(short)
            plays_values.append(round(100 * passed / len(tried_plays)))
    note = (
        _("Withheld, fewer than 5 trainees started them: {modules}.").format(modules=", ".join(left_out))
        if left_out
        else ""
    )
    if checks_labels:
        s.charts.append(
            Chart(
                _("Knowledge checks passed, of trainees who started the module"),
                checks_labels,
                checks_values,
                "%",
                note,
            )
        )
    if plays_labels:
        s.charts.append(
            Chart(_("Role-plays passed, of trainees who started the module"), plays_labels, plays_values, "%")
        )
    if not s.charts and left_out:
        s.lines.append(note)
    return s


def confidence_section(before: dict[str, list[int]], after: dict[str, list[int]], names: dict[str, str]) -> Section:
    """Average confidence per competency (1 to 5) before the first module and after the certificate."""
    s = Section(_("Confidence before and after"))
    labels, values = [], []
    for cid, name in names.items():
        b, a = before.get(cid, []), after.get(cid, [])
        if len(b) >= MIN_GROUP and len(a) >= MIN_GROUP:
            labels += [_("{name}: before").format(name=name), _("{name}: after").format(name=name)]
            values += [round(sum(b) / len(b), 1), round(sum(a) / len(a), 1)]
    if labels:
        s.charts.append(Chart(_("Average confidence, 1 (not at all) to 5 (very)"), labels, values))
    elif before or after:
        s.lines.append(_("Withheld: fewer than 5 trainees rated their confidence both before and after."))
    return s


def refreshers_section(reviews: list[tuple[str, datetime, bool]]) -> Section:
    """(helper id, when, right) for every refresher answer."""
    s = Section(_("Refreshers after the certificate"))
    if not reviews:
        return s
    helpers = {pid for pid, _at, _ok in reviews}
    if len(helpers) < MIN_GROUP:
        s.lines.append(_("Withheld: fewer than 5 helpers have answered refresher questions."))
        return s
    right = sum(ok for _pid, _at, ok in reviews)
    s.lines.append(
        ngettext(
            "{helpers} certified helpers answered {n} refresher question; {percent} of answers were right.",
            "{helpers} certified helpers answered {n} refresher questions; {percent} of answers were right.",
            len(reviews),
        ).format(
            helpers=len(helpers),
            n=len(reviews),
            percent=_("{percent}%").format(percent=round(100 * right / len(reviews))),
        )
    )
    by_month: dict[str, set] = {}
    counts: Counter = Counter()
    for pid, at, _ok in reviews:
        month = at.strftime("%Y-%m")
        by_month.setdefault(month, set()).add(pid)
        counts[month] += 1
    months = [m for m in sorted(by_month) if len(by_month[m]) >= MIN_GROUP]
    if months:
        s.charts.append(Chart(_("Refresher answers by month"), months, [counts[m] for m in months]))
    return s


def checkins_section(monthly: dict[str, dict[str, int]], helpers: int) -> Section:
    """Check-ins by kind and month: counts of entries; withheld below 5 (entries or helpers)."""
    s = Section(_("Support check-ins"))
    if not monthly:
        return s
    total = sum(sum(k.values()) for k in monthly.values())
    if helpers and helpers < MIN_GROUP:
        s.lines.append(_("Withheld: fewer than 5 helpers have logged check-ins."))
        return s
    s.lines.append(
        ngettext(
            "{n} check-in logged by certified helpers (counts only: nobody helped is ever named).",
            "{n} check-ins logged by certified helpers (counts only: nobody helped is ever named).",
            total,
        ).format(n=total)
    )
    for kind in ("listening", "conflict", "referral"):
        months = [m for m in monthly if monthly[m].get(kind, 0) >= MIN_GROUP]
        hidden = [m for m in monthly if 0 < monthly[m].get(kind, 0) < MIN_GROUP]
        if months:
            note = _("Months with fewer than 5 are left out.") if hidden else ""
            s.charts.append(Chart(_(CHECKIN_CHART_TITLES[kind]), months, [monthly[m][kind] for m in months], "", note))
        elif hidden:
            s.lines.append(_(CHECKIN_WITHHELD[kind]))
    return s


def survey_section(answers: list[tuple[dict[str, int], str]], items: dict[str, str], held: int = 0) -> Section:
    """Anonymous end-of-course answers: averages per item and the comments, only from 5 answers.
    `held`: how many answers exist when `answers` was withheld (fewer than 5)."""
    s = Section(_("End-of-course feedback"))
    if not answers:
        if held:
            s.lines.append(_("Withheld: fewer than 5 answers so far."))
        return s
    if len(answers) < MIN_GROUP:
        s.lines.append(_("Withheld: fewer than 5 answers so far."))
        return s
    s.lines.append(ngettext("{n} anonymous answer.", "{n} anonymous answers.", len(answers)).format(n=len(answers)))
    for key, text in items.items():
        given = [r[key] for r, _c in answers if isinstance(r.get(key), int)]
        if len(given) >= MIN_GROUP:
            s.lines.append(
                _("{statement}: {average} out of 5.").format(statement=text, average=f"{sum(given) / len(given):.1f}")
            )
    comments = [c.strip() for _r, c in answers if c and c.strip()]
    if comments:
        s.lines.append(_("What would you change?"))
        s.lines += [f"“{c}”" for c in comments[:20]]
    return s


def anonymise(comment: str, names: list[str]) -> str:
    """The comment with any person's name in these records (whole words, any case) replaced."""
    import re

    full = {" ".join(n.split()) for n in names if n.strip()}
    parts = {p for n in full for p in n.split() if len(p) >= 3}
    for word in sorted(full, key=len, reverse=True) + sorted(parts - full, key=len, reverse=True):
        pattern = r"\s+".join(re.escape(w) for w in word.split())
        comment = re.sub(rf"(?<!\w){pattern}(?!\w)", _("[a name]"), comment, flags=re.IGNORECASE)
    return comment


def certificates_section(issued: int, renewals: list) -> Section:
    s = Section(_("Certificates and renewals"))
    if not issued:
        return s
    s.lines.append(_("Certificates held: {n}.").format(n=figure(issued)))
    due = sum(r.due for r in renewals)
    if renewals and any(r.valid_until for r in renewals):
        if due:
            s.lines.append(_("Due for renewal or run out: {n}.").format(n=figure(due, len(renewals))))
        else:
            s.lines.append(_("Due for renewal or run out: none."))
    else:
        s.lines.append(_("Certificates are valid with no time limit."))
    return s


def nothing_yet(sections: list[Section]) -> list[Section]:
    for s in sections:
        if s.empty:
            s.lines.append(_(NOTHING_YET))
    return sections


def recognition_names(entries: list[tuple[str, str | None, bool, date]], mode: str) -> list[tuple[str, str]]:
    """(name, "since <month year>") for the printable list: certified helpers who agreed, when the
    school turned the list on. `entries`: (name, class, agreed, certified on) of current holders."""
    if mode != "consented":
        return []
    from .certificates import MONTHS

    listed = [
        (name, _("since {month} {year}").format(month=_(MONTHS[on.month - 1]), year=on.year))
        for name, _group, agreed, on in entries
        if agreed
    ]
    return sorted(listed, key=lambda t: t[0].casefold())
