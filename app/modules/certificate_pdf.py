"""One certificate as a one-page PDF, drawn with QPdfWriter and QPainter (QtGui only).

Landscape A4 or US Letter. Fonts come from the system (fontconfig): Noto when installed
(scripts/system-deps), so Latin, Cyrillic, Arabic and Chinese names all draw; Qt falls back
per character for anything else. Ligatures are off so PDF text extraction reads words as
they were written. The signed code is embedded twice: drawn as a QR code, and in the PDF's
XMP metadata where `certificates.code_in_pdf` finds it in the raw bytes. In a right-to-left
language (the school's) the page mirrors: the lists from the right with the QR code on the left,
the signature on the right and the date on the left.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from PySide6.QtCore import QByteArray, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
)

from app.core import i18n
from app.core.i18n import _

from .certificates import DISCLAIMER, CertificateData, Look, compact_code, completed_phrase, long_date, observed_phrase

RESOLUTION = 300  # dots per inch of the page's coordinate system
SERIF = [
    "Noto Serif",
    "Noto Naskh Arabic",
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
    "DejaVu Serif",
    "Liberation Serif",
    "Times New Roman",
    "serif",
]
SANS = ["Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", "DejaVu Sans", "Liberation Sans", "Arial", "sans-serif"]
INK = QColor("#1d2430")
MUTED = QColor("#4d5766")
NAVY = QColor("#1f3b73")
GOLD = QColor("#a8873a")
PAPER_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}


def ensure_gui() -> None:
    """Fonts and painting need a Qt application; the command line has none of its own."""
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        ensure_gui.app = QGuiApplication([])  # kept alive for the process


def local_date(d: date, language: str | None = None) -> str:
    """A date as ``language`` (default: the one in use; the school's while a certificate or the
    report is drawn) writes it: "28 November 2026", "28 de noviembre de 2026". The same words as
    certificates.long_date, so the printed-text check reads what the page prints."""
    if language is None:
        return long_date(d)
    with i18n.speaking(language):
        return long_date(d)


def mm(value: float) -> float:
    return value * RESOLUTION / 25.4


@lru_cache(maxsize=64)
def _font(serif: bool, points: float, weight: int = 400, italic: bool = False, spacing: float = 0.0) -> QFont:
    f = QFont()
    f.setFamilies(SERIF if serif else SANS)
    f.setPointSizeF(points)
    f.setWeight(QFont.Weight(weight))
    f.setItalic(italic)
    f.setFeature(QFont.Tag("liga"), 0)  # "Certificate", not "Certi\ufb01cate", in extracted text
    f.setFeature(QFont.Tag("clig"), 0)
    if spacing:
        f.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 100 + spacing)
    return f


@lru_cache(maxsize=4)
def _logo(path: str, mtime: float) -> QImage | None:
    image = QImage(path)
    return None if image.isNull() else image


@dataclass(frozen=True, slots=True)
class PageBox:
    width: float
    height: float


def _writer(path: Path, look: Look, data: CertificateData) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    size = QPageSize(PAPER_SIZES.get(look.paper, QPageSize.PageSizeId.A4))
    writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0)))
    writer.setResolution(RESOLUTION)
    writer.setTitle(f"{data.title}: {data.trainee_name} ({data.number})")
    writer.setCreator("Peer Helper Trainer")
    return writer


def xmp(data: CertificateData, code: str) -> bytes:
    """XMP metadata with the signed code, so a verifier finds it without reading the page."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pht="https://peer-helper-trainer.invalid/ns/certificate/1.0/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(data.title)}: '
        f"{escape(data.trainee_name)}</rdf:li></rdf:Alt></dc:title>"
        f"<pht:number>{escape(data.number)}</pht:number><pht:code>{code}</pht:code>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def write_pdf(data: CertificateData, code: str, path: Path, look: Look, qr: str | None = None) -> Path:
    """Draw the certificate to `path` (written whole, then moved into place).

    `qr` is what the QR code holds: the short signed reference (`certificates.qr_code`), or
    when not given the deflated full code, as on certificates printed before it.
    """
    ensure_gui()
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    writer = _writer(tmp, look, data)
    writer.setDocumentXmpMetadata(QByteArray(xmp(data, code)))
    painter = QPainter(writer)
    try:
        rect = writer.pageLayout().fullRectPixels(RESOLUTION)
        draw(painter, PageBox(rect.width(), rect.height()), data, code, look, qr)
    finally:
        painter.end()
    from app.core.private_files import make_private

    make_private(tmp)  # a trainee's certificate: this account only, like every export (issue 14)
    os.replace(tmp, path)
    return path


