"""Benchmark: build the programme report (and draw its PDF) for a district-sized school.

Seeds 2,000 trainees (bench/cohort_seed.py), then certificates for the ready quarter, with
refresher answers, support check-ins and confidence ratings (Core bulk inserts). Measures, median
of several runs, building the report's figures and writing the PDF, against the dashboard's own
load of the same cohort in the same run (every trainee's readiness: `progress.summaries`).
Goal: the report under 5 s.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_report.py [--trainees 2000] [--steps 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cohort_seed import seed  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from app.modules.content import load_content  # noqa: E402
from app.modules.records import profile_store  # noqa: E402
from app.modules.records.database import Database  # noqa: E402
from app.modules.records.models import (  # noqa: E402
    Certificate,
    ConfidenceRating,
    RefresherCard,
    RefresherReview,
    SupportCheckIn,
    new_id,
)
from app.paths import bundled_content, resolve_locations  # noqa: E402
from app.service import Training  # noqa: E402

GOAL_S = 5.0


def after_the_certificate(db, content, ids: list[str], share: float = 0.25) -> int:
    """Certificates, refresher answers, check-ins and confidence ratings for a share of trainees."""
    rng = random.Random(11)
    now = datetime.now(UTC)
    cids = list(content.program.competencies)
    certs, cards, reviews, checkins, ratings = [], [], [], [], []
    certified = ids[: int(len(ids) * share)]
    for n, pid in enumerate(certified):
        issued = now - timedelta(days=rng.randint(30, 400))
        certs.append(
            dict(
                id=new_id(),
                number=f"PHT-2026-BEEF-{n + 1:06d}",
                profile_id=pid,
                trainee_name=f"T{n}",
                issued_at=issued,
                payload={"n": n},
                signature="c2ln",
                valid_until=issued + timedelta(days=365),
            )
        )
        for k in range(5):
            card = new_id()
            due = now + timedelta(days=rng.randint(-5, 20))
            cards.append(dict(id=card, profile_id=pid, item_key=f"m:l:{k}", card={}, due=due, reviews=1))
            reviews.append(
                dict(
                    id=new_id(),
                    card_id=card,
                    profile_id=pid,
                    item_key=f"m:l:{k}",
                    correct=rng.random() < 0.8,
                    rating=3,
                    reviewed_at=now - timedelta(days=rng.randint(0, 120)),
                )
            )
        for _k in range(2):
            checkins.append(
                dict(
                    id=new_id(),
                    profile_id=pid,
                    kind=rng.choice(["listening", "conflict", "referral"]),
                    adult_involved=rng.random() < 0.3,
                    weight=rng.randint(1, 5),
                    wants_debrief=rng.random() < 0.2,
                    logged_on=date.today() - timedelta(days=rng.randint(0, 200)),
                )
            )
        for moment in ("before", "after"):
            ratings += [
                dict(
                    id=new_id(), profile_id=pid, moment=moment, competency_id=c, rating=rng.randint(1, 5), rated_at=now
                )
                for c in cids
            ]
    stamp = {"created_at": now, "updated_at": now}
    with db.engine.begin() as conn:
        for model, rows in (
            (Certificate, certs),
            (RefresherCard, cards),
            (RefresherReview, reviews),
            (SupportCheckIn, checkins),
            (ConfidenceRating, ratings),
        ):
            if rows:
                conn.execute(insert(model), [row | stamp for row in rows])
    return len(certified)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from app.modules.certificate_pdf import ensure_gui

    ensure_gui()
    with tempfile.TemporaryDirectory() as tmp:
        locations = resolve_locations(data_dir=Path(tmp) / "data", content_dir=bundled_content())
        db = Database.open(locations)
        content = load_content(locations.content_dir)
        t = time.perf_counter()
        trainer_id, ids = seed(db, content, args.trainees, args.steps)
        certified = after_the_certificate(db, content, ids)
        seeding = time.perf_counter() - t
        staff = Training(db, content, profile_store.get_profile(db, trainer_id), locations)
        dashboard, figures, whole = [], [], []
        for run in range(args.runs):
            t = time.perf_counter()
            staff.progress.summaries(staff.progress.roster())
            dashboard.append(time.perf_counter() - t)
            t = time.perf_counter()
            staff.reports.build()
            figures.append(time.perf_counter() - t)
            t = time.perf_counter()
            staff.reports.write_pdf(Path(tmp) / f"report-{run}.pdf")
            whole.append(time.perf_counter() - t)
        db.close()
    d, f, w = (statistics.median(x) for x in (dashboard, figures, whole))
    print(
        f"school: {args.trainees} trainees, {certified} certified, {args.steps} role-play steps "
        f"(seeded in {seeding:.1f} s); median of {args.runs} runs"
    )
    print(f"dashboard load (every trainee's readiness): {d * 1000:.0f} ms")
    print(f"report figures: {f * 1000:.0f} ms ({f / d:.1f}x the dashboard load)")
    print(
        f"report built and drawn to PDF: {w * 1000:.0f} ms ({w / d:.1f}x the dashboard load; goal < {GOAL_S:.0f} s) "
        f"{'OK' if w < GOAL_S else 'TOO SLOW'}"
    )
    return 0 if w < GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
