"""The school's own settings: what they are, how they are checked, where they appear."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.core.errors import TrainingError
from app.core.i18n import LANGUAGE_NAMES, N_, _, ngettext
from app.core.labels import Choices
from app.core.setting_keys import SCHOOL_LANGUAGE_KEY, SCHOOL_NAME_KEY


@dataclass(frozen=True, slots=True)
class SettingField:
    key: str
    label_source: str  # N_()-marked English; read `label` and `help`, in the current language
    help_source: str  # where it appears, shown beside the field
    max_length: int = 120
    required: bool = False

    @property
    def label(self) -> str:
        return _(self.label_source)

    @property
    def help(self) -> str:
        return _(self.help_source)


SCHOOL_FIELDS: tuple[SettingField, ...] = (
    SettingField(
        SCHOOL_NAME_KEY,
        N_("School name"),
        N_("On the profile picker, in lessons and on certificates."),
        120,
        True,
    ),
    SettingField(
        "programme.name",
        N_("Programme name"),
        N_("Used in lessons; when empty, lessons use the programme's own title."),
    ),
    SettingField(
        "school.counsellor", N_("Counsellor's name"), N_("Lessons and role-plays say who to go to: “talk to …”.")
    ),
    SettingField(
        "school.counsellor_room", N_("Where to find the counsellor"), N_("e.g. “Room 14, next to the library”.")
    ),
    SettingField("school.office", N_("School office"), N_("Where students go when the counsellor is not there.")),
    SettingField(
        "school.supervisor",
        N_("Programme supervisor"),
        N_("The adult who runs the programme and debriefs helpers ({{school.supervisor}}), e.g. “Mr Okoro”."),
    ),
    SettingField(
        "school.crisis_line",
        N_("Local crisis line"),
        N_("Shown in the crisis module and before sensitive role-plays. Name and number."),
    ),
    SettingField(
        "school.emergency_number",
        N_("Emergency number"),
        N_("The local emergency number, shown in the crisis module."),
        40,
    ),
)


CERTIFICATE_FIELDS: tuple[SettingField, ...] = (
    SettingField(
        "certificate.signatory_name",
        N_("Signatory's name"),
        N_("Printed under the signature line of every certificate."),
        80,
    ),
    SettingField(
        "certificate.signatory_title",
        N_("Signatory's title"),
        N_("Printed under the name, e.g. “Head teacher” or “Wellbeing lead”."),
        80,
    ),
)

PAPER_KEY = "certificate.paper"
PAPERS = ("A4", "Letter")
PASS_MARK_KEY = "knowledge_check.pass_mark"  # read by AppContext.pass_mark()
# How long a certificate is valid, in months; None or 0: no limit (the default).
VALIDITY_KEY = "certificate.valid_months"
VALIDITY_CHOICES = (0, 6, 12, 18, 24, 36)  # what the School settings tab offers
VALIDITY_MAX_MONTHS = 120
# How long helpers' support check-ins are kept before only monthly counts stay (checkin_store).
RETENTION_KEY = "checkins.retention_days"
RETENTION_CHOICES = Choices(
    ((183, N_("Half a school year")), (365, N_("One school year")), (730, N_("Two school years")))
)
# The printable list of certified helpers (assemblies, ceremonies): off, or only those who agreed.
RECOGNITION_KEY = "recognition.list"
RECOGNITION_CHOICES = Choices((("off", N_("No list")), ("consented", N_("Helpers who agreed to be on it"))))
RECOGNITION_CONSENT = "recognition_ok"  # in the helper's own preferences: they said yes
# The age under which trainees are asked nothing about their own wellbeing beyond confidence in the
# skills (records/wellbeing.py says which questions): 0 or none, the default, asks everyone as
# before; a school with younger helpers picks an age, then ticks in People who is younger than it.
WELLBEING_AGE_KEY = "wellbeing.min_age"  # records.wellbeing.AGE_KEY
WELLBEING_AGE_CHOICES = (0, 11, 12, 13, 14, 15, 16)  # what the School settings tab offers
YOUNGER_KEY = "younger_than_wellbeing_age"  # records.wellbeing.YOUNGER_KEY, in a trainee's preferences
RENEWAL_WARNING_DAYS = 30  # "due for renewal" this long before a certificate runs out
# The program's language for the school: the profile picker, and anyone who has not chosen their
# own (a profile's "language" preference); certificates and the programme report are printed in it.
# Empty: the computer's language (app/ui/common/language.py).
LANGUAGE_KEY = SCHOOL_LANGUAGE_KEY
LOGO_KEY = "school.logo"  # a path relative to the data folder
LOGO_DIR = "branding"
LOGO_MAX_BYTES = 5 * 1024 * 1024
LOGO_KINDS = {b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg"}


class SettingsError(TrainingError):
    """A setting that cannot be taken as given; the message says what to do."""


def validate(values: dict[str, str]) -> dict[str, str]:
    """Problems by key, in words a coordinator understands; empty when all is well.

    Text fields are checked when present; the paper size and the pass mark when given.
    """
    problems: dict[str, str] = {}
    for f in SCHOOL_FIELDS + CERTIFICATE_FIELDS:
        if f.key not in values and not f.required:
            continue
        v = (values.get(f.key) or "").strip()
        if f.required and not v:
            problems[f.key] = _("{field} is needed.").format(field=f.label)
        elif len(v) > f.max_length:
            problems[f.key] = _("{field} is too long ({n} characters; at most {limit}).").format(
                field=f.label, n=len(v), limit=f.max_length
            )
        elif "{{" in v or "}}" in v:
            problems[f.key] = _("{field} cannot contain {{{{ or }}}}.").format(field=f.label)
        elif any(ord(c) < 32 for c in v):
            problems[f.key] = _("{field} must be on one line.").format(field=f.label)
    paper = values.get(PAPER_KEY)
    if paper is not None and paper not in PAPERS:
        problems[PAPER_KEY] = _("The paper size must be {first} or {second}.").format(first=PAPERS[0], second=PAPERS[1])
    mark = values.get(PASS_MARK_KEY)
    if mark not in (None, "") and parse_pass_mark(str(mark)) is None:
        problems[PASS_MARK_KEY] = _("The pass mark must be a whole number of percent from 1 to 100, or empty for 80.")
    months = values.get(VALIDITY_KEY)
    if months not in (None, "") and parse_validity(months) is None:
        problems[VALIDITY_KEY] = _(
            "How long a certificate is valid must be a whole number of months up to {limit}, or no limit."
        ).format(limit=VALIDITY_MAX_MONTHS)
    days = values.get(RETENTION_KEY)
    if days not in (None, "") and days not in dict(RETENTION_CHOICES):
        problems[RETENTION_KEY] = _("Choose how long support check-ins are kept from the list.")
    age = values.get(WELLBEING_AGE_KEY)
    if age not in (None, "") and (isinstance(age, bool) or age not in WELLBEING_AGE_CHOICES):
        problems[WELLBEING_AGE_KEY] = _("Choose the age for wellbeing questions from the list.")
    listed = values.get(RECOGNITION_KEY)
    if listed not in (None, "") and listed not in dict(RECOGNITION_CHOICES):
        problems[RECOGNITION_KEY] = _("Choose who the list of helpers shows from the list.")
    language = values.get(LANGUAGE_KEY)
    if language not in (None, "") and language not in LANGUAGE_NAMES:
        problems[LANGUAGE_KEY] = _("Choose the school's language from the list.")
    return problems


def parse_validity(value: object) -> int | None:
    """Months as stored (0: no limit); None when `value` is not a number of months we accept."""
    if value in (None, ""):
        return 0
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit() or len(value) > 4:
            return None
        value = int(value)
    if not isinstance(value, int) or not 0 <= value <= VALIDITY_MAX_MONTHS:
        return None
    return value


def validity_months(settings: dict) -> int:
    """The school's setting, read defensively: anything odd counts as no limit."""
    return parse_validity(settings.get(VALIDITY_KEY)) or 0


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day."""
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validity_words(months: int) -> str:
    if not months:
        return _("No limit")
    if months % 12 == 0:
        years = months // 12
        return ngettext("{n} year", "{n} years", years).format(n=years)
    return ngettext("{n} month", "{n} months", months).format(n=months)


def wellbeing_age(settings: dict) -> int:
    """The school's age for wellbeing questions, read defensively: anything odd counts as none (0)."""
    age = settings.get(WELLBEING_AGE_KEY)
    return age if age in WELLBEING_AGE_CHOICES and not isinstance(age, bool) else 0


