"""A new scenario file from the template in app/resources/templates/scenario.md.

The template is a small valid scenario whose front-matter comments explain each part; the
trainer gives a title and a module, and gets content/scenarios/<module>/<slug>.md. An
existing file is never overwritten.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from app.core.errors import TrainingError
from app.paths import resources_dir

from ...core.i18n import _

TEMPLATE = "scenario.md"
SLUG_MAX = 60


class NewScenarioError(TrainingError, ValueError):
    """The file cannot be made as asked; the message says why and what to do."""


def template_text() -> str:
    return (resources_dir() / "templates" / TEMPLATE).read_text(encoding="utf-8")


def slugify(title: str) -> str:
    """'Alex's bad week!' -> 'alexs-bad-week': the id and the file name."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"['’]", "", text)
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def fill_template(template: str, title: str, module_id: str, competencies: list[str]) -> str:
    comps = competencies or ["active_listening"]
    # A JSON string is a valid YAML double-quoted scalar: any title stays one safe value.
    return (
        template.replace("title: __TITLE__", f"title: {json.dumps(title, ensure_ascii=False)}")
        .replace("__TITLE__", title)
        .replace("__ID__", slugify(title))
        .replace("__MODULE__", module_id)
        .replace("__COMPETENCIES__", ", ".join(comps))
        .replace("__COMPETENCY__", comps[0])
    )


def create_scenario_file(
    content_dir: Path, title: str, module_id: str, program, taken_ids=(), template: str | None = None
) -> Path:
    """Write the new scenario and return its path; NewScenarioError if it cannot be done."""
    title = " ".join((title or "").split())
    if not title:
        raise NewScenarioError(_("Give the scenario a title."))
    if any(ord(ch) < 32 for ch in title) or len(title) > 120:
        raise NewScenarioError(_("Keep the title to one line of at most 120 characters."))
    slug = slugify(title)
    if not slug:
        raise NewScenarioError(_("Use some letters or numbers in the title: they make the file's name."))
    module = program.module(module_id) if program is not None else None
    if module is None:
        raise NewScenarioError(_("There is no module {module!r} in program.yaml.").format(module=module_id))
    if slug in set(taken_ids):
        raise NewScenarioError(_("A scenario with the id {id!r} already exists. Choose another title.").format(id=slug))
    folder = Path(content_dir) / "scenarios" / module_id
    path = folder / f"{slug}.md"
    if path.exists():
        raise NewScenarioError(
            _("{name} already exists in {folder}. Choose another title, or open that file.").format(
                name=path.name, folder=folder
            )
        )
    comps = [c for c in module.competencies if c in program.competencies] or list(program.competencies)[:1]
    text = fill_template(template if template is not None else template_text(), title, module_id, comps)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as fh:  # "x": never overwrite, even in a race
            fh.write(text)
    except FileExistsError:
        raise NewScenarioError(
            _("{name} already exists in {folder}. Choose another title.").format(name=path.name, folder=folder)
        ) from None
    return path
