"""Role-play scenarios (docs/scenario-format.md): the model, the Markdown and YAML forms, the
checker, the engine and the scenario map. Pure Python, no Qt.

Public API (what the UI and the command line use):

- `load_scenario(path, program, shown=None) -> (Scenario | None, [Finding])`: parse, validate
  and check one file. None only when it cannot be parsed at all.
- `load_scenarios(scenarios_dir, program, shown_base=None) -> ([Scenario], [Finding])`: every
  .md/.yaml/.yml file below the folder, sorted, with the cross-file duplicate-id check.
- `check_content_folder(content_dir, shown_base=None) -> [Finding]`: program.yaml, lessons
  (through app.modules.lessons.check_lessons, when present) and scenarios of a content folder.
- `Scenario`, `Node`, `TextBlock`, `Choice`, `Effect`, `Character`: the model (model.py).
- `Run`: `Run.start(scenario, at=None, variables=None, scores=None)`, `.node_id`,
  `.visible_lines() -> [Line]`, `.offered_choices() -> [(index_in_node, Choice)]`,
  `.hidden_choices() -> [(Choice, explanation)]`, `.choose(n) -> StepResult` (1-based among the
  offered; RunError, a ValueError, when not offered), `.scores`, `.variables`, `.path`, `.steps`,
  `.finished`, `.stuck`, `.ending`, `.outcome`, `.passed`, `.result()`, `.to_json()`,
  `Run.from_json(scenario, data)` (StaleRunError when the file's content hash changed).
- `write_markdown(scenario)`, `write_yaml(scenario)`, `to_dot(scenario)`, `to_mermaid(scenario)`.
- `CODES`: finding code -> (severity, meaning, fix).
"""

from .codes import CODES
from .engine import Line, Run, RunError, StaleRunError, StepResult
from .graph_export import to_dot, to_mermaid
from .loader import check_content_folder, load_scenario, load_scenarios, scenario_files
from .markdown_io import write_markdown
from .model import Character, Choice, Effect, Node, Scenario, TextBlock
from .yaml_io import write_yaml

__all__ = [
    "CODES",
    "Character",
    "Choice",
    "Effect",
    "Line",
    "Node",
    "Run",
    "RunError",
    "Scenario",
    "StaleRunError",
    "StepResult",
    "TextBlock",
    "check_content_folder",
    "load_scenario",
    "load_scenarios",
    "scenario_files",
    "to_dot",
    "to_mermaid",
    "write_markdown",
    "write_yaml",
]
