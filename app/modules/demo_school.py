"""A sample school built through the real record stores: a coordinator, a trainer and a class at
different stages. Used by scripts/screenshots and the accessibility tests, so the screens they
look at show real-looking records rather than empty lists.

Every record goes through the same functions the program uses (profile_store, progress_store), and
role-plays are really played through the engine, so what is shown is what the program would show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

MAX_PATHS = 20_000  # the shipped scenarios have a few hundred paths; a guard against a loop
COORDINATOR_PASSWORD = "correct horse battery"
TRAINER_PASSWORD = "trainer's secret"

SCHOOL_SETTINGS = {
    "school.counsellor": "Ms Adeyemi",
    "school.counsellor_room": "Room 14, next to the library",
    "school.office": "the main office by the front entrance",
    "school.supervisor": "Mr Okoro",
    "school.crisis_line": "Youthline 0800 376 633",
    "school.emergency_number": "111",
    "certificate.signatory_name": "Dr Helen Marsh",
    "certificate.signatory_title": "Head teacher",
}

# (name, how far they are): "done" has everything the certificate needs, "some" is part way
# through, "new" has not started, "waiting" has done all the work but still needs a trainer's
# sign-off, and "certified" has been issued a certificate (when `certify` is asked for).
CLASS_9B = [
    ("Amara Okafor", "some"),
    ("Diego Fernández", "some"),
    ("Mei Chen", "done"),
    ("Noah Williams", "new"),
    ("Priya Patel", "some"),
    ("Sofia Rossi", "done"),
    ("Tama Ngata", "new"),
]
CLASS_9C = [
    ("Jonas Becker", "waiting"),
    ("Leila Haddad", "certified"),
    ("Rangi Parata", "waiting"),
    ("Yuki Tanaka", "certified"),
]


@dataclass
class DemoSchool:
    coordinator_id: str
    trainer_id: str
    trainees: dict[str, str] = field(default_factory=dict)  # name -> profile id
    stages: dict[str, str] = field(default_factory=dict)  # name -> how far they are (see CLASS_9B)


def build(db, content, school_name: str = "Riverside High", *, whole_programme: bool = False) -> DemoSchool:
    """The sample school; `whole_programme` adds a class waiting for sign-offs and certified."""
    from .records import profile_store, school_setup, settings_store

    coordinator = school_setup.setup_school(db, "Ms Rivera", COORDINATOR_PASSWORD, school_name)
    for key, value in SCHOOL_SETTINGS.items():
        settings_store.set_setting(db, key, value, actor_id=coordinator.id)
    trainer = profile_store.create_profile(
        db, "Mr Okafor", profile_store.TRAINER, secret=TRAINER_PASSWORD, actor_id=coordinator.id
    )
    school = DemoSchool(coordinator.id, trainer.id)
    classes = [("9B", CLASS_9B)] + ([("9C", CLASS_9C)] if whole_programme else [])
    for group, members in classes:
        for name, stage in members:
            pid = profile_store.create_profile(db, name, profile_store.TRAINEE, group=group, actor_id=coordinator.id).id
            school.trainees[name] = pid
            school.stages[name] = stage
            _bring_to(db, content, pid, trainer.id, stage)
    return school


def _bring_to(db, content, pid: str, trainer_id: str, stage: str) -> None:
    modules = content.program.modules
    if stage in ("done", "certified", "waiting"):
        for module in modules:
            complete_module(db, content, pid, trainer_id, module.id, sign=stage != "waiting")
        if stage != "waiting":
            for cid in content.program.certificate.requires.sign_offs:
                sign_off(db, content, pid, trainer_id, cid)
    elif stage == "some":
        first = content.module_lessons(modules[0].id)
        if first and first[-1].has_check:
            fail_check(db, pid, modules[0].id, first[-1])  # a first try that fell short, then a pass
        complete_module(db, content, pid, trainer_id, modules[0].id)
        _read_lessons(db, content, pid, modules[1].id, count=2)


def certify(db, locations, content, school: DemoSchool, out_dir) -> list:
    """Issue the certificates of the "certified" trainees, as the coordinator would."""
    from . import certificate_batch
    from .records import settings_store

    ids = [school.trainees[n] for n, stage in school.stages.items() if stage == "certified"]
    settings = settings_store.get_all(db)
    return certificate_batch.issue(db, locations, content, settings, ids, out_dir, school.coordinator_id).issued


def complete_module(db, content, trainee_id: str, trainer_id: str, module_id: str, sign: bool = True) -> None:
    """Everything a module asks for: lessons read, checks passed, role-plays passed, sign-offs."""
    lessons = content.module_lessons(module_id)
    _read_lessons(db, content, trainee_id, module_id, count=len(lessons))
    for lesson in lessons:
        if lesson.has_check:
            pass_check(db, trainee_id, module_id, lesson)
    for scenario in content.module_scenarios(module_id):
        play_best(db, trainee_id, scenario)
    for cid in content.program.module(module_id).requires.sign_offs if sign else ():
        sign_off(db, content, trainee_id, trainer_id, cid)


def _read_lessons(db, content, trainee_id: str, module_id: str, count: int) -> None:
    from .records import progress_store

    for lesson in content.module_lessons(module_id)[:count]:
        progress_store.save_lesson_position(db, trainee_id, module_id, lesson.id, 1.0, True)


def pass_check(db, trainee_id: str, module_id: str, lesson) -> None:
    """The lesson's knowledge check answered right, question by question."""
    from .records import progress_store
    from .records.progress_store import AnswerRecord

    began = datetime.now(UTC) - timedelta(minutes=3)
    answers = [
        AnswerRecord(q.index, q.prompt, sorted(q.correct_indexes), True, began + timedelta(seconds=20 * (i + 1)))
        for i, q in enumerate(lesson.questions)
    ]
    progress_store.record_quiz_attempt(db, trainee_id, module_id, lesson.id, lesson.content_hash, began, answers, 80)


