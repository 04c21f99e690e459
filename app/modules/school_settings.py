"""The school's own settings: what they are, how they are checked, where they appear."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SettingField:
    key: str
    label: str
    help: str  # where it appears, shown beside the field
    max_length: int = 120
    required: bool = False


SCHOOL_FIELDS: tuple[SettingField, ...] = (
    SettingField("school.name", "School name", "On the profile picker, in lessons ({{school.name}}) and on certificates.", 120, True),
    SettingField("programme.name", "Programme name", "Used in lessons ({{programme.name}}); empty: the program's own title."),
    SettingField("school.counsellor", "Counsellor's name", "Lessons and role-plays say who to go to: “talk to …”."),
    SettingField("school.counsellor_room", "Where to find the counsellor", "e.g. “Room 14, next to the library”."),
    SettingField("school.office", "School office", "Where students go when the counsellor is not there."),
    SettingField("school.crisis_line", "Local crisis line", "Shown in the crisis module and before sensitive role-plays. Name and number."),
    SettingField("school.emergency_number", "Emergency number", "The local emergency number, shown in the crisis module.", 40),
)


def validate(values: dict[str, str]) -> dict[str, str]:
    """Problems by key, in words a coordinator understands; empty when all is well."""
    problems: dict[str, str] = {}
    for f in SCHOOL_FIELDS:
        v = (values.get(f.key) or "").strip()
        if f.required and not v:
            problems[f.key] = f"{f.label} is needed."
        elif len(v) > f.max_length:
            problems[f.key] = f"{f.label} is too long ({len(v)} characters; at most {f.max_length})."
        elif "{{" in v or "}}" in v:
            problems[f.key] = f"{f.label} cannot contain {{{{ or }}}}."
        elif any(ord(c) < 32 for c in v):
            problems[f.key] = f"{f.label} must be on one line."
    return problems
