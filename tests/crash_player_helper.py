"""A child process for tests/test_crash_resume.py: plays a role-play through the same
recording layer as the player (app.modules.scenario.session) until it is killed.

    python tests/crash_player_helper.py DATA_DIR CONTENT_DIR SCENARIO_ID PROFILE_ID SEED

Prints READY once its imports are done, then waits for a line on stdin so the parent can
start the next child while the previous one is still playing. It then resumes the
trainee's unfinished run (or starts one) and prints one line per event, each only after
what it reports is committed:

    RESUMED {"attempt", "node", "scores", "variables", "seq"}
    STARTED {"attempt", "node"}
    ACK {"attempt", "seq", "node", "scores", "variables", "finished"}
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.modules.program import load_program
from app.modules.records.database import Database
from app.modules.scenario import load_scenarios
from app.modules.scenario import session as ss
from app.paths import resolve_locations

MAX_STEPS = 10_000  # a parent that forgets to kill us must not wait forever


def say(kind: str, **data) -> None:
    sys.stdout.write(f"{kind} {json.dumps(data, sort_keys=True)}\n")
    sys.stdout.flush()


def main(data_dir: str, content_dir: str, scenario_id: str, profile_id: str, seed: str) -> int:
    program, _ = load_program(Path(content_dir))
    scenarios, _ = load_scenarios(Path(content_dir) / "scenarios", program)
    scenario = next(s for s in scenarios if s.id == scenario_id)
    print("READY", flush=True)
    sys.stdin.readline()
    rng = random.Random(seed)
    db = Database.open(resolve_locations(data_dir=data_dir, content_dir=content_dir))
    offers = [
        o
        for o in ss.resume_offers(db, profile_id, lambda sid: scenario if sid == scenario.id else None)
        if o.kind == ss.RESUME
    ]
    if offers:
        rec = ss.RecordedRun.resume(db, offers[0].attempt, scenario)
        run = rec.run
        say(
            "RESUMED",
            attempt=rec.attempt_id,
            node=run.node_id,
            scores=run.scores,
            variables=run.variables,
            seq=len(run.steps),
            finished=rec.finished,
        )
    else:
        rec = None
    for _ in range(MAX_STEPS):
        if rec is None or rec.finished:
            rec = ss.RecordedRun.start(db, profile_id, scenario)
            say("STARTED", attempt=rec.attempt_id, node=rec.run.node_id)
        offered = len(rec.run.offered_choices())
        rec.choose(rng.randint(1, offered))
        run = rec.run
        say(
            "ACK",
            attempt=rec.attempt_id,
            seq=len(run.steps),
            node=run.node_id,
            scores=run.scores,
            variables=run.variables,
            finished=rec.finished,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
