"""argparse's own words ("usage:", "options", its error messages) in the reader's language.

argparse translates its words with the module-global functions ``argparse._`` and
``argparse.ngettext`` (gettext's, on a catalogue nobody ships); ``install()`` points them to
ours, and the messages below (Python 3.11's, those a person using the command line can meet)
are listed so that scripts/i18n extracts them into our catalogue. They are %-formatted by
argparse: a translation keeps each %(name)s and %s.
"""

from __future__ import annotations

import argparse

from app.core.i18n import N_, _, ngettext

# Translators: argparse's words; keep %(prog)s, %(message)s, %s and the other %-placeholders as they are.
MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


def _plural_messages(n: int) -> tuple[str, ...]:  # pragma: no cover - never called: marks them for extraction
    return (ngettext("expected %s argument", "expected %s arguments", n),)


def install() -> None:
    """argparse speaks the program's language from now on (parsers built after this call)."""
    argparse._ = _
    argparse.ngettext = ngettext