def page_box(paper: str) -> PageBox:
    size = QPageSize(PAPER_SIZES.get(paper, QPageSize.PageSizeId.A4)).sizePixels(RESOLUTION)
    return PageBox(max(size.width(), size.height()), min(size.width(), size.height()))  # landscape


def render_image(data: CertificateData, code: str, look: Look, width: int, qr: str | None = None) -> QImage:
    """The page as a picture `width` pixels wide (previews, and looking at it in tests)."""
    ensure_gui()
    box = page_box(look.paper)
    scale = width / box.width
    image = QImage(width, round(box.height * scale), QImage.Format.Format_RGB32)
    dots_per_metre = round(RESOLUTION / 0.0254)  # fonts sized as on the PDF page, then scaled
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    try:
        painter.scale(scale, scale)
        draw(painter, box, data, code, look, qr)
    finally:
        painter.end()
    return image


def draw(p: QPainter, page: PageBox, data: CertificateData, code: str, look: Look, qr: str | None = None) -> None:
    """The whole page, in device pixels (RESOLUTION dots per inch), in the school's language."""
    with i18n.speaking(look.language):
        _draw(p, page, data, code, look, qr)


def _draw(p: QPainter, page: PageBox, data: CertificateData, code: str, look: Look, qr: str | None) -> None:
    # Right to left: text aligned "left" starts at the right (the painter mirrors alignment); the
    # blocks placed by coordinates are mirrored below.
    rtl = i18n.is_right_to_left()
    p.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    w, h = page.width, page.height
    _frame(p, w, h)
    cx = w / 2
    y = mm(19)
    logo = _logo(str(look.logo), look.logo.stat().st_mtime) if look.logo and look.logo.is_file() else None
    if logo is not None:
        box_h, box_w = mm(17), mm(60)
        scale = min(box_h / logo.height(), box_w / logo.width())
        lw, lh = logo.width() * scale, logo.height() * scale
        p.drawImage(QRectF(cx - lw / 2, y, lw, lh), logo)
        y += lh + mm(3)
    else:
        y += mm(5)
    y = _line(p, data.school.upper(), _font(False, 13, 600, spacing=12), NAVY, cx, y, w - mm(70), shrink=True)
    y += mm(2)
    y = _line(p, data.title, _font(True, 32, 600), INK, cx, y, w - mm(60), shrink=True)
    y = _ornament(p, cx, y + mm(2.5))
    y += mm(3)
    y = _line(p, _("This is to record that"), _font(True, 13), MUTED, cx, y, w)
    y += mm(1.5)
    y = _line(p, data.trainee_name, _font(True, 30, 600), NAVY, cx, y, w - mm(80), shrink=True)
    p.setPen(QPen(GOLD, mm(0.35)))
    p.drawLine(QPointF(cx - mm(75), y + mm(1)), QPointF(cx + mm(75), y + mm(1)))
    y += mm(4)
    y = _line(
        p,
        _("completed the training programme “{programme}”").format(programme=data.programme),
        _font(True, 13),
        INK,
        cx,
        y,
        w - mm(60),
        shrink=True,
    )
    y = _line(
        p,
        _("and showed the skills below in practice role-plays watched by a trainer."),
        _font(True, 13),
        INK,
        cx,
        y,
        w - mm(60),
    )
    y += mm(6)
    # Below: the two lists, with the QR code in a column of its own on the right.
    qr_size = mm(36)
    lists_w = w - mm(30) - qr_size - mm(12) - mm(30)
    qr_x = mm(30) if rtl else w - mm(30) - qr_size
    lists_x = w - mm(30) - lists_w if rtl else mm(30)
    _lists(p, data, lists_x, y, lists_w, h - mm(46) - y)
    _qr_block(p, data, qr or compact_code(code), QRectF(qr_x, y + mm(1), qr_size, qr_size))
    _footer(p, data, w, h)


def _frame(p: QPainter, w: float, h: float) -> None:
    p.fillRect(QRectF(0, 0, w, h), QColor("#ffffff"))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(NAVY, mm(2.2)))
    p.drawRect(QRectF(mm(8), mm(8), w - mm(16), h - mm(16)))
    p.setPen(QPen(GOLD, mm(0.5)))
    p.drawRect(QRectF(mm(11), mm(11), w - mm(22), h - mm(22)))
    for x, y in ((mm(11), mm(11)), (w - mm(11), mm(11)), (mm(11), h - mm(11)), (w - mm(11), h - mm(11))):
        _diamond(p, x, y, mm(2.2))


