"""Refreshers for certified helpers: the programme's knowledge-check questions and short
role-play moments, asked again on an FSRS schedule (records/refresher_store.py) so that what was
learnt for the certificate stays.

Grading happens here, not in the window: the helper's chosen options are checked against the
question, or the chosen reply against the scenario's own scores, so a caller can only say what
was chosen, never whether it was right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from app.core.i18n import _, ngettext

from .lessons import Question
from .records import refresher_store
from .records.refresher_store import DueItem, KeepingUp, RefresherError, ReviewResult
from .scenario.engine import Line
from .scenario.model import ADD, Choice, Node, Scenario

if TYPE_CHECKING:
    from .content import ContentSet
    from .records.database import Database

QUEUE_LIMIT = 10  # a few minutes: about ten questions and moments at a sitting
MAX_CHOICES = 50  # more chosen options than any question has is not an answer


@dataclass(frozen=True, slots=True)
class RefresherItem:
    key: str
    module_id: str
    lesson_id: str
    lesson_title: str
    question: Question


def item_key(module_id: str, lesson_id: str, index: int) -> str:
    return f"{module_id}:{lesson_id}:{index}"


def items(content: ContentSet, language: str | None = None) -> list[RefresherItem]:
    """Every knowledge-check question of the programme, in the programme's order.

    With a `language`, each question is worded as in its lesson's translation into it where there is a
    usable one (else the source's); the keys are the same in every language, since a translation keeps
    its source's questions and options in order (X310, X311), so the schedule and grading do not change.
    """
    out = []
    for module_id in content.program.module_ids if content.program else []:
        for lesson in content.module_lessons(module_id, language):
            for q in lesson.questions:
                out.append(
                    RefresherItem(item_key(module_id, lesson.id, q.index), module_id, lesson.id, lesson.title, q)
                )
    return out


def due(
    db: Database,
    content: ContentSet,
    profile_id: str,
    now: datetime | None = None,
    limit: int | None = QUEUE_LIMIT,
    language: str | None = None,
) -> list[tuple[RefresherItem | Moment, DueItem]]:
    """The helper's refresher queue: due questions and moments, in FSRS order, at most `limit` (worded in `language`
    where their lessons are translated into it)."""
    by_key = {i.key: i for i in steps(content, language)}
    queue = refresher_store.queue(db, profile_id, list(by_key), now=now, limit=limit)
    return [(by_key[d.item_key], d) for d in queue]


def due_count(db: Database, content: ContentSet, profile_id: str, now: datetime | None = None) -> int:
    return len(refresher_store.queue(db, profile_id, [i.key for i in steps(content)], now=now))


def answer(
    db: Database,
    content: ContentSet,
    actor_id: str | None,
    profile_id: str,
    key: str,
    chosen: Iterable[int],
    now: datetime | None = None,
) -> ReviewResult:
    """Grade the chosen options (or, for a role-play moment, the one reply chosen) and record the
    review on the helper's schedule."""
    if isinstance(key, str) and is_moment_key(key):
        return _answer_moment(db, content, actor_id, profile_id, key, chosen, now)
    item = next((i for i in items(content) if i.key == key), None)
    if item is None:
        raise RefresherError(_("This question is no longer in the programme. Go on to the next one."))
    picked = set()
    for n, c in enumerate(chosen):
        if n >= MAX_CHOICES or not isinstance(c, int) or isinstance(c, bool):
            raise RefresherError(_("Choose one of the answers shown."))
        if not 0 <= c < len(item.question.options):
            raise RefresherError(_("Choose one of the answers shown."))
        picked.add(c)
    if not picked:
        raise RefresherError(_("Choose an answer first."))
    return refresher_store.review(db, actor_id, profile_id, key, item.question.is_correct(picked), now=now)


def _answer_moment(
    db: Database,
    content: ContentSet,
    actor_id: str | None,
    profile_id: str,
    key: str,
    chosen: Iterable[int],
    now: datetime | None,
) -> ReviewResult:
    moment = next((m for m in moments(content) if m.key == key), None)
    if moment is None:
        raise RefresherError(_("This role-play moment is no longer in the programme. Go on to the next one."))
    picked = []
    for n, c in enumerate(chosen):
        if n >= 1 or not isinstance(c, int) or isinstance(c, bool) or not 0 <= c < len(moment.choices):
            raise RefresherError(_("Choose one of the replies shown."))
        picked.append(c)
    if not picked:
        raise RefresherError(_("Choose a reply first."))
    return refresher_store.review(db, actor_id, profile_id, key, picked[0] in moment.best, now=now)


def keeping_up(
    db: Database, content: ContentSet, profile_ids: Iterable[str], now: datetime | None = None
) -> dict[str, KeepingUp]:
    return refresher_store.keeping_up(db, profile_ids, [i.key for i in steps(content)], now=now)


# Role-play moments ---------------------------------------------------------------------------
# One decision point from a shipped scenario: what was said just before (the context), the peer's
# line, the choices, and each choice's feedback. "Good" is the scenario's own judgement: a choice
# whose effects on the scenario's competency scores add up to the most of any choice at that node.
# Only nodes whose choices differ in that score are picked, so there is always a better and a
# worse answer, and none is invented here.

MOMENTS_PER_SCENARIO = 3  # the opening when it qualifies, then the moments whose choices differ most
MOMENT_EVERY = 3  # in the queue's order for new steps: two questions, then a moment