def fail_check(db, trainee_id: str, module_id: str, lesson) -> None:
    """A first try with the last two questions wrong (below the pass mark of a short check)."""
    from .records import progress_store
    from .records.progress_store import AnswerRecord

    began = datetime.now(UTC) - timedelta(days=1)
    wrong_from = max(0, len(lesson.questions) - 2)
    answers = []
    for i, q in enumerate(lesson.questions):
        right = i < wrong_from
        wrong = [k for k in range(len(q.options)) if k not in q.correct_indexes][:1]
        chosen = sorted(q.correct_indexes) if right else wrong
        answers.append(AnswerRecord(q.index, q.prompt, chosen, right, began + timedelta(seconds=25 * (i + 1))))
    progress_store.record_quiz_attempt(db, trainee_id, module_id, lesson.id, lesson.content_hash, began, answers, 80)


# A role-play's best path, found once per version of its file (content_hash): the sample school
# plays each role-play for every trainee, and the search walks every path.
_BEST_PATHS: dict[tuple[str, str], list[int] | None] = {}


def best_path(scenario) -> list[int] | None:
    """The choices (counting from 1) of the passing path with the highest total score."""
    if not scenario.content_hash:  # not read from a file: nothing names this version
        return _search_best_path(scenario)
    key = (scenario.id, scenario.content_hash)
    if key not in _BEST_PATHS:
        _BEST_PATHS[key] = _search_best_path(scenario)
    found = _BEST_PATHS[key]
    return None if found is None else list(found)


def _search_best_path(scenario) -> list[int] | None:
    from dataclasses import replace

    from .scenario import Run

    def branch_of(run: Run) -> Run:  # a copy that choosing does not change the original of (steps are kept as made)
        return replace(
            run, variables=dict(run.variables), scores=dict(run.scores), path=list(run.path), steps=list(run.steps)
        )

    best: tuple[int, list[int]] | None = None
    stack = [(Run.start(scenario), [])]
    explored = 0
    while stack and explored <= MAX_PATHS:
        run, choices = stack.pop()
        if run.finished:
            total = sum(run.scores.values())
            if run.passed and (best is None or total > best[0]):
                best = (total, choices)
            continue
        for n in range(1, len(run.offered_choices()) + 1):
            branch = branch_of(run)
            branch.choose(n)
            stack.append((branch, choices + [n]))
        explored += 1
    return best[1] if best else None


def play_best(db, trainee_id: str, scenario) -> tuple[str, list[int], object]:
    """The role-play played through the engine along its best passing path, every step recorded.

    Returns the attempt's id, the choices made and the finished run.
    """
    from .records import progress_store
    from .scenario import Run

    choices = best_path(scenario)
    if choices is None:
        raise ValueError(f"no path through the role-play {scenario.id} passes")
    run = Run.start(scenario)
    attempt = progress_store.start_scenario_attempt(db, trainee_id, scenario.id, scenario.content_hash, run.to_json())
    for seq, n in enumerate(choices, 1):
        at = run.node_id
        step = run.choose(n)
        progress_store.record_step(
            db,
            attempt,
            seq,
            at,
            step.choice_index,
            step.choice_text,
            step.to_node,
            [list(e) for e in step.effects],
            run.to_json(),
        )
    progress_store.finish_scenario_attempt(db, attempt, run.ending, run.outcome, run.passed, run.scores, run.to_json())
    return attempt, choices, run


def sign_off(db, content, trainee_id: str, trainer_id: str, competency_id: str) -> None:
    from .records import progress_store

    behaviours = {b: True for b in content.program.competencies[competency_id].behaviours} or {"Observed": True}
    progress_store.add_sign_off(
        db, trainee_id, trainer_id, competency_id, behaviours, note="Observed in a practice session."
    )
