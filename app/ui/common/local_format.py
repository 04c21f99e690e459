"""Dates and numbers on screen as the reader's language writes them (QLocale's default, which
app/ui/common/language.py sets with the language): "28 de noviembre de 2026", "1 234,5", "28 نوفمبر 2026".

One digit style per language, whoever writes the number: Qt's fields (dates, spin boxes, progress
bars), these functions, the numbers Python fills into translated sentences and the PDFs. Arabic
uses Western digits (29, not ٢٩): see language.QT_LOCALES and docs/translating.md.

English keeps the program's own "28 November 2026". The PDFs (certificate, report) use
app.modules.certificate_pdf.local_date, in the school's language.
"""

from __future__ import annotations

from datetime import date, datetime

from app.core import i18n


def long_date(d: date) -> str:
    from app.modules.certificate_pdf import local_date

    return local_date(d, i18n.language())


def short_date(d: date | datetime) -> str:
    """A date in a list or a table, as a date field shows it ("14 Mar 2025", "14 mar 2025", "14 مارس 2025")."""
    from PySide6.QtCore import QDate, QLocale

    if isinstance(d, datetime):
        d = d.date()
    return QLocale().toString(QDate(d.year, d.month, d.day), "dd MMM yyyy")


def number(value: int | float, decimals: int | None = None) -> str:
    """A count or a figure with the language's digits and separators (English: as Python writes it)."""
    if i18n.language() == i18n.SOURCE_LANGUAGE:
        return f"{value:,.{decimals}f}" if decimals is not None else f"{value:,}"
    from PySide6.QtCore import QLocale

    locale = QLocale()
    if decimals is not None:
        return locale.toString(float(value), "f", decimals)
    return locale.toString(value) if isinstance(value, int) else locale.toString(float(value), "g", 12)
