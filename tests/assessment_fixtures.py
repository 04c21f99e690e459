"""Small content written for the assessment tests: a scenario whose longest choice always wins,
one where it never does, a knowledge check whose correct answers are all the longest, and one
that only a reader passes."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

PROGRAM_SRC = Path(__file__).parent / "scenario_fixtures" / "content" / "program.yaml"


def _point(nid: str, nxt: str, options: list[tuple[str, int]]) -> str:
    lines = [f"## {nid}", "", f"**Sam:** Point {nid}.", ""]
    for text, score in options:
        lines.append(f"- [{text}](#{nxt}) {{confidentiality: {score:+d}}}")
        lines.append("  > Feedback.")
    return "\n".join(lines) + "\n\n"


def scenario(sid: str, points: list[list[tuple[str, int]]], feedback: str = "end", mark: int | None = None) -> str:
    mark = len(points) if mark is None else mark
    head = textwrap.dedent(
        f"""\
        ---
        id: {sid}
        title: {sid.replace("-", " ").capitalize()}
        module: confidentiality
        competencies: [confidentiality]
        characters:
          sam: {{name: Sam}}
        pass: {{confidentiality: {mark}}}
        feedback: {feedback}
        ---

        """
    )
    body = ""
    for i, options in enumerate(points):
        nxt = f"p{i + 2}" if i + 1 < len(points) else "done"
        body += _point(f"p{i + 1}", nxt, options)
    return head + body + "## done {ending: success}\n\nIt is over.\n"


# The best choice (+1) is always the longest; the others lose a point.
LONGEST_WINS = scenario(
    "longest-wins",
    [
        [("Tell me.", -1), ("I'm listening, take your time and tell me what happened.", 1), ("Later.", -1)],
        [("Sounds hard, and it makes sense that you feel let down by them.", 1), ("Ugh.", -1), ("Cheer up!", -1)],
        [("Fine.", -1), ("Who?", -1), ("Would it help to talk to the counsellor about it together?", 1)],
    ],
)

# The best choice is never the longest, nor the shortest, and moves about; a half-right choice loses nothing.
LONGEST_NEVER = scenario(
    "longest-never",
    [
        [("What happened?", 1), ("Oh no.", 0), ("Whatever it is, I promise I won't tell a single soul.", -1)],
        [("Just ignore them, honestly, they are not worth it at all.", -1), ("Hm.", 0), ("That hurt.", 1)],
        [("No.", 0), ("You should fight back and show them who is boss, seriously.", -1), ("Shall we ask?", 1)],
    ],
)


def question(prompt: str, options: list[tuple[str, bool]]) -> str:
    out = f"  - prompt: {prompt}\n    options:\n"
    for text, correct in options:
        out += f"      - text: {text}\n"
        if correct:
            out += "        correct: true\n"
        out += "        why: Because.\n"
    return out


def lesson(title: str, questions: list[str]) -> str:
    return f"---\ntitle: {title}\nquestions:\n" + "".join(questions) + "---\n\nSome words.\n"


# Every correct answer is the longest option, and never the first.
CHECK_LONGEST = lesson(
    "Longest wins",
    [
        question(f"Question {i}?", [("No.", False), ("Yes, as it shows you listened well.", True), ("Maybe.", False)])
        for i in range(5)
    ],
)

# The correct answer is of middling length and in varying places: only a reader passes.
CHECK_FAIR = lesson(
    "Fair check",
    [
        question("One?", [("Ask what happened.", True), ("Tell them to calm down now.", False), ("Go.", False)]),
        question("Two?", [("Say nothing at all to anyone.", False), ("Wait.", False), ("Offer to go too.", True)]),
        question("Three?", [("Hug.", False), ("Name the feeling.", True), ("Change the subject quickly.", False)]),
        question("Four?", [("Fix it for them today.", False), ("Ask them.", True), ("Leave.", False)]),
        question("Five?", [("Nod.", False), ("Promise to keep it secret.", False), ("Tell an adult.", True)]),
    ],
)


def content_folder(root: Path, scenarios: dict[str, str] = (), lessons: dict[str, str] = ()) -> Path:
    """A content folder with the fixture program, the given scenarios and lessons (file name -> text)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROGRAM_SRC, root / "program.yaml")
    for name, text in dict(scenarios).items():
        (root / "scenarios").mkdir(exist_ok=True)
        (root / "scenarios" / name).write_text(text, encoding="utf-8")
    for name, text in dict(lessons).items():
        folder = root / "lessons" / "confidentiality"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return root
