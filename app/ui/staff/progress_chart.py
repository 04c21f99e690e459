"""The cohort's progress per module: one stacked bar per module, painted with QPainter.

Each bar splits the trainees into complete / waiting for a sign-off / in progress / not
started, in the theme's colours (repainted when the theme or text size changes), with the counts
written on the bar and in the accessible description (for screen readers). In a right-to-left
language the chart mirrors like the layouts around it: titles on the right, bars growing leftwards.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.core.i18n import N_, _
from app.modules import competency as rules
from app.ui.common import theme
from app.ui.common.theme import Theme

# (state, legend (marked N_, translated where shown), the Theme field it is painted in)
SEGMENTS = (
    (rules.COMPLETE, N_("Complete"), "success"),
    (rules.WAITING_SIGN_OFF, N_("Waiting for a sign-off"), "warning"),
    (rules.IN_PROGRESS, N_("In progress"), "accent"),
    (rules.NOT_STARTED, N_("Not started"), "border"),
)
BAR_HEIGHT = 22  # at 100 % text; bars and gaps grow with the font
ROW_GAP = 10
LEGEND_HEIGHT = 28


def _luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance."""
    channels = (colour.redF(), colour.greenF(), colour.blueF())
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ink_on(fill: QColor, t: Theme) -> QColor:
    """Of the theme's text, window and surface colours, the one that reads best on `fill`
    (segments are light in the dark themes and dark in the light one)."""
    lum = _luminance(fill)
    return max(
        (QColor(c) for c in (t.text, t.window, t.surface)),
        key=lambda c: (max(lum, _luminance(c)) + 0.05) / (min(lum, _luminance(c)) + 0.05),
    )


