"""The programme report as an A4 PDF, drawn with QPdfWriter and QPainter (QtGui only), like the
certificate: headings, sentences, and bar charts. Every section is on the page, even when it only
says "Nothing yet.". In a right-to-left language (the school's) the page mirrors: text from the
right margin, chart titles on the right and bars growing leftwards."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from app.core import i18n
from app.core.i18n import _

from .certificate_pdf import ensure_gui, local_date
from .report import Chart, Report

RESOLUTION = 300
INK, MUTED, BAR, RULE = QColor("#1f2937"), QColor("#4b5563"), QColor("#2a5db0"), QColor("#d1d5db")


def _mm(v: float) -> float:
    return v / 25.4 * RESOLUTION


def _font(points: float, bold: bool = False) -> QFont:
    f = QFont("Noto Sans")
    f.setPointSizeF(points)
    f.setBold(bold)
    return f


class _Pages:
    """A cursor down A4 pages: a new page when the next block does not fit."""

    def __init__(self, writer: QPdfWriter, painter: QPainter):
        self.writer, self.p = writer, painter
        rect = writer.pageLayout().paintRectPixels(RESOLUTION)
        self.width, self.height = rect.width(), rect.height()
        self.y = 0.0
        if i18n.is_right_to_left():
            painter.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # text starts at the right margin
        self.rtl = painter.layoutDirection() == Qt.LayoutDirection.RightToLeft

    def flip(self, r: QRectF) -> QRectF:
        """``r`` mirrored across the page in a right-to-left language (text alignment mirrors by itself)."""
        return QRectF(self.width - r.right(), r.y(), r.width(), r.height()) if self.rtl else r

    def words(self, text: str) -> str:
        """Content (a module's title, in its own language) kept whole inside a right-to-left page."""
        return i18n.isolate(text) if self.rtl else text

    def need(self, height: float) -> None:
        if self.y + height > self.height:
            self.writer.newPage()
            self.y = 0.0

    def text(self, text: str, font: QFont, colour: QColor = INK, gap: float = 0.0) -> None:
        self.p.setFont(font)
        self.p.setPen(colour)
        fm = QFontMetricsF(font, self.writer)
        box = fm.boundingRect(QRectF(0, 0, self.width, 1e6), int(Qt.TextFlag.TextWordWrap), text)
        self.need(box.height() + gap)
        self.p.drawText(QRectF(0, self.y, self.width, box.height()), int(Qt.TextFlag.TextWordWrap), text)
        self.y += box.height() + gap

    def chart(self, chart: Chart) -> None:
        """Horizontal bars, one row per label, the value written at the end of each bar."""
        label_font, value_font = _font(9), _font(9, True)
        fm = QFontMetricsF(label_font, self.writer)
        row = fm.height() * 1.5
        label_w = min(self.width * 0.38, max(fm.horizontalAdvance(label) for label in chart.labels) + _mm(3))
        self.text(chart.title, _font(10.5, True), gap=_mm(1.5))
        self.need(row * len(chart.labels) + _mm(4))
        top = max(chart.values) if chart.unit != "%" else 100
        top = top or 1
        bar_w = self.width - label_w - _mm(18)
        for label, value in zip(chart.labels, chart.values, strict=True):
            self.p.setFont(label_font)
            self.p.setPen(INK)
            self.p.drawText(
                self.flip(QRectF(0, self.y, label_w - _mm(2), row)),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                self.words(fm.elidedText(label, Qt.TextElideMode.ElideRight, label_w - _mm(2))),
            )
            length = bar_w * value / top
            self.p.fillRect(self.flip(QRectF(label_w, self.y + row * 0.2, max(length, _mm(0.4)), row * 0.6)), BAR)
            self.p.setFont(value_font)
            # "100 %" in Spanish and French, as the sentences of the report write a percentage
            shown = _("{percent}%").format(percent=f"{value:g}") if chart.unit == "%" else f"{value:g}{chart.unit}"
            self.p.drawText(
                self.flip(QRectF(label_w + length + _mm(1.5), self.y, _mm(16), row)),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                shown,
            )
            self.y += row
        self.p.setPen(QPen(RULE, _mm(0.2)))
        rule_x = self.width - label_w if self.rtl else label_w
        self.p.drawLine(rule_x, self.y - len(chart.labels) * row, rule_x, self.y)
        self.y += _mm(2)
        if chart.note:
            self.text(chart.note, _font(8.5), MUTED, gap=_mm(1))
        self.y += _mm(3)


def _a4_writer(path: Path, margin_mm: float) -> tuple[Path, Path, QPdfWriter]:
    """An A4 portrait PDF writer on `<path>.part`, moved into place once the page is drawn."""
    ensure_gui()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(tmp))
    writer.setResolution(RESOLUTION)
    margins = QMarginsF(margin_mm, margin_mm, margin_mm, margin_mm)
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, margins, QPageLayout.Unit.Millimeter
    )
    writer.setPageLayout(layout)
    return path, tmp, writer


def write_report(report: Report, path: Path) -> Path:
    """Draw the report to `path` (written whole, then moved into place)."""
    path, tmp, writer = _a4_writer(path, 18)
    writer.setTitle(_("Peer helper programme report: {school}").format(school=report.school))
    writer.setCreator("Peer Helper Trainer")
    painter = QPainter(writer)
    try:
        pages = _Pages(writer, painter)
        pages.text(_("Peer helper programme report"), _font(20, True), gap=_mm(2))
        pages.text(
            _("{school} · {date}").format(
                school=i18n.isolate(report.school or _("Our school")), date=i18n.isolate(local_date(report.made_on))
            ),
            _font(11),
            MUTED,
            gap=_mm(2),
        )
        pages.text(
            _("Figures about fewer than 5 people are withheld, because small groups can identify people."),
            _font(9),
            MUTED,
            gap=_mm(6),
        )
        for section in report.sections:
            pages.need(_mm(20))
            pages.text(section.title, _font(14, True), gap=_mm(2))
            for line in section.lines:
                pages.text(line, _font(10.5), gap=_mm(1.2))
            pages.y += _mm(2)
            for chart in section.charts:
                pages.chart(chart)
            pages.y += _mm(4)
    finally:
        painter.end()
    os.replace(tmp, path)
    return path


def write_recognition(school: str, names: list[tuple[str, str]], path: Path) -> Path:
    """A printable list of the school's peer helpers, one name a line, large enough to read aloud."""
    path, tmp, writer = _a4_writer(path, 22)
    writer.setTitle(_("Our peer helpers: {school}").format(school=school))
    painter = QPainter(writer)
    try:
        pages = _Pages(writer, painter)
        pages.text(_("Our peer helpers"), _font(26, True), gap=_mm(2))
        pages.text(school or _("Our school"), _font(13), MUTED, gap=_mm(8))
        if not names:
            pages.text(_("Nobody is on the list yet."), _font(13))
        for name, since in names:
            pages.text(name, _font(16, True), gap=_mm(0.5))
            pages.text(since, _font(10), MUTED, gap=_mm(3))
    finally:
        painter.end()
    os.replace(tmp, path)
    return path
