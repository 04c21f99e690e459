"""{{school.supervisor}}: the adult who runs the programme and debriefs helpers, a school setting
with general wording when it is empty (not the same person as the counsellor)."""

from app.modules.placeholders import KNOWN, fill, unknown_placeholders, values
from app.modules.school_settings import SCHOOL_FIELDS, validate


def test_supervisor_is_a_known_placeholder_with_a_fallback():
    assert "school.supervisor" in KNOWN
    assert unknown_placeholders("Debrief with {{school.supervisor}}.") == []
    empty = values({})
    assert empty["school.supervisor"] == "the adult who runs the peer helper programme"
    assert empty["school.supervisor"] != empty["school.counsellor"]


def test_supervisor_setting_fills_the_placeholder():
    filled = values({"school.supervisor": "  Mr Okoro ", "school.counsellor": "Ms Adeyemi"})
    assert fill("Talk to {{school.supervisor}}, not {{school.counsellor}}.", filled) == (
        "Talk to Mr Okoro, not Ms Adeyemi."
    )


def test_supervisor_is_a_school_setting():
    keys = [f.key for f in SCHOOL_FIELDS]
    assert "school.supervisor" in keys
    assert validate({"school.name": "Hillside", "school.supervisor": "Mr Okoro"}) == {}
    assert "school.supervisor" in validate({"school.name": "Hillside", "school.supervisor": "{{x}}"})


def test_supervisor_is_on_the_school_settings_form():
    from app.ui.staff.school_tab import CONTACT_KEYS

    assert "school.supervisor" in CONTACT_KEYS
