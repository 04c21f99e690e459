"""The cohort's progress per module: one stacked bar per module, painted with QPainter.

Each bar splits the trainees into complete / waiting for a sign-off / in progress / not
started, in the dashboard's own colours, with the counts written on the bar and in the
accessible description (for screen readers).
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.modules import competency as rules

SEGMENTS = (
    (rules.COMPLETE, "Complete", "#1e6b34"),
    (rules.WAITING_SIGN_OFF, "Waiting for a sign-off", "#c07a16"),
    (rules.IN_PROGRESS, "In progress", "#2f5fb3"),
    (rules.NOT_STARTED, "Not started", "#d5dbe4"),
)
BAR_HEIGHT = 22
ROW_GAP = 10
LEGEND_HEIGHT = 28


class ProgressChart(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._modules: list[tuple[str, str]] = []  # (id, title)
        self._counts: dict[str, Counter] = {}
        self._message = "Counting…"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Progress of the cohort per module")

    def set_modules(self, modules: list[tuple[str, str]]) -> None:
        self._modules = list(modules)
        self._counts = {}
        self._message = "Counting…"
        self.updateGeometry()
        self.update()

    def set_counts(self, counts: dict[str, Counter]) -> None:
        self._counts = counts
        self._message = ""
        parts = []
        for mid, title in self._modules:
            c = counts.get(mid, Counter())
            parts.append(f"{title}: " + ", ".join(f"{c[s]} {label.lower()}" for s, label, _ in SEGMENTS))
        self.setAccessibleDescription("; ".join(parts))
        self.update()

    def counts(self) -> dict[str, Counter]:
        return self._counts

    def sizeHint(self) -> QSize:  # noqa: N802
        n = max(1, len(self._modules))
        return QSize(600, LEGEND_HEIGHT + n * (BAR_HEIGHT + ROW_GAP) + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetricsF(self.font())
        label_w = min(self.width() * 0.32, max((fm.horizontalAdvance(t) for _, t in self._modules), default=100) + 16)
        left, right = label_w, self.width() - 8
        self._legend(p, fm, left)
        y = LEGEND_HEIGHT
        for mid, title in self._modules:
            p.setPen(QColor("#1d2430"))
            text = fm.elidedText(title, Qt.TextElideMode.ElideRight, label_w - 12)
            p.drawText(QRectF(0, y, label_w - 12, BAR_HEIGHT), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
            self._bar(p, fm, self._counts.get(mid), QRectF(left, y, right - left, BAR_HEIGHT))
            y += BAR_HEIGHT + ROW_GAP
        p.end()

    def _legend(self, p: QPainter, fm: QFontMetricsF, x: float) -> None:
        y = 4
        for _state, label, colour in SEGMENTS:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(colour))
            p.drawRoundedRect(QRectF(x, y + 4, 12, 12), 3, 3)
            p.setPen(QColor("#4d5766"))
            p.drawText(QRectF(x + 17, y, fm.horizontalAdvance(label) + 4, 20), Qt.AlignmentFlag.AlignVCenter, label)
            x += 17 + fm.horizontalAdvance(label) + 22

    def _bar(self, p: QPainter, fm: QFontMetricsF, counts: Counter | None, box: QRectF) -> None:
        p.setPen(QPen(QColor("#ccd3dd"), 1))
        p.setBrush(QColor("#eef2f7"))
        p.drawRoundedRect(box, 5, 5)
        total = sum(counts.values()) if counts else 0
        if not total:
            p.setPen(QColor("#4d5766"))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, self._message or "No trainees")
            return
        x = box.x()
        p.save()
        clip = QRectF(box)
        p.setClipRect(clip)
        for state, _label, colour in SEGMENTS:
            n = counts.get(state, 0)
            if not n:
                continue
            w = box.width() * n / total
            seg = QRectF(x, box.y(), w, box.height())
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(colour))
            p.drawRect(seg)
            text = str(n)
            if fm.horizontalAdvance(text) + 6 < w:
                p.setPen(QColor("#1d2430") if state == rules.NOT_STARTED else QColor("#ffffff"))
                p.drawText(seg, Qt.AlignmentFlag.AlignCenter, text)
            x += w
        p.restore()