def wellbeing_age_words(age: int) -> str:
    if not age:
        return _("No age: everyone is asked")
    return _("Under {age}: not asked").format(age=age)


def parse_pass_mark(text: str) -> int | None:
    text = text.strip().rstrip("%").strip()
    if not text.isdigit():
        return None
    value = int(text)
    return value if 1 <= value <= 100 else None


def store_logo(source: Path, data_dir: Path) -> str:
    """Copy a PNG or JPEG logo into the data folder; returns the setting's value.

    The copy means the certificate still has its logo when the original file moves.
    """
    source = Path(source)
    try:
        size = source.stat().st_size
        with open(source, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise SettingsError(
            _("The logo {file} cannot be read ({reason}).").format(file=source, reason=exc.strerror or exc)
        ) from None
    suffix = next((s for magic, s in LOGO_KINDS.items() if head.startswith(magic)), None)
    if suffix is None:
        raise SettingsError(
            _("The logo {name} is not a PNG or JPEG picture. Save it as PNG or JPEG and try again.").format(
                name=source.name
            )
        )
    if size > LOGO_MAX_BYTES:
        raise SettingsError(
            _("The logo {name} is {size} MB; please use a picture under 5 MB.").format(
                name=source.name, size=size // (1024 * 1024)
            )
        )
    folder = Path(data_dir) / LOGO_DIR
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / f"school-logo{suffix}"
    tmp = dest.with_suffix(".tmp")
    shutil.copyfile(source, tmp)
    os.replace(tmp, dest)
    for other in LOGO_KINDS.values():
        if other != suffix:
            (folder / f"school-logo{other}").unlink(missing_ok=True)
    return f"{LOGO_DIR}/{dest.name}"


def logo_path(settings: dict, data_dir: Path) -> Path | None:
    """The stored logo, if the setting names one that still exists inside the data folder."""
    value = str(settings.get(LOGO_KEY) or "").strip()
    if not value:
        return None
    path = (Path(data_dir) / value).resolve()
    if Path(data_dir).resolve() not in path.parents or not path.is_file():
        return None
    return path
