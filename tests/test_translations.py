"""The translation catalogues are complete and the code gives translators whole sentences (issue 18).

(a) every language shipped in app/locale translates every message of a fresh extraction;
(b) a translation has the placeholders of its source; (c) the committed .mo files say what the
.po files say; (d) the code passes string literals to _()/ngettext()/pgettext()/N_(), never joins
a translated piece with other text, and never uses ``_`` as a throwaway where it is the translator;
(e) text a person reads is not given to Qt or argparse untranslated.

Failures list file:line, so the message to fix can be found.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import string
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app"

TRANSLATORS = {"_", "gettext", "ngettext", "pgettext", "npgettext", "N_"}
# How many leading arguments of each are the message (the rest is a count).
LITERAL_ARGS = {"_": 1, "gettext": 1, "N_": 1, "ngettext": 2, "pgettext": 2, "npgettext": 3}


@cache
def i18n_script():
    """scripts/i18n.py, which knows how to extract (Babel, in the test extra)."""
    pytest.importorskip("babel")
    spec = importlib.util.spec_from_file_location("i18n_script", REPO / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def fresh_extraction():
    return i18n_script().extract_catalog()


def shipped() -> list[str]:
    return sorted(path.parent.parent.name for path in (APP / "locale").glob("*/LC_MESSAGES/peer_trainer.po"))


def source_files(folder: Path = APP, pattern: str = "*.py") -> list[Path]:
    return sorted(path for path in folder.rglob(pattern) if "__pycache__" not in path.parts)


@cache
def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(REPO)}:{node.lineno}"


# (a), (b), (c): the catalogues -------------------------------------------------------------------


def _forms(value) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return (value,)


@pytest.mark.parametrize("language", shipped())
def test_every_message_is_translated(language):
    script = i18n_script()
    catalog = script.read_catalog(script.po_path(language), locale=language)
    missing = []
    for message in fresh_extraction():
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        forms = _forms(found.string) if found is not None else ()
        if found is None or found.fuzzy or not all(forms):
            state = "missing" if found is None else "fuzzy" if found.fuzzy else "untranslated"
            where_from = ", ".join(sorted({loc for loc, _line in message.locations}))
            context = f"[{message.context}] " if message.context else ""
            missing.append(f"{state}: {context}{_forms(message.id)[0]!r} ({where_from})")
        elif isinstance(found.id, (tuple, list)) and len(forms) != catalog.num_plurals:
            missing.append(f"{len(forms)} of {catalog.num_plurals} plural forms: {found.id[0]!r}")
    total = len([m for m in fresh_extraction() if m.id])
    done = 100.0 * (total - len(missing)) / total if total else 100.0
    if missing:
        pytest.fail(
            f"{language}: {done:.1f} % translated; scripts/i18n update, then translate these "
            f"({len(missing)}):\n" + "\n".join(missing),
            pytrace=False,
        )


def placeholders(text: str) -> set[str] | None:
    """The {names} in a str.format pattern; None when the text is no valid pattern."""
    names = set()
    try:
        for _literal, field, _spec, _conversion in string.Formatter().parse(text):
            if field is not None:
                names.add(re.split(r"[.\[]", field, maxsplit=1)[0])
    except ValueError:
        return None
    return names


PERCENT = re.compile(r"%(?:\((\w+)\))?[sdr]")


def percent_placeholders(text: str) -> list[str]:
    """argparse's %(name)s and %s, in order for the unnamed ones (%% left out)."""
    found = [match.group(1) or match.group(0) for match in PERCENT.finditer(text.replace("%%", ""))]
    return sorted(name for name in found if not name.startswith("%")) + [n for n in found if n.startswith("%")]


@pytest.mark.parametrize("language", shipped())
def test_translations_keep_the_placeholders(language):
    script = i18n_script()
    catalog = script.read_catalog(script.po_path(language), locale=language)
    wrong = []
    for message in catalog:
        if not message.id or not any(_forms(message.string)):
            continue
        wanted_percent = percent_placeholders(_forms(message.id)[-1])
        if wanted_percent:  # argparse's words, %-formatted
            for form in [f for f in _forms(message.string) if f][-1:]:
                if percent_placeholders(form) != wanted_percent:
                    found = percent_placeholders(form)
                    wrong.append(f"{message.id!r}: {form!r} has {found}, the source {wanted_percent}")
            continue
        sources = [placeholders(text) for text in _forms(message.id)]
        if any(names is None for names in sources):
            continue  # braces that are not a pattern: the text is shown as written
        wanted = set().union(*sources)
        forms = [form for form in _forms(message.string) if form]
        for index, form in enumerate(forms):
            found = placeholders(form)
            if found is None:
                wrong.append(f"{message.id!r}: {form!r} is not a valid {{name}} pattern (a lone brace?)")
            elif found - wanted:
                wrong.append(f"{message.id!r}: {form!r} has {sorted(found - wanted)}, the source {sorted(wanted)}")
            elif not isinstance(message.id, (tuple, list)) and found != wanted:
                wrong.append(f"{message.id!r}: {form!r} lacks {sorted(wanted - found)}")
            elif isinstance(message.id, (tuple, list)) and index == len(forms) - 1 and found != wanted:
                # The singular forms (one, two...) may spell the number out; the general one may not.
                wrong.append(f"{message.id!r}: the last plural form {form!r} lacks {sorted(wanted - found)}")
    if wrong:
        pytest.fail(f"{language}: placeholders differ from the source:\n" + "\n".join(wrong), pytrace=False)


