"""The translation catalogues: extract the program's words, update, fill, compile and count them.

    scripts/i18n extract            app/**.py -> app/locale/peer_trainer.pot
    scripts/i18n update [LANG...]   the .pot -> app/locale/<lang>/LC_MESSAGES/peer_trainer.po (created when missing)
    scripts/i18n compile [LANG...]  each .po -> its .mo (what the program reads; committed)
    scripts/i18n fill FRAGMENT.po...  copy the translations of a fragment into its language's catalogue
    scripts/i18n stats              how much of each language is translated
    scripts/i18n all                extract, update, compile

Babel does the work (it is in the test extra; the program itself reads the .mo files with the
standard library's gettext). docs/translating.md is the translators' guide.

tests/test_translations.py loads this file for ``extract_catalog`` and ``catalogue_languages``.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "app"
LOCALE = SOURCE / "locale"
DOMAIN = "peer_trainer"
POT = LOCALE / f"{DOMAIN}.pot"
PROJECT = "Peer Helper Trainer"
# _ gettext ngettext N_ pgettext npgettext ... are Babel's defaults; named here so a reader sees them.
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "ngettext": (1, 2), "N_": None, "pgettext": ((1, "c"), 2)}
# "# Translators: ..." comments just above a message travel with it into the catalogue.
COMMENT_TAGS = ("Translators:",)
# gettext's usual two forms, which translators' tools expect; Babel's newer CLDR rules add a third
# ("many", for a million) to Spanish and French that no message here needs.
PLURAL_FORMS = {"es": (2, "(n != 1)"), "fr": (2, "(n > 1)"), "pt": (2, "(n != 1)"), "it": (2, "(n != 1)")}
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)?(?:[!:][^{}]*)?\}(?!\})")


def shipped_languages() -> list[str]:
    """The languages the program offers (app/core/i18n.py), the source language left out."""
    sys.path.insert(0, str(REPO))
    from app.core.i18n import LANGUAGE_NAMES, SOURCE_LANGUAGE

    return [code for code in LANGUAGE_NAMES if code != SOURCE_LANGUAGE]


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogue_languages() -> list[str]:
    """The languages that have a catalogue in app/locale (the ones the program ships)."""
    return sorted(path.parent.parent.name for path in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def extract_catalog() -> Catalog:
    """A fresh extraction of every message in app/ (file names without line numbers)."""
    sys.path.insert(0, str(REPO))
    from app import __version__

    catalog = Catalog(
        project=PROJECT,
        version=__version__,
        copyright_holder="the Peer Helper Trainer team",
        header_comment="# The words of Peer Helper Trainer, for translators (scripts/i18n extract writes this file).\n"
        "# This file is distributed under the same licence as the program (MIT).\n#",
        charset="utf-8",
        fuzzy=False,
    )
    found = extract_from_dir(
        str(SOURCE),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
        directory_filter=lambda path: "__pycache__" not in path and "/." not in path.replace("\\", "/"),
    )
    for filename, _lineno, message, comments, context in found:
        location = ("app/" + filename.replace("\\", "/"), None)
        catalog.add(message, None, [location], auto_comments=comments, context=context)
    return catalog


def render(catalog: Catalog, **options) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=None, sort_output=True, include_lineno=False, ignore_obsolete=True, **options)
    return out.getvalue()


def _without_dates(text: bytes) -> bytes:
    return re.sub(rb'"(POT-Creation-Date|PO-Revision-Date): [^"]*"', b"", text)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Writes ``data`` unless only the dates in the header differ (no churn in git)."""
    if path.exists() and _without_dates(path.read_bytes()) == _without_dates(data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def set_plural_forms(catalog: Catalog, language: str) -> None:
    if language in PLURAL_FORMS:
        catalog._num_plurals, catalog._plural_expr = PLURAL_FORMS[language]
        for message in catalog:
            if message.id and isinstance(message.id, (tuple, list)):
                forms = tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string,)
                message.string = (forms + ("",) * catalog.num_plurals)[: catalog.num_plurals]


