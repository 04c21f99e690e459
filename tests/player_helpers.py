"""Shared helpers for the role-play player tests: a school with a trainee, and paths through a scenario."""

from __future__ import annotations

from test_content_scenarios import all_endings  # every path of a scenario, with its result

from app.modules.records import profile_store, school_setup


def school_with_trainee(db, name: str = "Amara Okafor"):
    """(coordinator, trainee) profiles in a freshly set-up school."""
    coordinator = school_setup.setup_school(db, "Ms Rivera", "correct horse", "Riverside High")
    trainee = profile_store.create_profile(db, name, "trainee", group="9B", actor_id=coordinator.id)
    return coordinator, trainee


def passing_path(scenario) -> list[int]:
    """The shortest choice numbers from the start to a passing ending."""
    return min((e[3] for e in all_endings(scenario) if e[1]), key=len)


def failing_path(scenario) -> list[int]:
    return min((e[3] for e in all_endings(scenario) if not e[1]), key=len)
