"""Surface strategies against a knowledge check: readers who answer from the look of the options.

- `longest`: a single answer takes the longest option; several answers take every option longer
  than the average of the question's options; true or false answers "false" when the statement
  has an absolute word (always, never, every, only, all, nothing) and "true" otherwise.
- `first`: the first option (for several answers, the first option alone; for true or false, "true").
- `random`: the exact chance of passing when each question is answered at random: one option of
  n for a single answer, one non-empty set of options of the 2^n - 1 for several, one of two for
  true or false.

A check passes as the trainee's does (records/progress_store.record_quiz_attempt): the share of
questions right is at least the pass mark.
"""

from __future__ import annotations

import re

from app.core.i18n import N_, _

from .assessment_thresholds import ABSOLUTE_WORDS

STRATEGIES = ("longest", "first")
_ABSOLUTE = re.compile(r"\b(" + "|".join(ABSOLUTE_WORDS) + r")\b", re.IGNORECASE)


def has_absolute_word(text: str) -> bool:
    return _ABSOLUTE.search(text) is not None


def answer_longest(q) -> frozenset[int]:
    if q.kind == "true_false":
        says_false = has_absolute_word(q.prompt)
        return frozenset({1 if says_false else 0})  # options are (True, False)
    lengths = [len(o.text) for o in q.options]
    if q.kind == "multiple":
        mean = sum(lengths) / len(lengths)
        return frozenset(i for i, n in enumerate(lengths) if n > mean)
    return frozenset({lengths.index(max(lengths))})


def answer_first(q) -> frozenset[int]:
    return frozenset({0})


ANSWERS = {"longest": answer_longest, "first": answer_first}


def passes(right: int, total: int, pass_mark: float) -> bool:
    """The trainee's rule: the share right, at least the pass mark (a percentage)."""
    return total > 0 and right / total + 1e-9 >= pass_mark / 100


def strategy_passes(questions, pass_mark: float) -> dict[str, bool]:
    out = {}
    for name in STRATEGIES:
        pick = ANSWERS[name]
        right = sum(q.is_correct(pick(q)) for q in questions)
        out[name] = passes(right, len(questions), pass_mark)
    return out


def guess_chance(q) -> float:
    n = len(q.options)
    if q.kind == "multiple":
        return 1 / (2**n - 1)
    return 1 / n


def random_pass_rate(questions, pass_mark: float) -> float:
    """The exact chance that answering every question at random passes."""
    total = len(questions)
    if not total:
        return 0.0
    dist = [1.0]  # dist[k]: the chance of k right so far
    for q in questions:
        p = guess_chance(q)
        nxt = [0.0] * (len(dist) + 1)
        for k, v in enumerate(dist):
            nxt[k] += v * (1 - p)
            nxt[k + 1] += v * p
        dist = nxt
    return min(1.0, sum(v for k, v in enumerate(dist) if passes(k, total, pass_mark)))


# --- give-away warnings (L016-L020), found while a lesson loads --------------------------------

GIVE_AWAY_CODES = ("L016", "L017", "L018", "L019", "L020")
_ABOVE = re.compile(r"\b(all|none|both)\s+(of\s+)?(the\s+)?(above|these)\b", re.IGNORECASE)
# What a trainee passing without reading does, one whole finding per strategy (or both) that passes.
_STRATEGY_FINDINGS = {
    ("longest",): N_(
        "a trainee who answers with the longest option (and 'false' to any 'always' or 'never') passes this "
        "knowledge check without reading it (pass mark {mark} %)"
    ),
    ("first",): N_(
        "a trainee who always answers with the first option passes this knowledge check without reading it "
        "(pass mark {mark} %)"
    ),
    ("longest", "first"): N_(
        "a trainee who answers with the longest option (and 'false' to any 'always' or 'never') or always "
        "answers with the first option passes this knowledge check without reading it (pass mark {mark} %)"
    ),
}


def give_away_findings(questions, located, shown: str, pass_mark: float) -> list:
    """L016-L020 for a lesson's questions; `located` gives the positions in the front matter."""
    from .assessment_thresholds import LONGEST_IS_BEST_MIN_POINTS, LONGEST_IS_BEST_SHARE, MAX_TRUE_FALSE_SHARE
    from .findings import WARNING, Finding

    if not questions:
        return []
    out: list[Finding] = []
    at_key = located.where(("questions",), key=True)

    def add(where, code, message, hint):
        out.append(Finding(shown, where[0], where[1], WARNING, code, message, hint))

    single = [q for q in questions if q.kind == "single"]
    longest = sum(q.is_correct(answer_longest(q)) for q in single)
    if len(single) >= LONGEST_IS_BEST_MIN_POINTS and longest / len(single) >= LONGEST_IS_BEST_SHARE:
        add(
            at_key,
            "L016",
            _("the correct option is the longest in {n} of the {total} single-answer questions").format(
                n=longest, total=len(single)
            ),
            _("make the options about as long as each other; give the longest words to a tempting wrong answer"),
        )
    passing = [name for name, ok in strategy_passes(questions, pass_mark).items() if ok]
    if passing:
        add(
            at_key,
            "L017",
            _(_STRATEGY_FINDINGS[tuple(passing)]).format(mark=f"{pass_mark:g}"),
            _("run 'peer-trainer analyse' on the lesson; vary where the correct option stands and how long it is"),
        )
    true_false = sum(q.kind == "true_false" for q in questions)
    if true_false / len(questions) > MAX_TRUE_FALSE_SHARE:
        add(
            at_key,
            "L019",
            _("{n} of the {total} questions are true or false, and a guess gets each one right half the time").format(
                n=true_false, total=len(questions)
            ),
            _("turn some into questions with three or four options"),
        )
    for q in questions:
        if q.kind == "multiple" and sum(not o.correct for o in q.options) == 1:
            add(
                located.where(("questions", q.index)),
                "L018",
                _(
                    "question {number} has several answers but only one wrong option, so spotting the odd one "
                    "out is enough"
                ).format(number=q.index + 1),
                _("add at least one more tempting wrong option"),
            )
        for j, o in enumerate(q.options if q.kind != "true_false" else ()):
            if _ABOVE.search(o.text):
                add(
                    located.where(("questions", q.index, "options", j)),
                    "L020",
                    _(
                        "question {number} has the option {option}, which a test-wise reader picks, or rules "
                        "out, without knowing the answer"
                    ).format(number=q.index + 1, option=repr(o.text)),
                    _("write each option as an answer of its own"),
                )
    return out
