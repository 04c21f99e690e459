"""CSV, xAPI and a family's copy of one trainee's record: every export opened and validated."""

from __future__ import annotations

import csv
import json
import uuid

import pytest
from records_helpers import CONTENT, add_trainee_work, set_up_school

from app.modules.content import load_content
from app.modules.exchange import csv_export, family_record, xapi
from app.modules.records import profile_store, progress_store
from app.modules.records.profile_store import TRAINEE


@pytest.fixture(scope="module")
def content():
    return load_content(CONTENT)


@pytest.fixture
def school(db):
    coord, trainer = set_up_school(db)
    ana = profile_store.create_profile(db, "Ana Lopez", TRAINEE, group="9B", actor_id=coord.id)
    ben = profile_store.create_profile(db, '=HYPERLINK("x")', TRAINEE, group="9B", actor_id=coord.id)  # a hostile name
    add_trainee_work(db, ana.id, trainer.id)
    add_trainee_work(db, ben.id, trainer.id, passed=False)
    run = progress_store.start_scenario_attempt(db, ana.id, "listening-basics", "h", {})  # unfinished
    progress_store.record_step(db, run, 1, "start", 2, "Say nothing", "end", None, {})
    withdrawn = progress_store.add_sign_off(db, ana.id, trainer.id, "empathy", {"Names the feeling": True})
    progress_store.withdraw_sign_off(db, withdrawn.id, trainer.id, "wrong trainee")
    return coord, trainer, ana, ben


def _read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_competency_csv_has_one_row_per_trainee_and_competency(db, school, content, tmp_path):
    n = csv_export.export_competencies(db, content, tmp_path / "competencies.csv")
    rows = _read_csv(tmp_path / "competencies.csv")
    competencies = content.program.competencies
    assert n == len(rows) == 2 * len(competencies)
    assert list(rows[0]) == csv_export.COMPETENCY_COLUMNS
    ana = [r for r in rows if r["trainee"] == "Ana Lopez"]
    listening = next(r for r in ana if r["competency_id"] == "active_listening")
    assert (
        listening["signed_off_on"]
        and listening["signed_off_by"] == "Mr Okafor"
        and listening["status"] == "in progress"
    )
    listening_modules = [m for m in content.program.modules if "active_listening" in m.competencies]
    assert int(listening["modules_total"]) == len(listening_modules) and int(listening["knowledge_checks_total"]) > 0
    empathy = next(r for r in ana if r["competency_id"] == "empathy")
    assert empathy["signed_off_on"] == ""  # withdrawn sign-offs do not count
    hostile = [r for r in rows if "HYPERLINK" in r["trainee"]]
    assert hostile and all(r["trainee"].startswith("'=") for r in hostile)  # never runs as a formula
    print(f"\ncompetencies.csv: {n} rows ({len(competencies)} competencies x 2 trainees)")


def test_attempts_csv_has_one_row_per_attempt(db, school, content, tmp_path):
    n = csv_export.export_attempts(db, tmp_path / "attempts.csv", content)
    rows = _read_csv(tmp_path / "attempts.csv")
    assert list(rows[0]) == csv_export.ATTEMPT_COLUMNS
    kinds = sorted(r["kind"] for r in rows)
    assert n == len(rows) == 5 and kinds == ["knowledge check"] * 2 + ["role-play"] * 3
    ana_check = next(r for r in rows if r["trainee"] == "Ana Lopez" and r["kind"] == "knowledge check")
    assert ana_check["score_percent"] == "100.0" and ana_check["passed"] == "yes"
    assert ana_check["finished_utc"][:4].isdigit() and len(ana_check["finished_utc"]) == 19
    assert {r["status"] for r in rows if r["kind"] == "role-play"} == {"finished", "in progress"}
    print(f"\nattempts.csv: {n} rows")