@pytest.mark.parametrize("language", shipped())
def test_compiled_catalogues_are_up_to_date(language):
    script = i18n_script()
    mo = script.po_path(language).with_suffix(".mo")
    assert mo.exists(), f"{mo.relative_to(REPO)} is missing: scripts/i18n compile"
    assert script.mo_matches_po(language), f"{mo.relative_to(REPO)} is older than its .po: scripts/i18n compile"


def test_the_script_extracts_a_message_with_its_context_and_plural(tmp_path, monkeypatch):
    """scripts/i18n's extraction sees _(), ngettext(), pgettext() and N_() (so test (a) means something)."""
    script = i18n_script()
    (tmp_path / "sample.py").write_text(
        "from app.core.i18n import _, N_, ngettext, pgettext\n"
        "A = N_('A label')\n"
        "def f(n):\n"
        "    # Translators: a greeting\n"
        "    return _('Hello {name}'), ngettext('{n} trainee', '{n} trainees', n), pgettext('button', 'Open')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(script, "SOURCE", tmp_path)
    catalog = script.extract_catalog()
    assert catalog.get("A label") is not None
    assert catalog.get("Hello {name}").auto_comments == ["a greeting"]
    assert catalog.get(("{n} trainee", "{n} trainees")) is not None
    assert catalog.get("Open", context="button") is not None


def test_the_script_updates_fills_and_compiles_a_language(tmp_path, monkeypatch, capsys):
    """scripts/i18n update creates a language's catalogue, fill copies a fragment's translations
    into it (by msgid and context, plural forms included), compile makes the .mo gettext reads."""
    import gettext

    script = i18n_script()
    source = tmp_path / "app"
    source.mkdir()
    (source / "sample.py").write_text(
        "from app.core.i18n import _, ngettext, pgettext\n"
        "def f(n):\n"
        "    return _('Hello {name}'), ngettext('{n} trainee', '{n} trainees', n), pgettext('button', 'Open')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(script, "SOURCE", source)
    monkeypatch.setattr(script, "LOCALE", source / "locale")
    monkeypatch.setattr(script, "POT", source / "locale" / "peer_trainer.pot")
    monkeypatch.setattr(script, "REPO", tmp_path)
    assert script.main(["extract"]) == 0
    assert script.main(["update", "es"]) == 0
    fragment = tmp_path / "ui.es.po"
    fragment.write_text(
        'msgid "Hello {name}"\nmsgstr "Hola {name}"\n\n'
        'msgctxt "button"\nmsgid "Open"\nmsgstr "Abrir"\n\n'
        'msgid "{n} trainee"\nmsgid_plural "{n} trainees"\nmsgstr[0] "{n} aprendiz"\nmsgstr[1] "{n} aprendices"\n\n'
        'msgid "Not in the program"\nmsgstr "No"\n',
        encoding="utf-8",
    )
    assert script.main(["fill", str(fragment)]) == 0
    assert "3 filled" in capsys.readouterr().out
    assert script.main(["compile"]) == 0
    assert script.catalogue_languages() == ["es"] and script.mo_matches_po("es")
    spanish = gettext.translation("peer_trainer", source / "locale", languages=["es"])
    assert spanish.gettext("Hello {name}") == "Hola {name}"
    assert spanish.pgettext("button", "Open") == "Abrir"
    assert spanish.ngettext("{n} trainee", "{n} trainees", 3) == "{n} aprendices"
    # Extracting again with nothing changed leaves the template as it was (no churn in git).
    before = script.POT.read_bytes()
    script.main(["extract"])
    assert script.POT.read_bytes() == before


# (d) the calls ---------------------------------------------------------------------------------


def called_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def is_translation(node: ast.AST) -> bool:
    """A call to _()/ngettext()/pgettext(), or such a call's .format(...)."""
    if not isinstance(node, ast.Call):
        return False
    name = called_name(node)
    if name in TRANSLATORS - {"N_"}:
        return True
    func = node.func
    return isinstance(func, ast.Attribute) and func.attr == "format" and is_translation(func.value)


def imports_translator(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith("i18n"):
            if any(alias.name == "_" and alias.asname in (None, "_") for alias in node.names):
                return True
    return False


def literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def marked_elsewhere(node: ast.AST) -> bool:
    """A name, attribute, item or call result: text marked for extraction with N_() where it is defined.
    What is never allowed is text built on the spot (an f-string, +, %, .format) and then translated."""
    if isinstance(node, ast.IfExp):
        return marked_elsewhere(node.body) and marked_elsewhere(node.orelse)
    if isinstance(node, ast.Call):
        return not (isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"))
    return isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)) or literal(node)


def test_translated_messages_are_literals_and_never_joined():
    problems = []
    for path in source_files():
        if path.parent.name == "locale" or path == APP / "core" / "i18n.py":
            continue
        tree = parse(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and called_name(node) in LITERAL_ARGS:
                if isinstance(node.func, ast.Attribute) and called_name(node) in ("_", "gettext"):
                    # e.g. translations.gettext(...) on another object: only the module's own functions count
                    if not (isinstance(node.func.value, ast.Name) and node.func.value.id == "i18n"):
                        continue
                count = LITERAL_ARGS[called_name(node)]
                for arg in node.args[:count]:
                    if called_name(node) in ("_", "gettext") and marked_elsewhere(arg):
                        continue  # _(label): a value marked N_("...") where it is defined, translated where shown
                    if not literal(arg):
                        kind = "an f-string" if isinstance(arg, ast.JoinedStr) else "not a string literal"
                        problems.append(f"{where(path, node)}: {called_name(node)}() is given {kind}")
                if len(node.args) < count and not node.keywords:
                    problems.append(f"{where(path, node)}: {called_name(node)}() needs {count} literal arguments")
            elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
                if is_translation(node.left) or is_translation(node.right):
                    op = "+" if isinstance(node.op, ast.Add) else "%"
                    problems.append(f"{where(path, node)}: a translated message joined with {op}: make it one message")
            elif isinstance(node, ast.JoinedStr):
                for part in node.values:
                    if isinstance(part, ast.FormattedValue) and is_translation(part.value):
                        problems.append(f"{where(path, node)}: a translated message inside an f-string")
                        break
    if problems:
        pytest.fail("Give translators whole sentences (app/core/i18n.py):\n" + "\n".join(problems), pytrace=False)


def test_the_translator_is_never_a_throwaway_name():
    """In a module that imports _, ``for _ in``/``a, _ = ...`` would hide it (UnboundLocalError at run time)."""
    problems = []
    for path in source_files():
        tree = parse(path)
        if not imports_translator(tree):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                problems.append(f"{where(path, node)}: `_` assigned here hides the translator; name it `_unused`")
            elif isinstance(node, ast.arg) and node.arg == "_":
                problems.append(f"{where(path, node)}: a parameter named `_` hides the translator")
            elif isinstance(node, ast.ExceptHandler) and node.name == "_":
                problems.append(f"{where(path, node)}: `except ... as _` hides the translator")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


# (e) text given to Qt and argparse -------------------------------------------------------------

# Methods (any object) and the positions of their arguments a person reads.
QT_TEXT_METHODS: dict[str, tuple[int, ...]] = {
    "setText": (0,),
    "setWindowTitle": (0,),
    "setToolTip": (0,),
    "setPlaceholderText": (0,),
    "setStatusTip": (0,),
    "setWhatsThis": (0,),
    "setAccessibleName": (0,),
    "setAccessibleDescription": (0,),
    "setTitle": (0,),
    "setInformativeText": (0,),
    "setDetailedText": (0,),
    "setLabelText": (0,),
    "setSpecialValueText": (0,),
    "setHeaderLabels": (0,),
    "showMessage": (0,),
    "addTab": (1, 2),
    "insertTab": (2, 3),
    "setTabText": (1,),
    "setTabToolTip": (1,),
    "addRow": (0,),
    "addButton": (0,),
    "addItem": (0,),
    "addAction": (0, 1),
    "addMenu": (0, 1),
    "information": (1, 2),
    "warning": (1, 2),
    "critical": (1, 2),
    "question": (1, 2),
    "about": (1, 2),
    "getText": (1, 2),
    "getItem": (1, 2),
    "getInt": (1, 2),
    "getExistingDirectory": (1,),
    "getSaveFileName": (1,),
    "getOpenFileName": (1,),
    "getOpenFileNames": (1,),
}
# Constructors and the project's helpers (app/ui/common/widgets.py): positions of their text arguments.
QT_TEXT_CALLS: dict[str, tuple[int, ...]] = {
    "QLabel": (0,),
    "QPushButton": (0, 1),
    "QToolButton": (),
    "QCheckBox": (0,),
    "QRadioButton": (0,),
    "QGroupBox": (0,),
    "QAction": (0, 1),
    "QMessageBox": (1, 2),
    "QCommandLinkButton": (0, 1),
    "QTableWidgetItem": (0,),
    "QListWidgetItem": (0,),
    "QTreeWidgetItem": (),
    "Label": (0,),
    "title": (0,),
    "plain_label": (0,),
    "rich_label": (0,),
    "muted": (0,),
    "button": (0,),
    "set_error": (1,),
    "show_plain_message": (1, 2),
    "plain_tip": (0,),
    "_heading": (0,),
    "heading": (0,),
}
QT_TEXT_KEYWORDS = {"tip", "text", "title", "toolTip", "placeholderText", "windowTitle"}
ARGPARSE_KEYWORDS = {"help", "description", "epilog", "title", "usage"}
ARGPARSE_CALLS: dict[str, tuple[int, ...]] = {"add_argument_group": (0, 1), "error": (0,), "ArgumentParser": ()}

MARKUP = re.compile(r"<[^<>]*>|&[#\w]+;")
WORDS = re.compile(r"[^\W\d_]{2,}")
SENTENCE = re.compile(r"[^\W\d_].*\s.*[^\W\d_]|\s[^\W\d_]", re.DOTALL)


def reads_as_text(value: str) -> bool:
    """Letters and a space ("Save the file"), or one capitalised word ("Save"); not ids, "PDF" or markup."""
    value = MARKUP.sub(" ", value).strip()
    if not WORDS.search(value):
        return False
    if SENTENCE.search(value):
        return True
    return bool(re.fullmatch(r"[^\W\d_][^\W\d_A-Z]+[.:!?…]*", value)) and value[0].isupper()


def untranslated(node: ast.AST | None):
    """The literal text inside ``node`` that reaches the reader untranslated (or None)."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return repr(node.value) if reads_as_text(node.value) else None
    if isinstance(node, ast.JoinedStr):
        text = "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
        return f"f{text!r}" if reads_as_text(text) else None
    if isinstance(node, ast.BinOp):
        return untranslated(node.left) or untranslated(node.right)
    if isinstance(node, ast.IfExp):
        return untranslated(node.body) or untranslated(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            found = untranslated(element)
            if found:
                return found
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return untranslated(node.func.value)
    return None


def untranslated_arguments(path: Path, methods, calls, keywords) -> list[str]:
    problems = []
    for node in ast.walk(parse(path)):
        if not isinstance(node, ast.Call):
            continue
        name = called_name(node)
        if isinstance(node.func, ast.Attribute) and name in methods:
            positions = methods[name]
        elif name in calls:
            positions = calls[name]
        else:
            positions = None
        arguments = []
        if positions is not None:
            arguments += [node.args[i] for i in positions if i < len(node.args)]
            arguments += [k.value for k in node.keywords if k.arg in keywords]
        elif keywords is ARGPARSE_KEYWORDS and name in ("add_argument", "add_parser", "add_subparsers"):
            arguments += [k.value for k in node.keywords if k.arg in keywords]
        for argument in arguments:
            text = untranslated(argument)
            if text:
                problems.append(f"{where(path, argument)}: {name}({text[:70]}) is not translated")
    return problems


def test_window_text_goes_through_the_translator():
    problems = []
    for path in source_files(APP / "ui"):
        problems += untranslated_arguments(path, QT_TEXT_METHODS, QT_TEXT_CALLS, QT_TEXT_KEYWORDS)
    if problems:
        pytest.fail(f"Wrap these in _() ({len(problems)}):\n" + "\n".join(problems), pytrace=False)


def test_command_line_help_goes_through_the_translator():
    problems = []
    for path in sorted(APP.glob("cli*.py")):
        problems += untranslated_arguments(path, {}, ARGPARSE_CALLS, ARGPARSE_KEYWORDS)
    if problems:
        pytest.fail(f"Wrap these in _() ({len(problems)}):\n" + "\n".join(problems), pytrace=False)


def test_the_text_check_sees_what_it_should():
    """The checks above flag a literal label and leave ids, symbols and translated text alone."""
    assert reads_as_text("Save the file")
    assert reads_as_text("Save")
    assert reads_as_text("Guardar…")
    assert not reads_as_text("PDF")
    assert not reads_as_text("trainee_id")
    assert not reads_as_text("✓")
    assert not reads_as_text("")
    assert not reads_as_text("<b>{}</b> — <br>")
    assert reads_as_text("<b>{}</b> of {} right")
    tree = ast.parse(
        "w.button('Save the file')\nlabel.setText(_('Saved'))\nlabel.setText(f'{n} saved')\n"
        "label.setObjectName('Title bar')\nbox.setText('OK' if x else 'Not yet')\n"
    )
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and called_name(node) != "_"]
    flagged = {
        node.lineno
        for node in calls
        if called_name(node) in ("button", "setText") and untranslated((node.args or [None])[0])
    }
    assert flagged == {1, 3, 5}
