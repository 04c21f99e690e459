"""xAPI (Experience API 1.0.3) statements, as JSON a learning record store can import.

One statement per knowledge-check attempt (passed/failed), per role-play run (passed/failed
or completed when it finished, attempted while unfinished), per choice made in a role-play
(responded), and per trainer sign-off (passed/failed, with the trainer as instructor). A
sign-off later withdrawn also gets a `voided` statement pointing at it, as the spec wants.
After the certificate, per refresher answer: "answered" for a knowledge-check question asked
again, "responded" for a role-play moment (its object the same scenario node a role-play's choice
has), both with the refreshers as their category. Support check-ins and survey answers are not
statements: xAPI needs one actor per statement, and those are exported only in aggregate
(csv_export.export_after_certificate), survey answers having no actor at all by design.

Ids are UUIDs derived from the record's own UUID, so exporting again gives the same ids
and a record store keeps each statement once. Actors are identified by an account whose
homePage is an IRI for this program and whose name is the profile's UUID (the same person
on every laptop once their records are merged). Activities are URNs: no real URL needed.

`statement_problems` checks a statement against the xAPI statement shape; the export runs
it on everything it writes and the tests on everything it makes.
"""

from __future__ import annotations

import json
import math
import os
import re
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.private_files import make_private

if TYPE_CHECKING:
    from app.modules.content import ContentSet
    from app.modules.records.database import Database

XAPI_VERSION = "1.0.3"
HOME_PAGE = "urn:peer-helper-trainer"
URN = "urn:peer-helper-trainer:"
_NS = uuid.UUID("b6b3f2a4-0f6e-4e0a-9d7c-2a5f3c1d8e77")
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {name: ADL + name for name in ("passed", "failed", "completed", "attempted", "responded", "voided", "answered")}
ACTIVITY_TYPES = {
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "simulation": "http://adlnet.gov/expapi/activities/simulation",
    "interaction": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "objective": "http://adlnet.gov/expapi/activities/objective",
    "module": "http://adlnet.gov/expapi/activities/module",
}
EXT_SCORES = URN + "extension:competency-scores"
EXT_BEHAVIOURS = URN + "extension:behaviours-observed"
EXT_EFFECTS = URN + "extension:effects"
PLATFORM = "Peer Helper Trainer"
LANG = "en-US"


def statement_id(kind: str, record_id: str) -> str:
    return str(uuid.uuid5(_NS, f"{kind}:{record_id}"))


def agent(profile_id: str, name: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"objectType": "Agent", "account": {"homePage": HOME_PAGE, "name": profile_id}}
    if name:
        out["name"] = name
    return out


def _verb(name: str) -> dict[str, Any]:
    return {"id": VERBS[name], "display": {LANG: name}}