def test_every_xapi_statement_has_the_statement_shape(db, school, content, tmp_path):
    n = xapi.export_statements(db, tmp_path / "statements.json", content)
    statements = json.loads((tmp_path / "statements.json").read_text(encoding="utf-8"))
    assert isinstance(statements, list) and len(statements) == n
    problems = {st["id"]: xapi.statement_problems(st) for st in statements}
    assert all(not p for p in problems.values()), problems
    verbs = [st["verb"]["id"].rsplit("/", 1)[1] for st in statements]
    # 2 checks, 3 runs (2 finished, 1 not), 5 choices, 3 sign-offs (1 withdrawn, so voided too).
    assert sorted(verbs) == sorted(
        ["passed", "failed"]
        + ["passed", "failed", "attempted"]
        + ["responded"] * 5
        + ["passed", "failed", "passed", "voided"]
    )
    assert len({st["id"] for st in statements}) == n
    for st in statements:
        assert st["actor"]["account"]["homePage"] == xapi.HOME_PAGE
        uuid.UUID(st["actor"]["account"]["name"])
        if st["verb"]["id"].endswith(("passed", "failed")):
            scaled = st["result"]["score"]["scaled"]
            assert (
                -1 <= scaled <= 1 and isinstance(st["result"]["success"], bool) and st["result"]["completion"] is True
            )
    voided = next(st for st in statements if st["verb"]["id"].endswith("voided"))
    assert voided["object"]["objectType"] == "StatementRef" and voided["object"]["id"] in problems
    again = xapi.statements(db, content)
    assert [s["id"] for s in again] == [s["id"] for s in statements]  # stable ids: an LRS keeps each once
    print(f"\nxAPI: {n} statements, 0 problems; verbs {dict(sorted({v: verbs.count(v) for v in verbs}.items()))}")


@pytest.mark.parametrize(
    "broken, expected",
    [
        (lambda s: s.update(id="not-a-uuid"), "id must be a UUID"),
        (lambda s: s["verb"].update(id="passed"), "verb.id must be an IRI"),
        (lambda s: s["result"]["score"].update(scaled=1.5), "scaled must be a number from -1 to 1"),
        (lambda s: s["actor"].update(mbox="mailto:a@b.c"), "exactly one identifier"),
        (lambda s: s.update(timestamp="2025-01-02 10:00"), "timestamp"),
        (lambda s: s["result"].update(success="yes"), "result.success"),
        (lambda s: s.update(colour="red"), "unknown property"),
        (lambda s: s["result"].update(duration="4 minutes"), "duration"),
    ],
)
def test_the_validator_catches_what_a_record_store_would_refuse(db, school, content, broken, expected):
    statement = next(s for s in xapi.statements(db, content) if "score" in s.get("result", {}))
    assert xapi.statement_problems(statement) == []
    broken(statement)
    assert any(expected in p for p in xapi.statement_problems(statement))


def test_a_familys_copy_holds_everything_about_the_trainee_and_no_secrets(db, school, content, tmp_path):
    coord, trainer, ana, ben = school
    profile_store.set_secret(db, ana.id, "4321", coord.id)
    path = family_record.export_family_record(db, ana.id, tmp_path / "ana.json", content, "Hillside School")
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["trainee"]["name"] == "Ana Lopez" and record["trainee"]["has_pin"] is True
    assert "scrypt" not in path.read_text(encoding="utf-8")
    assert len(record["knowledge_checks"]) == 1 and len(record["knowledge_checks"][0]["answers"]) == 4
    assert len(record["role_plays"]) == 2 and sum(len(r["choices"]) for r in record["role_plays"]) == 3
    assert len(record["sign_offs"]) == 2 and {s["trainer"] for s in record["sign_offs"]} == {"Mr Okafor"}
    assert len(record["lessons"]) == 2 and record["progress"]["ready_for_certificate"] is False
    assert all(ben.id not in json.dumps(v) for v in record.values())  # nobody else's records
    assert record["changes_logged"]  # the audit entries about her
    print(f"\nfamily record: {sum(len(v) for v in record.values() if isinstance(v, list))} entries")