def extract() -> None:
    catalog = extract_catalog()
    changed = write_if_changed(POT, render(catalog))
    print(f"{POT.relative_to(REPO)}: {len(catalog)} messages{'' if changed else ' (unchanged)'}")


def update(languages: list[str]) -> None:
    if not POT.exists():
        extract()
    template = read_catalog(POT)
    for language in languages:
        path = po_path(language)
        if path.exists():
            catalog = read_catalog(path, locale=language)
            catalog.update(template, update_creation_date=False)
            verb = "updated"
        else:
            catalog = read_catalog(POT, locale=language)
            catalog.locale = language  # the plural forms of the language come with it
            catalog.fuzzy = False
            verb = "created"
        set_plural_forms(catalog, language)
        changed = write_if_changed(path, render(catalog))
        print(f"{path.relative_to(REPO)}: {verb if changed else 'unchanged'}")


def compile_catalogues(languages: list[str]) -> int:
    problems = 0
    for language in languages:
        path = po_path(language)
        catalog = read_catalog(path, locale=language)
        for message, errors in catalog.check():
            for error in errors:
                problems += 1
                print(f"{path.relative_to(REPO)}: {message.id!r}: {error}", file=sys.stderr)
        out = io.BytesIO()
        write_mo(out, catalog, use_fuzzy=False)
        mo = path.with_suffix(".mo")
        changed = not mo.exists() or mo.read_bytes() != out.getvalue()
        if changed:
            mo.write_bytes(out.getvalue())
        print(f"{mo.relative_to(REPO)}: {'compiled' if changed else 'unchanged'}")
    return 1 if problems else 0


def fragment_language(path: Path, catalog: Catalog) -> str | None:
    """The language of a fragment: its header's Language, else its name (x.es.po, es.po, es/LC_MESSAGES/x.po)."""
    if catalog.locale is not None:
        return str(catalog.locale.language)
    shipped = shipped_languages()
    parts = path.name.split(".")
    for candidate in [*reversed(parts[:-1]), path.parent.parent.name, path.parent.name]:
        if candidate.split("_")[0].lower() in shipped:
            return candidate.split("_")[0].lower()
    return None


def _complete(string) -> bool:
    if isinstance(string, (tuple, list)):
        return bool(string) and all(string)
    return bool(string)


def placeholders(text: str) -> set[str]:
    return {match.group(1) or "" for match in PLACEHOLDER.finditer(text)}


def fill(fragments: list[Path], overwrite: bool = True, verbose: bool = False) -> int:
    status = 0
    for fragment in fragments:
        with fragment.open("rb") as handle:
            source = read_po(handle)
        language = fragment_language(fragment, source)
        if language is None:
            print(f"{fragment}: which language? Give it a Language header or a name like x.es.po", file=sys.stderr)
            status = 1
            continue
        path = po_path(language)
        if not path.exists():
            update([language])
        catalog = read_catalog(path, locale=language)
        filled = changed = kept = unknown = incomplete = mismatched = 0
        for message in source:
            if not message.id:
                continue  # the header
            if message.fuzzy or not _complete(message.string):
                incomplete += 1
                continue
            target = catalog.get(message.id, context=message.context)
            if target is None:
                unknown += 1
                if verbose:
                    print(f"{fragment}: not in the catalogue: {message.id!r}", file=sys.stderr)
                continue
            if isinstance(target.id, (tuple, list)) != isinstance(message.string, (tuple, list)):
                mismatched += 1
                print(f"{fragment}: {message.id!r}: singular/plural does not match the catalogue", file=sys.stderr)
                continue
            strings = message.string
            if isinstance(strings, (tuple, list)):
                forms = catalog.num_plurals
                if len(strings) > forms and len(set(strings[forms - 1 :])) == 1:
                    strings = strings[:forms]  # Babel's CLDR "many" form, a copy of the plural: gettext has 2
                if len(strings) != forms:
                    mismatched += 1
                    problem = f"{len(strings)} plural forms, {language} has {forms}"
                    print(f"{fragment}: {message.id!r}: {problem}", file=sys.stderr)
                    continue
                strings = tuple(strings)
            sources = target.id if isinstance(target.id, (tuple, list)) else (target.id,)
            wanted = set().union(*(placeholders(s) for s in sources))
            for string in strings if isinstance(strings, tuple) else (strings,):
                if placeholders(string) - wanted:
                    problem = f"placeholders {sorted(placeholders(string))} != {sorted(wanted)}"
                    print(f"{fragment}: {message.id!r}: {problem}", file=sys.stderr)
            if _complete(target.string) and not target.fuzzy:
                if target.string == strings:
                    kept += 1
                    continue
                if not overwrite:
                    kept += 1
                    continue
                changed += 1
            else:
                filled += 1
            target.string = strings
            target.flags.discard("fuzzy")
        write_if_changed(path, render(catalog))
        print(
            f"{fragment} -> {path.relative_to(REPO)}: {filled} filled, {changed} changed, {kept} already there, "
            f"{unknown} not in the catalogue, {incomplete} untranslated or fuzzy in the fragment"
            + (f", {mismatched} with the wrong shape" if mismatched else "")
        )
    return status