def _activity(activity_id: str, name: str, kind: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    definition: dict[str, Any] = {"name": {LANG: name or activity_id}, "type": ACTIVITY_TYPES[kind]}
    definition.update(extra or {})
    return {"objectType": "Activity", "id": activity_id, "definition": definition}


def _module_parent(module_id: str | None, content: ContentSet | None) -> dict[str, Any]:
    if not module_id:
        return {}
    module = content.program.module(module_id) if content and content.program else None
    return {
        "contextActivities": {
            "parent": [_activity(f"{URN}module:{module_id}", module.title if module else module_id, "module")]
        }
    }


def _context(registration: str | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"platform": PLATFORM, "language": LANG}
    if registration:
        out["registration"] = registration
    out.update({k: v for k, v in extra.items() if v})
    return out


def _when(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _duration(start: datetime | None, end: datetime | None) -> str | None:
    if start is None or end is None or end < start:
        return None
    return f"PT{(end - start).total_seconds():.2f}S"


def _statement(sid: str, actor: dict, verb: str, obj: dict, when: datetime, result: dict | None, context: dict) -> dict:
    out = {"id": sid, "actor": actor, "verb": _verb(verb), "object": obj}
    if result is not None:
        out["result"] = result
    out.update({"context": context, "timestamp": _when(when), "version": XAPI_VERSION})
    return out


def scenario_scaled(scores: dict[str, Any] | None, pass_marks: dict[str, int] | None, passed: bool | None) -> float:
    """A role-play's score in [-1, 1]: the mean, over competencies with a pass mark, of
    score / pass mark (capped at 1); without pass marks, 1 for passed and 0 otherwise."""
    marks = {c: m for c, m in (pass_marks or {}).items() if m}
    if scores and marks:
        ratios = [max(-1.0, min(1.0, float(scores.get(c, 0)) / m)) for c, m in marks.items()]
        return round(sum(ratios) / len(ratios), 4)
    return 1.0 if passed else 0.0


def statements(
    db: Database, content: ContentSet | None = None, profile_ids: list[str] | None = None
) -> list[dict[str, Any]]:
    """Every statement for the trainees (all of them, or `profile_ids`), oldest first."""
    from app.modules.records import profile_store, progress_store

    people = {p.id: p for p in profile_store.list_profiles(db, include_archived=True)}
    wanted = [
        p for p in people.values() if p.role == profile_store.TRAINEE and (profile_ids is None or p.id in profile_ids)
    ]
    out: list[dict[str, Any]] = []
    for person in wanted:
        actor = agent(person.id, person.display_name)
        for q in progress_store.quiz_attempts(db, person.id):
            lesson = content.lesson(q.module_id, q.lesson_id) if content else None
            obj = _activity(
                f"{URN}knowledge-check:{q.module_id}/{q.lesson_id}",
                f"Knowledge check: {getattr(lesson, 'title', q.lesson_id)}",
                "assessment",
            )
            result = {
                "score": {"scaled": round(q.score, 4), "raw": q.correct, "min": 0, "max": q.total},
                "success": bool(q.passed),
                "completion": True,
            }
            if d := _duration(q.started_at, q.finished_at):
                result["duration"] = d
            out.append(
                _statement(
                    statement_id("quiz", q.id),
                    actor,
                    "passed" if q.passed else "failed",
                    obj,
                    q.finished_at,
                    result,
                    _context(q.id, **_module_parent(q.module_id, content)),
                )
            )
        for s in progress_store.scenario_attempts(db, person.id):
            out.extend(_scenario_statements(db, actor, s, content))
        for so in progress_store.sign_offs(db, person.id, include_withdrawn=True):
            out.extend(_sign_off_statements(actor, so, people, content))
        out.extend(_refresher_statements(db, actor, person.id, content))
    out.sort(key=lambda st: (st["timestamp"], st["id"]))
    return out


def _refresher_statements(db: Database, actor: dict, profile_id: str, content: ContentSet | None) -> list[dict]:
    """A certified helper's refresher answers: "answered" a knowledge-check question again, right
    or not; "responded" to a role-play moment, as to the same node in a role-play (the object is
    that node's own activity, so an LRS compares the refresher with the first play), successful
    when the reply was one the scenario scores highest. Both carry the refresher as a category."""
    from app.modules.records import refresher_store

    out = []
    for r in refresher_store.reviews_of(db, profile_id):
        module_id, _sep, rest = r.item_key.partition(":")
        if "#" in rest:
            scenario_id, _sep, node_id = rest.partition("#")
            scenario = content.scenario(scenario_id) if content else None
            title = getattr(scenario, "title", "") or scenario_id
            verb = "responded"
            obj = _activity(
                f"{URN}scenario:{scenario_id}/node:{node_id}",
                f"{title}: {node_id}",
                "interaction",
                {"interactionType": "choice"},
            )
            parent = [_activity(f"{URN}scenario:{scenario_id}", f"Role-play: {title}", "simulation")]
        else:
            verb = "answered"
            obj = _activity(f"{URN}refresher:{r.item_key}", f"Refresher question {r.item_key}", "interaction")
            parent = None
        ctx = _context(**_module_parent(module_id, content))
        activities = ctx.setdefault("contextActivities", {})
        activities["category"] = [_activity(f"{URN}refresher", "Refreshers after the certificate", "module")]
        if parent:  # the role-play is the moment's parent, its module the grouping
            if activities.get("parent"):
                activities["grouping"] = activities["parent"]
            activities["parent"] = parent
        out.append(
            _statement(
                statement_id("refresher", r.id),
                actor,
                verb,
                obj,
                r.reviewed_at,
                {"success": bool(r.correct)},
                ctx,
            )
        )
    return out


def _scenario_statements(db: Database, actor: dict, s: Any, content: ContentSet | None) -> list[dict]:
    from app.modules.records import progress_store

    scenario = content.scenario(s.scenario_id) if content else None
    title = getattr(scenario, "title", "") or s.scenario_id
    module_id = getattr(scenario, "module", None)
    obj = _activity(f"{URN}scenario:{s.scenario_id}", f"Role-play: {title}", "simulation")
    ctx = _context(s.id, **_module_parent(module_id, content))
    finished = s.status == "finished"
    if finished:
        verb = "completed" if s.passed is None else ("passed" if s.passed else "failed")
        scaled = scenario_scaled(s.scores, getattr(scenario, "pass_marks", None), s.passed)
        result: dict[str, Any] = {"score": {"scaled": scaled}, "completion": True}
        if s.passed is not None:
            result["success"] = bool(s.passed)
        if s.scores:
            result["extensions"] = {EXT_SCORES: dict(s.scores)}
        if d := _duration(s.started_at, s.finished_at):
            result["duration"] = d
        when = s.finished_at or s.updated_at
    else:
        verb, when = "attempted", s.updated_at
        result = {"completion": False}
    out = [_statement(statement_id("scenario", s.id), actor, verb, obj, when, result, ctx)]
    for step in progress_store.attempt_steps(db, s.id):
        if step.choice_index is None:
            continue
        node = _activity(
            f"{URN}scenario:{s.scenario_id}/node:{step.node_id}",
            f"{title}: {step.node_id}",
            "interaction",
            {"interactionType": "choice"},
        )
        step_result: dict[str, Any] = {"response": str(step.choice_index), "completion": True}
        extensions = {}
        if step.choice_text:
            extensions[URN + "extension:choice-text"] = step.choice_text
        if step.effects:
            extensions[EXT_EFFECTS] = step.effects
        if extensions:
            step_result["extensions"] = extensions
        parent = {"contextActivities": {"parent": [obj]}}
        out.append(
            _statement(
                statement_id("step", f"{s.id}:{step.seq}"),
                actor,
                "responded",
                node,
                step.at,
                step_result,
                _context(s.id, **parent),
            )
        )
    return out


def _sign_off_statements(actor: dict, so: Any, people: dict, content: ContentSet | None) -> list[dict]:
    name = content.program.competency_name(so.competency_id) if content and content.program else so.competency_id
    obj = _activity(f"{URN}competency:{so.competency_id}", f"Sign-off: {name}", "objective")
    observed = sum(bool(v) for v in so.behaviours.values())
    total = len(so.behaviours)
    success = total > 0 and observed == total
    result = {
        "score": {"scaled": round(observed / total, 4) if total else 0.0, "raw": observed, "min": 0, "max": total},
        "success": success,
        "completion": True,
        "extensions": {EXT_BEHAVIOURS: dict(so.behaviours)},
    }
    if so.note:
        result["response"] = so.note
    trainer = people.get(so.trainer_id) if so.trainer_id else None
    ctx = _context(None, instructor=agent(trainer.id, trainer.display_name) if trainer else None)
    sid = statement_id("sign-off", so.id)
    out = [_statement(sid, actor, "passed" if success else "failed", obj, so.created_at, result, ctx)]
    if so.withdrawn_at is not None:
        who = people.get(so.withdrawn_by) if so.withdrawn_by else None
        voider = agent(who.id, who.display_name) if who else agent(so.trainer_id or "unknown", None)
        out.append(
            _statement(
                statement_id("withdrawn", so.id),
                voider,
                "voided",
                {"objectType": "StatementRef", "id": sid},
                so.withdrawn_at,
                None,
                _context(None),
            )
        )
        out[-1].pop("context")  # a voiding statement carries no context of its own
    return out


def export_statements(
    db: Database, dest: Path, content: ContentSet | None = None, profile_ids: list[str] | None = None
) -> int:
    """Write the statements as one JSON array (what an LRS's POST /statements takes); returns how many."""
    items = statements(db, content, profile_ids)
    bad = [(st["id"], p) for st in items for p in statement_problems(st)]
    if bad:  # a bug here, never the user's doing: refuse to hand out invalid statements
        raise ValueError(f"{len(bad)} problems in the xAPI statements, first: {bad[0]}")
    dest = Path(dest)
    partial = dest.with_name(dest.name + ".partial")
    partial.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    make_private(partial)  # records: this account only (issue 14)
    os.replace(partial, dest)
    return len(items)


# --- the statement shape (xAPI 1.0.3, part two, section 2.2 onwards) -------------------------

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")
_DURATION = re.compile(
    r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$"
)
_LANG_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_STATEMENT_KEYS = {
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
}
_RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
_CONTEXT_KEYS = {
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "revision",
    "platform",
    "language",
    "statement",
    "extensions",
}


def statement_problems(st: Any) -> list[str]:
    """What makes `st` an invalid xAPI statement (empty when it is valid)."""
    p: list[str] = []
    if not isinstance(st, dict):
        return ["a statement must be a JSON object"]
    p += [f"unknown property {k!r}" for k in st if k not in _STATEMENT_KEYS]
    if not _is_uuid(st.get("id")):
        p.append("id must be a UUID")
    p += _agent_problems(st.get("actor"), "actor")
    verb = st.get("verb")
    if not isinstance(verb, dict) or not _is_iri(verb.get("id")):
        p.append("verb.id must be an IRI")
    elif "display" in verb:
        p += _language_map_problems(verb["display"], "verb.display")
    p += _object_problems(st.get("object"))
    if "result" in st:
        p += _result_problems(st["result"])
    if "context" in st:
        p += _context_problems(st["context"], st.get("object"))
    if not _is_timestamp(st.get("timestamp")):
        p.append("timestamp must be an ISO 8601 time with a time zone")
    if "version" in st and not (isinstance(st["version"], str) and st["version"].startswith("1.0")):
        p.append("version must be 1.0.x")
    return p


def _is_uuid(v: Any) -> bool:
    return isinstance(v, str) and bool(_UUID.match(v))


def _is_iri(v: Any) -> bool:
    return isinstance(v, str) and bool(_IRI.match(v))


def _is_timestamp(v: Any) -> bool:
    if not isinstance(v, str):
        return False
    try:
        parsed = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None


def _language_map_problems(v: Any, where: str) -> list[str]:
    if not isinstance(v, dict) or not v:
        return [f"{where} must be a language map"]
    return [
        f"{where}: {k!r} is not a language tag"
        for k, text in v.items()
        if not _LANG_TAG.match(k) or not isinstance(text, str)
    ]


def _agent_problems(a: Any, where: str) -> list[str]:
    if not isinstance(a, dict):
        return [f"{where} must be an Agent object"]
    p = []
    if a.get("objectType", "Agent") != "Agent":
        p.append(f"{where}.objectType must be Agent")
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in a]
    if len(ifis) != 1:
        p.append(f"{where} must have exactly one identifier (mbox, mbox_sha1sum, openid or account)")
    account = a.get("account")
    if account is not None and not (
        isinstance(account, dict)
        and _is_iri(account.get("homePage"))
        and isinstance(account.get("name"), str)
        and account["name"]
    ):
        p.append(f"{where}.account needs a homePage IRI and a name")
    if "name" in a and not isinstance(a["name"], str):
        p.append(f"{where}.name must be text")
    return p


def _object_problems(o: Any) -> list[str]:
    if not isinstance(o, dict):
        return ["object is missing"]
    kind = o.get("objectType", "Activity")
    if kind == "StatementRef":
        return [] if _is_uuid(o.get("id")) else ["object.id of a StatementRef must be a UUID"]
    if kind != "Activity":
        return [f"object.objectType {kind!r} is not used here"]
    p = [] if _is_iri(o.get("id")) else ["object.id must be an IRI"]
    d = o.get("definition")
    if d is not None:
        if not isinstance(d, dict):
            return p + ["object.definition must be an object"]
        if "name" in d:
            p += _language_map_problems(d["name"], "object.definition.name")
        if "type" in d and not _is_iri(d["type"]):
            p.append("object.definition.type must be an IRI")
        if "interactionType" in d and d["interactionType"] not in (
            "true-false",
            "choice",
            "fill-in",
            "long-fill-in",
            "matching",
            "performance",
            "sequencing",
            "likert",
            "numeric",
            "other",
        ):
            p.append("object.definition.interactionType is not one of xAPI's")
    return p


def _result_problems(r: Any) -> list[str]:
    if not isinstance(r, dict):
        return ["result must be an object"]
    p = [f"unknown result property {k!r}" for k in r if k not in _RESULT_KEYS]
    score = r.get("score")
    if score is not None:
        if not isinstance(score, dict):
            p.append("result.score must be an object")
        else:
            scaled = score.get("scaled")
            if scaled is not None and not (
                isinstance(scaled, (int, float))
                and not isinstance(scaled, bool)
                and math.isfinite(scaled)
                and -1 <= scaled <= 1
            ):
                p.append("result.score.scaled must be a number from -1 to 1")
            lo, hi, raw = score.get("min"), score.get("max"), score.get("raw")
            if lo is not None and hi is not None and lo > hi:
                p.append("result.score.min is above max")
            if raw is not None and ((lo is not None and raw < lo) or (hi is not None and raw > hi)):
                p.append("result.score.raw is outside min..max")
    for flag in ("success", "completion"):
        if flag in r and not isinstance(r[flag], bool):
            p.append(f"result.{flag} must be true or false")
    if "response" in r and not isinstance(r["response"], str):
        p.append("result.response must be text")
    if "duration" in r and not (isinstance(r["duration"], str) and _DURATION.match(r["duration"])):
        p.append("result.duration must be an ISO 8601 duration")
    p += _extension_problems(r.get("extensions"), "result.extensions")
    return p


def _context_problems(c: Any, obj: Any) -> list[str]:
    if not isinstance(c, dict):
        return ["context must be an object"]
    p = [f"unknown context property {k!r}" for k in c if k not in _CONTEXT_KEYS]
    if "registration" in c and not _is_uuid(c["registration"]):
        p.append("context.registration must be a UUID")
    if "instructor" in c:
        p += _agent_problems(c["instructor"], "context.instructor")
    activities = c.get("contextActivities")
    if activities is not None:
        if not isinstance(activities, dict):
            p.append("context.contextActivities must be an object")
        else:
            for key, items in activities.items():
                if key not in ("parent", "grouping", "category", "other"):
                    p.append(f"context.contextActivities.{key} is not an xAPI key")
                for item in items if isinstance(items, list) else [items]:
                    p += [f"context.contextActivities.{key}: {x}" for x in _object_problems(item)]
    if (
        isinstance(obj, dict)
        and obj.get("objectType") not in (None, "Activity")
        and ("revision" in c or "platform" in c)
    ):
        p.append("context.revision and platform are only for Activity objects")
    p += _extension_problems(c.get("extensions"), "context.extensions")
    return p


def _extension_problems(ext: Any, where: str) -> list[str]:
    if ext is None:
        return []
    if not isinstance(ext, dict):
        return [f"{where} must be an object"]
    return [f"{where}: key {k!r} must be an IRI" for k in ext if not _is_iri(k)]