def _diamond(p: QPainter, x: float, y: float, r: float) -> None:
    path = QPainterPath(QPointF(x, y - r))
    for px, py in ((x + r, y), (x, y + r), (x - r, y)):
        path.lineTo(px, py)
    path.closeSubpath()
    p.fillPath(path, GOLD)


def _ornament(p: QPainter, cx: float, y: float) -> float:
    p.setPen(QPen(GOLD, mm(0.35)))
    p.drawLine(QPointF(cx - mm(40), y), QPointF(cx - mm(4), y))
    p.drawLine(QPointF(cx + mm(4), y), QPointF(cx + mm(40), y))
    _diamond(p, cx, y, mm(1.6))
    return y + mm(2)


class _Device:
    """Font metrics in the page's resolution, before a painter exists."""

    def __init__(self) -> None:
        self._image: QImage | None = None

    def get(self) -> QImage:
        if self._image is None:
            self._image = QImage(1, 1, QImage.Format.Format_RGB32)
            self._image.setDotsPerMeterX(round(RESOLUTION / 0.0254))
            self._image.setDotsPerMeterY(round(RESOLUTION / 0.0254))
        return self._image


_device = _Device()


def _metrics(font: QFont) -> QFontMetricsF:
    return QFontMetricsF(font, _device.get())


def _line(
    p: QPainter, text: str, font: QFont, colour: QColor, cx: float, y: float, width: float, shrink: bool = False
) -> float:
    """One centred line; returns the y below it."""
    if shrink:
        font = QFont(font)
        while _metrics(font).horizontalAdvance(text) > width and font.pointSizeF() > 10:
            font.setPointSizeF(font.pointSizeF() - 1)
    p.setFont(font)
    p.setPen(colour)
    fm = _metrics(font)
    height = fm.height()
    flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
    bounds = p.boundingRect(QRectF(cx - width / 2, y, width, height * 4), flags, text)
    p.drawText(QRectF(cx - width / 2, y, width, bounds.height()), flags, text)
    return y + bounds.height()


def _lists(p: QPainter, data: CertificateData, x: float, y: float, width: float, height: float) -> None:
    """Two columns: modules completed, and competencies a trainer observed."""
    gap = mm(14)
    col = (width - gap) / 2
    modules = [(t, completed_phrase(d)) for t, d in data.modules]
    observed = [(c, observed_phrase(d, by)) for c, d, by in data.observed]
    rows = max(len(modules), len(observed), 1)
    rtl = p.layoutDirection() == Qt.LayoutDirection.RightToLeft

    def row_height(size: float, gap: float) -> float:  # a title, the line under it, the gap: as drawn below
        title_h = _metrics(_font(False, size, 600)).height()
        return title_h * (1 + gap) + _metrics(_font(False, size - 1.5)).height()

    # Shrink the lists' type when a programme has many modules, so the page stays one page and the
    # lists stay above the signature (Arabic's taller lines above leave them less room): down to
    # 7 points, then without the gaps between entries, then down to 6 points.
    size, gap = 11.5, 0.2
    while mm(9) + rows * row_height(size, gap) > height:
        if size > 7:
            size -= 0.5
        elif gap:
            gap = 0.0
        elif size > 6:
            size -= 0.5
        else:
            break
    headings = ((_("Modules completed"), modules), (_("Skills observed in role-plays"), observed))
    for i, (heading, items) in enumerate(headings):
        left = x + ((1 - i) if rtl else i) * (col + gap)  # the first list where reading starts
        p.setFont(_font(False, 9.5, 700, spacing=8))
        p.setPen(NAVY)
        p.drawText(
            QRectF(left, y, col, mm(6)), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, heading.upper()
        )
        p.setPen(QPen(GOLD, mm(0.3)))
        p.drawLine(QPointF(left, y + mm(6.5)), QPointF(left + col, y + mm(6.5)))
        yy = y + mm(9)
        body, small = _font(False, size, 600), _font(False, size - 1.5)
        line_h, small_h = _metrics(body).height(), _metrics(small).height()
        if not items:
            items = [(_("None recorded"), "")]
        for title, when in items:
            p.setFont(body)
            p.setPen(INK)
            p.drawText(
                QRectF(left, yy, col, line_h),
                Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextSingleLine,
                _whole(_metrics(body).elidedText(title, Qt.TextElideMode.ElideRight, col), rtl),
            )
            yy += line_h
            if when:
                p.setFont(small)
                p.setPen(MUTED)
                p.drawText(
                    QRectF(left, yy, col, small_h),
                    Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextSingleLine,
                    _metrics(small).elidedText(when, Qt.TextElideMode.ElideRight, col),
                )
                yy += small_h
            yy += line_h * gap