class ProgressChart(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._modules: list[tuple[str, str]] = []  # (id, title)
        self._counts: dict[str, Counter] = {}
        self._message = _("Counting…")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(_("Progress of the cohort per module"))
        theme.notifier.changed.connect(self._restyle)

    def _restyle(self, _theme: Theme, _scale: float) -> None:
        self.updateGeometry()  # the text size sets the bars' height
        self.update()

    def _sizes(self) -> tuple[float, float, float]:
        """(bar height, gap, legend height), grown with the font from their sizes at 100 %; the
        legend takes more lines when large text does not fit on one."""
        fm = QFontMetricsF(self.font())
        grow = max(1.0, fm.height() / 17)
        lines = max(y for _x, y, _label, _field in self._legend_places(fm)) + 1
        return BAR_HEIGHT * grow, ROW_GAP * grow, LEGEND_HEIGHT * grow * lines

    def _label_width(self, fm: QFontMetricsF) -> float:
        return min(self.width() * 0.32, max((fm.horizontalAdvance(t) for _id, t in self._modules), default=100) + 16)

    def _legend_places(self, fm: QFontMetricsF) -> list[tuple[float, int, str, str]]:
        """(x, line, label, colour field) of each legend entry, lined up with the bars."""
        start = self._label_width(fm)
        x, line, out = start, 0, []
        for _state, english, field in SEGMENTS:
            label = _(english)
            width = fm.height() * 0.7 + 5 + fm.horizontalAdvance(label)
            if x > start and x + width > self.width() - 8:
                x, line = start, line + 1
            out.append((x, line, label, field))
            x += width + 22
        return out

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.sizeHint().height() != self.height():  # the legend took more or fewer lines
            self.updateGeometry()

    def set_modules(self, modules: list[tuple[str, str]]) -> None:
        self._modules = list(modules)
        self._counts = {}
        self._message = _("Counting…")
        self.updateGeometry()
        self.update()

    def set_counts(self, counts: dict[str, Counter]) -> None:
        self._counts = counts
        self._message = ""
        parts = []
        for mid, title in self._modules:
            c = counts.get(mid, Counter())
            parts.append(
                _(
                    "{module}: {complete} complete, {waiting} waiting for a sign-off, {started} in progress, "
                    "{not_started} not started"
                ).format(
                    module=title,
                    complete=c[rules.COMPLETE],
                    waiting=c[rules.WAITING_SIGN_OFF],
                    started=c[rules.IN_PROGRESS],
                    not_started=c[rules.NOT_STARTED],
                )
            )
        self.setAccessibleDescription("; ".join(parts))
        self.update()

    def counts(self) -> dict[str, Counter]:
        return self._counts

    def sizeHint(self) -> QSize:
        n = max(1, len(self._modules))
        bar, gap, legend = self._sizes()
        return QSize(600, round(legend + n * (bar + gap) + 8))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _flip(self, r: QRectF) -> QRectF:
        """``r`` as painted: mirrored across the widget in a right-to-left layout (the painter,
        begun on this widget, already mirrors text alignment)."""
        if not self.isRightToLeft():
            return r
        return QRectF(self.width() - r.right(), r.y(), r.width(), r.height())

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetricsF(self.font())
        label_w = self._label_width(fm)
        left, right = label_w, self.width() - 8
        t = theme.current()[0]
        bar, gap, legend = self._sizes()
        self._legend(p, fm, t, legend / (max(y for _x, y, _l, _f in self._legend_places(fm)) + 1))
        y = legend
        for mid, title in self._modules:
            p.setPen(QColor(t.text))
            text = fm.elidedText(title, Qt.TextElideMode.ElideRight, label_w - 12)
            p.drawText(
                self._flip(QRectF(0, y, label_w - 12, bar)),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            self._bar(p, fm, self._counts.get(mid), QRectF(left, y, right - left, bar), t)
            y += bar + gap
        p.end()

    def _legend(self, p: QPainter, fm: QFontMetricsF, t: Theme, line_height: float) -> None:
        swatch = fm.height() * 0.7
        for x, line, label, field in self._legend_places(fm):
            top = line * line_height
            p.setPen(QPen(QColor(t.text_muted), 1))  # outlined: "not started" is pale on a pale window
            p.setBrush(QColor(getattr(t, field)))
            p.drawRoundedRect(self._flip(QRectF(x, top + (line_height - swatch) / 2, swatch, swatch)), 3, 3)
            p.setPen(QColor(t.text_muted))
            p.drawText(
                self._flip(QRectF(x + swatch + 5, top, fm.horizontalAdvance(label) + 4, line_height)),
                Qt.AlignmentFlag.AlignVCenter,
                label,
            )

    def _bar(self, p: QPainter, fm: QFontMetricsF, counts: Counter | None, box: QRectF, t: Theme) -> None:
        p.setPen(QPen(QColor(t.border), 1))
        p.setBrush(QColor(t.surface_alt))
        shown = self._flip(box)
        p.drawRoundedRect(shown, 5, 5)
        total = sum(counts.values()) if counts else 0
        if not total:
            p.setPen(QColor(t.text_muted))
            p.drawText(shown, Qt.AlignmentFlag.AlignCenter, self._message or _("No trainees"))
            return
        x = box.x()
        p.save()
        p.setClipRect(shown)
        for state, _label, field in SEGMENTS:
            n = counts.get(state, 0)
            if not n:
                continue
            w = box.width() * n / total
            seg = self._flip(QRectF(x, box.y(), w, box.height()))
            fill = QColor(getattr(t, field))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(fill)
            p.drawRect(seg)
            if x > box.x():  # a line between segments: some themes' colours are close (two yellows)
                p.setPen(QPen(QColor(t.window), 2))
                edge = seg.right() if self.isRightToLeft() else seg.left()  # where this segment meets the last
                p.drawLine(QPointF(edge, seg.top()), QPointF(edge, seg.bottom()))
            text = str(n)
            if fm.horizontalAdvance(text) + 6 < w:
                p.setPen(ink_on(fill, t))
                p.drawText(seg, Qt.AlignmentFlag.AlignCenter, text)
            x += w
        p.restore()