@dataclass(frozen=True, slots=True)
class Moment:
    key: str
    module_id: str
    scenario_id: str
    scenario_title: str
    node_id: str
    summary: str | None
    content_warning: str | None
    before: tuple[Line, ...]  # the line(s) that led here (empty at the scenario's opening)
    reply: str | None  # what was said to lead here (None at the opening)
    lines: tuple[Line, ...]  # the node's own narration and lines
    choices: tuple[Choice, ...]
    scores: tuple[int, ...]  # per choice: the sum of its effects on the scenario's competencies

    @property
    def best(self) -> frozenset[int]:
        top = max(self.scores)
        return frozenset(i for i, s in enumerate(self.scores) if s == top)


def moment_key(module_id: str, scenario_id: str, node_id: str) -> str:
    """module:scenario#node: the module first, as a question's key, and '#' never in a lesson's key."""
    return f"{module_id}:{scenario_id}#{node_id}"


def is_moment_key(key: str) -> bool:
    return "#" in key


def _lines(scenario: Scenario, node: Node) -> tuple[Line, ...]:
    """The node's unconditional text, speakers named as the role-play names them."""
    out = []
    for block in node.text:
        if block.condition is not None:
            continue
        if block.speaker is None:
            out.append(Line(None, None, block.text))
            continue
        found = Line(None, block.speaker, block.text)
        key = block.speaker.casefold()
        for cid, c in scenario.characters.items():
            if key in (cid.casefold(), c.name.casefold()):
                found = Line(cid, c.name, block.text, c.voice)
                break
        out.append(found)
    return tuple(out)


def _choice_scores(scenario: Scenario, node: Node) -> tuple[int, ...] | None:
    """Each choice's effect on the competency scores; None if a score is set rather than added."""
    competencies = set(scenario.competencies)
    scores = []
    for c in node.choices:
        total = 0
        for e in c.effects:
            if e.name not in competencies:
                continue  # a story variable (trust...), not a judgement of the choice
            if e.op != ADD or isinstance(e.value, bool):
                return None
            total += int(e.value)
        scores.append(total)
    return tuple(scores)


def _led_here(scenario: Scenario, node_id: str) -> tuple[Node, Choice] | None:
    """The first unconditional choice, in the file's order, that leads to the node."""
    for n in scenario.nodes.values():
        if n.ending:
            continue
        for c in n.choices:
            if c.target == node_id and c.condition is None:
                return n, c
    return None


def scenario_moments(scenario: Scenario, module_id: str) -> list[Moment]:
    """The scenario's best decision points for a refresher, at most MOMENTS_PER_SCENARIO."""
    found: list[tuple[int, int, Moment]] = []
    for order, node in enumerate(scenario.nodes.values()):
        if node.ending or len(node.choices) < 2 or any(c.condition is not None for c in node.choices):
            continue
        scores = _choice_scores(scenario, node)
        if scores is None or max(scores) == min(scores):
            continue
        lines = _lines(scenario, node)
        if not any(line.speaker_name for line in lines):
            continue  # a moment answers someone: a node of narration only is not one
        before: tuple[Line, ...] = ()
        reply = None
        if node.id != scenario.start:
            led = _led_here(scenario, node.id)
            if led is None:
                continue
            before, reply = _lines(scenario, led[0]), led[1].text
        key = moment_key(module_id, scenario.id, node.id)
        if len(key) > refresher_store.ITEM_KEY_MAX:
            continue
        moment = Moment(
            key,
            module_id,
            scenario.id,
            scenario.title,
            node.id,
            scenario.summary,
            scenario.content_warning,
            before,
            reply,
            lines,
            tuple(node.choices),
            scores,
        )
        opening = node.id == scenario.start
        found.append((0 if opening else 1, -(max(scores) - min(scores)), order, moment))
    found.sort(key=lambda t: t[:3])
    picked = found[:MOMENTS_PER_SCENARIO]
    picked.sort(key=lambda t: t[2])  # shown in the story's order
    return [t[3] for t in picked]


def moments(content: ContentSet, language: str | None = None) -> list[Moment]:
    """Role-play moments from every published module scenario, in the programme's order (worded in
    `language` where the role-play is translated: same nodes and choices, so the same keys)."""
    out = []
    for module_id in content.program.module_ids if content.program else []:
        for scenario in content.module_scenarios(module_id, language):
            out.extend(scenario_moments(scenario, module_id))
    return out


def steps(content: ContentSet, language: str | None = None) -> list[RefresherItem | Moment]:
    """Questions and moments mixed, as new steps join a helper's queue: two questions, then a moment."""
    questions, plays = items(content, language), moments(content, language)
    out: list[RefresherItem | Moment] = []
    q = m = 0
    while q < len(questions) or m < len(plays):
        take_moment = (len(out) % MOMENT_EVERY == MOMENT_EVERY - 1 and m < len(plays)) or q >= len(questions)
        if take_moment:
            out.append(plays[m])
            m += 1
        else:
            out.append(questions[q])
            q += 1
    return out


def keeping_up_text(k: KeepingUp) -> str:
    """A sentence for the coordinator about one helper's refreshers."""
    if not k.certified:
        return _("Refreshers start once they have their certificate.")
    n, due = k.reviewed_recently, k.due_now
    if not n:
        if not due:
            return _("Refreshers: none answered in the last four weeks, nothing due now.")
        return _("Refreshers: none answered in the last four weeks, {due} due now.").format(due=due)
    if not due:
        return ngettext(
            "Refreshers: {n} question answered in the last four weeks, nothing due now.",
            "Refreshers: {n} questions answered in the last four weeks, nothing due now.",
            n,
        ).format(n=n)
    return ngettext(
        "Refreshers: {n} question answered in the last four weeks, {due} due now.",
        "Refreshers: {n} questions answered in the last four weeks, {due} due now.",
        n,
    ).format(n=n, due=due)