def _whole(text: str, rtl: bool) -> str:
    """Content (a module's title in its own language) kept whole on a right-to-left page."""
    return i18n.isolate(text) if rtl else text


def _qr_block(p: QPainter, data: CertificateData, code: str, box: QRectF) -> None:
    _qr(p, code, box)
    below = box.bottom() + mm(1.5)
    # Under the code, flush with its outer edge (the right; the left on a right-to-left page,
    # where the painter's mirrored alignment puts the words at the left).
    rtl = p.layoutDirection() == Qt.LayoutDirection.RightToLeft
    wide = QRectF(box.left() if rtl else box.right() - mm(70), below, mm(70), mm(5))
    p.setFont(_font(False, 9, 600))
    p.setPen(INK)
    p.drawText(wide, Qt.AlignmentFlag.AlignRight, _("Certificate {number}").format(number=_whole(data.number, rtl)))
    p.setFont(_font(False, 7))
    p.setPen(MUTED)
    p.drawText(
        wide.translated(0, mm(4.5)),
        Qt.AlignmentFlag.AlignRight,
        _("School key {key}").format(key=_whole(data.key_fingerprint, rtl)),
    )


def _footer(p: QPainter, data: CertificateData, w: float, h: float) -> None:
    line_y = h - mm(36)
    rtl = p.layoutDirection() == Qt.LayoutDirection.RightToLeft
    # Signature block, left (right on a right-to-left page; its words follow the painter's direction).
    sig_w = mm(80)
    left = w - mm(30) - sig_w if rtl else mm(30)
    p.setPen(QPen(INK, mm(0.3)))
    p.drawLine(QPointF(left, line_y), QPointF(left + sig_w, line_y))
    y = line_y + mm(1)
    for text, font, colour in (
        (data.signatory_name or _("Signature"), _font(True, 12, 600), INK),
        (data.signatory_title or data.school, _font(False, 9.5), MUTED),
    ):
        p.setFont(font)
        p.setPen(colour)
        fm = _metrics(font)
        p.drawText(
            QRectF(left, y, sig_w, fm.height()),
            Qt.AlignmentFlag.AlignLeft,
            fm.elidedText(text, Qt.TextElideMode.ElideRight, sig_w),
        )
        y += fm.height()
    # Date of issue, right (left on a right-to-left page).
    date_w = mm(70)
    right = mm(30) + date_w if rtl else w - mm(30)
    p.setPen(QPen(INK, mm(0.3)))
    p.drawLine(QPointF(right - date_w, line_y), QPointF(right, line_y))
    y = line_y + mm(1)
    for text, font, colour in (
        (long_date(data.issued_on), _font(True, 12, 600), INK),
        (_("Date of issue"), _font(False, 9.5), MUTED),
        *(
            [(_("Valid until {date}").format(date=long_date(data.valid_until)), _font(False, 9.5), MUTED)]
            if data.valid_until is not None
            else []
        ),
    ):
        p.setFont(font)
        p.setPen(colour)
        fm = _metrics(font)
        p.drawText(QRectF(right - date_w, y, date_w, fm.height()), Qt.AlignmentFlag.AlignRight, text)
        y += fm.height()
    # The disclaimer the content guide asks for, across the bottom.
    _line(p, _(DISCLAIMER), _font(False, 8), MUTED, w / 2, h - mm(19.5), w - mm(50))


def _qr(p: QPainter, code: str, box: QRectF) -> None:
    """The QR code as vector squares: crisp at any print size."""
    import segno

    # A fixed mask: choosing the "best" of eight costs ~50 ms in pure Python and any mask scans.
    qr = segno.make_qr(code, error="m", mask=0)
    matrix = qr.matrix
    n = len(matrix)
    quiet = 2
    cell = box.width() / (n + 2 * quiet)
    p.fillRect(box, QColor("#ffffff"))
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                # a tiny overlap hides hairline seams between runs in some viewers
                path.addRect(
                    QRectF(
                        box.x() + (quiet + start) * cell,
                        box.y() + (quiet + r) * cell,
                        (c - start) * cell + 0.5,
                        cell + 0.5,
                    )
                )
            else:
                c += 1
    p.fillPath(path, QColor("#000000"))
