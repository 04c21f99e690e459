"""Every number the assessment checks use, in one place, each with the reason for it.

`peer-trainer analyse`, the give-away warnings of the checkers (S207-S211, L016-L020) and the
item statistics all read their limits from here, so that a school can see (and the project can
change) each one where its reason is written.
"""

from __future__ import annotations

# --- playing surface strategies (peer-trainer analyse) ---------------------------------------

# A run that has not reached an ending after this many choices stops and does not pass. Real
# scenarios end in 5 to 25 choices; a loop that lets a strategy go round for ever must not hang
# the analysis, and a trainee who needs 500 choices has not shown the skill.
MAX_STEPS = 500

# Up to this many complete paths, the random strategy's pass rate is worked out exactly (every
# path, weighted by the chance that random choosing takes it) instead of sampled. 100,000 paths
# take well under a second; beyond that sampling is faster and close enough.
MAX_EXACT_PATHS = 100_000

# While counting paths, no more than this many distinct (node, scores, variables) states are
# explored; a scenario with more is sampled instead. It bounds time and memory on hostile files.
MAX_EXACT_STATES = 200_000

# The random strategy plays at least this many seeded runs when paths are not counted. 2,000
# runs give a pass rate within about ±2 percentage points (95 %) near the 5 % limit.
RANDOM_RUNS = 2_000

# The seed of the random runs: the same content gives the same figures on every machine.
RANDOM_SEED = 12

# `analyse` exits 1 when a random pass rate is above this (its --max-random default). A trainee
# who reads nothing should pass at most one time in twenty.
MAX_RANDOM_PASS_RATE = 0.05

# The knowledge-check pass mark when program.yaml leaves it to the school (the program's default).
DEFAULT_PASS_MARK = 80

# Words that make a true-or-false statement look false to a test-wise reader ("longest" strategy
# for true or false questions, as the issue defines it).
ABSOLUTE_WORDS = ("always", "never", "every", "only", "all", "nothing")

# --- give-away warnings (the checkers) --------------------------------------------------------

# S208/L016: the best choice (or correct option) is also the longest at this share of decision
# points (questions) or more. By chance the longest of three options is the best one time in
# three; at 60 % a reader who picks the longest does far better than chance.
LONGEST_IS_BEST_SHARE = 0.6

# ... and only when there are at least this many decision points (single-answer questions): with
# one or two, "always the longest" is too likely to happen by chance to be worth a warning.
LONGEST_IS_BEST_MIN_POINTS = 3

# S209: a decision point of an assessment scenario (feedback: end) needs at least this many
# options. With two, a guess is right half the time.
MIN_ASSESSMENT_OPTIONS = 3

# S207: a judging label before a choice's words ("Reflect the hurt: ...") is at most this many
# words. Longer text before a colon is usually the choice itself ("I hear you: that sounds hard").
LABEL_MAX_WORDS = 5

# Words that may open a choice before a colon without judging it: they say how the words are
# given, not whether they are good ("Reply: ...", "Say: ...", "Text Sam: ...").
NEUTRAL_LABELS = (
    "say",
    "reply",
    "ask",
    "answer",
    "text",
    "message",
    "write",
    "post",
    "type",
    "dm",
    "send",
    "tell",
    "whisper",
    "call",
    "comment",
)

# L019: true or false questions may make up at most this share of a knowledge check. A true or
# false question is guessed right half the time.
MAX_TRUE_FALSE_SHARE = 1 / 3

# --- item statistics (trainers' view) ---------------------------------------------------------

# A figure based on fewer first attempts than this is hidden: too few to keep trainees anonymous
# (with 2 or 3, a trainer can tell who chose what) and too few to mean anything.
MIN_ATTEMPTS_SHOWN = 5