def stats() -> None:
    template = read_catalog(POT) if POT.exists() else extract_catalog()
    wanted = [(message.id, message.context) for message in template if message.id]
    print(f"{len(wanted)} messages in {POT.relative_to(REPO)}")
    for language in catalogue_languages():
        catalog = read_catalog(po_path(language), locale=language)
        done = fuzzy = 0
        for msgid, context in wanted:
            message = catalog.get(msgid, context=context)
            if message is not None and _complete(message.string):
                if message.fuzzy:
                    fuzzy += 1
                else:
                    done += 1
        percent = 100.0 * done / len(wanted) if wanted else 100.0
        print(f"{language:4} {percent:6.1f} %  {done} translated, {fuzzy} fuzzy, {len(wanted) - done - fuzzy} missing")


def _mo_contents(handle) -> dict:
    def key(value):
        return tuple(value) if isinstance(value, list) else value

    return {(key(m.id), m.context): key(m.string) for m in read_mo(handle) if m.id}


def mo_matches_po(language: str) -> bool:
    """Whether the committed .mo says what its .po says (the messages, not the bytes or the header)."""
    path = po_path(language)
    fresh = io.BytesIO()
    write_mo(fresh, read_catalog(path, locale=language), use_fuzzy=False)
    fresh.seek(0)
    with path.with_suffix(".mo").open("rb") as handle:
        return _mo_contents(handle) == _mo_contents(fresh)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/i18n", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("extract", help="app/**.py -> app/locale/peer_trainer.pot")
    for name, text in (("update", "the .pot -> each language's .po"), ("compile", "each .po -> .mo")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("languages", nargs="*", metavar="LANG")
    sub = commands.add_parser("fill", help="copy translations from fragment catalogues")
    sub.add_argument("fragments", nargs="+", type=Path, metavar="FRAGMENT.po")
    sub.add_argument("--keep", action="store_true", help="do not replace a translation already there")
    sub.add_argument("-v", "--verbose", action="store_true", help="list the messages the catalogue does not have")
    commands.add_parser("stats", help="percent translated per language")
    commands.add_parser("all", help="extract, update and compile")
    args = parser.parse_args(argv)
    if args.command == "extract":
        extract()
    elif args.command == "update":
        update(args.languages or shipped_languages())
    elif args.command == "compile":
        return compile_catalogues(args.languages or catalogue_languages())
    elif args.command == "fill":
        return fill(args.fragments, overwrite=not args.keep, verbose=args.verbose)
    elif args.command == "stats":
        stats()
    elif args.command == "all":
        extract()
        update(catalogue_languages())
        return compile_catalogues(catalogue_languages())
    return 0


if __name__ == "__main__":
    sys.exit(main())
