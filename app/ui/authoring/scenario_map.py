"""The scenario map: nodes and choices drawn left to right, for trainers (right to left, mirrored,
in a right-to-left language: the start on the right, arrows pointing left, the key mirrored).

Endings are coloured by outcome, nodes with errors carry a red badge, nodes the start never
reaches are greyed, traps (no ending reachable) are orange. Hovering a node shows its text,
hovering an arrow its choice, effects and condition. Ctrl+wheel or +/- zoom, dragging pans,
0 fits. The layout itself is pure Python (app.modules.scenario.layout).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QMenu,
    QStyleOptionGraphicsItem,
    QWidget,
)

from app.core.i18n import N_, _, ngettext
from app.modules.scenario.layout import scenario_layout
from app.modules.scenario.map_facts import NodeFacts, choice_summary, map_facts
from app.ui.common import widgets as w

NODE_W, NODE_H = 220.0, 70.0
COLUMN = NODE_W + 110.0  # column pitch: room for arrows and their choice numbers
ROW = NODE_H + 34.0
MARGIN = 40.0
MIN_ZOOM, MAX_ZOOM = 0.04, 4.0
TEXT_LOD = 0.38  # below this zoom, nodes are drawn as coloured boxes without words
READABLE_ZOOM = 0.6  # "fit" never goes below this: a map too big to fit shows its start, readable
LEGEND_SHARE = 0.2  # the legend opens by itself only when it takes at most this share of the map's height

INK = QColor("#1d2430")
MUTED = QColor("#5b6675")
ACCENT = QColor("#2f5fb3")
FOCUS = QColor("#f0a500")
ERROR = QColor("#c62828")
# state -> (fill, border)
PLAIN = (QColor("#ffffff"), QColor("#5b6b82"))
OUTCOMES = {
    "success": (QColor("#c8e6c9"), QColor("#2e7d32")),
    "neutral": (QColor("#fff3c4"), QColor("#b58900")),
    "failure": (QColor("#f8cdd0"), QColor("#c62828")),
}
TRAP = (QColor("#ffe0cc"), QColor("#d84315"))
UNREACHABLE = (QColor("#ececec"), QColor("#a0a0a0"))
MISSING = (QColor("#f7f7f7"), QColor("#9e9e9e"))
EDGE = QColor("#7b8797")
SHARE = QColor("#5b3a9e")  # trainees' choice shares laid over the arrows


def colours(f: NodeFacts) -> tuple[QColor, QColor]:
    """(fill, border) of a node: missing, unreachable, trap, ending outcome, or plain."""
    if not f.exists:
        return MISSING
    if not f.reachable:
        return UNREACHABLE
    if f.trap:
        return TRAP
    if f.ending in OUTCOMES:
        return OUTCOMES[f.ending]
    return PLAIN


class NodeItem(QGraphicsItem):
    """One node: a rounded box with its id and the first words of its text."""

    def __init__(self, facts: NodeFacts, rtl: bool = False):
        super().__init__()
        self.facts = facts
        self.rtl = rtl  # mirrored inside: the start's bar and the words on the right, the badge on the left
        self.fill, self.border = colours(facts)
        self.highlighted = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setToolTip(w.plain_tip(self._tooltip()))
        self.setZValue(2)

    def _tooltip(self) -> str:
        f = self.facts
        if not f.exists:
            return _("#{node} does not exist: a choice points here. Add a node '## {node}' or fix the choice.").format(
                node=f.id
            )
        if f.ending and f.is_start:
            head = _("#{node} — ending: {ending} — the start").format(node=f.id, ending=ending_word(f.ending))
        elif f.ending:
            head = _("#{node} — ending: {ending}").format(node=f.id, ending=ending_word(f.ending))
        elif f.is_start:
            head = _("#{node} — the start").format(node=f.id)
        else:
            head = f"#{f.id}"
        notes = []
        if not f.reachable:
            notes.append(_("No path from the start reaches this node."))
        if f.trap:
            notes.append(_("Trap: no ending can be reached from here."))
        notes += [_("Error, line {line}: {message}").format(line=x.line, message=x.message) for x in f.errors]
        notes += [_("Warning, line {line}: {message}").format(line=x.line, message=x.message) for x in f.warnings]
        text = f.text if len(f.text) <= 900 else f.text[:900] + " …"
        return "\n\n".join(p for p in (head, text, "\n".join(notes)) if p)

    @property
    def node_id(self) -> str:
        return self.facts.id

    def boundingRect(self) -> QRectF:  # Qt's name
        return QRectF(-8, -22, NODE_W + 16, NODE_H + 30)

    def set_highlighted(self, on: bool) -> None:
        if on != self.highlighted:
            self.highlighted = on
            self.update()

    def _x(self, x: float, width: float) -> float:
        """The left of a box `width` wide that starts at `x` in a left-to-right node."""
        return NODE_W - x - width if self.rtl else x

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        f = self.facts
        edge = Qt.AlignmentFlag.AlignRight if self.rtl else Qt.AlignmentFlag.AlignLeft
        start = Qt.AlignmentFlag.AlignAbsolute | edge
        lod = option.levelOfDetailFromTransform(p.worldTransform())
        box = QRectF(0, 0, NODE_W, NODE_H)
        if self.highlighted:
            p.setPen(QPen(ACCENT, 7))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(box.adjusted(-3, -3, 3, 3), 12, 12)
        width = 3.0 if (f.errors or f.trap or f.ending) else 1.5
        pen = QPen(ERROR if f.errors else self.border, width)
        if not f.exists or not f.reachable:
            pen.setStyle(Qt.PenStyle.DashLine)
        if self.isSelected():
            pen = QPen(FOCUS, 4)
        p.setPen(pen)
        p.setBrush(QBrush(self.fill))
        p.drawRoundedRect(box, 10, 10)
        if f.is_start:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(ACCENT)
            p.drawRoundedRect(QRectF(self._x(0, 7), 3, 7, NODE_H - 6), 3, 3)
        if lod < TEXT_LOD:
            if f.errors:
                p.setBrush(ERROR)
                p.drawEllipse(QRectF(self._x(NODE_W - 22, 18), 4, 18, 18))
            return
        grey = not f.exists or not f.reachable
        title_font = QFont(p.font())
        title_font.setPointSizeF(10)
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(MUTED if grey else INK)
        title = f"#{f.id}" if f.exists else _("#{node}  (missing)").format(node=f.id)
        right = NODE_W - (34 if f.errors or f.warnings else 12)
        p.drawText(
            QRectF(self._x(14, right - 14), 6, right - 14, 18),
            start | Qt.AlignmentFlag.AlignVCenter,
            QFontMetricsF(title_font).elidedText(title, Qt.TextElideMode.ElideRight, right - 14),
        )
        body = QFont(p.font())
        body.setPointSizeF(8.5)
        body.setBold(False)
        p.setFont(body)
        p.setPen(MUTED if grey else QColor("#39424f"))
        words = f.snippet if f.exists else _("A choice points here, but the node is not written.")
        two_lines = QFontMetricsF(body).lineSpacing() * 2 + 1  # a partly cut third line reads badly
        body_box = QRectF(self._x(14, NODE_W - 24), 26, NODE_W - 24, two_lines)
        p.drawText(body_box, start | Qt.TextFlag.TextWordWrap, words)
        tag = _tag(f)
        if tag:
            small = QFont(body)
            small.setPointSizeF(7.5)
            small.setBold(True)
            p.setFont(small)
            fm = QFontMetricsF(small)
            w = fm.horizontalAdvance(tag) + 12
            colour = ERROR if f.errors else self.border
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawRoundedRect(QRectF(self._x(8, w), -18, w, 15), 4, 4)
            p.setPen(QColor("#ffffff"))
            p.drawText(QRectF(self._x(8, w), -18, w, 15), Qt.AlignmentFlag.AlignCenter, tag)
        if f.errors or f.warnings:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(ERROR if f.errors else QColor("#8a4b00"))
            badge = QRectF(self._x(NODE_W - 26, 20), 5, 20, 20)
            p.drawEllipse(badge)
            p.setPen(QColor("#ffffff"))
            p.setFont(title_font)
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, "!")

    def mouseDoubleClickEvent(self, event) -> None:
        view = _map_view(self)
        if view is not None and self.facts.exists:
            view.play_from.emit(self.facts.id)
        event.accept()

    def contextMenuEvent(self, event) -> None:
        view = _map_view(self)
        if view is not None:
            self.scene().clearSelection()
            self.setSelected(True)
            view.node_menu(self.facts, event.screenPos())
        event.accept()


# The endings' outcomes as the map names them (the outcome ids stay as written in the file).
OUTCOME_WORDS = {"success": N_("success"), "neutral": N_("neutral"), "failure": N_("failure")}


def ending_word(outcome: str) -> str:
    return _(OUTCOME_WORDS[outcome]) if outcome in OUTCOME_WORDS else outcome


def _tag(f: NodeFacts) -> str:
    """The small label above a node: what is special about it, in a word or two."""
    parts = []
    if f.is_start:
        parts.append(_("START"))
    if f.ending:
        parts.append(ending_word(f.ending).upper())
    if f.trap:
        parts.append(_("TRAP"))
    if f.exists and not f.reachable:
        parts.append(_("UNREACHABLE"))
    if f.errors:
        parts.append(ngettext("{n} ERROR", "{n} ERRORS", len(f.errors)).format(n=len(f.errors)))
    return " · ".join(parts)


def _map_view(item: QGraphicsItem):
    scene = item.scene()
    if scene is None:
        return None
    for v in scene.views():
        if isinstance(v, ScenarioMapView):
            return v
    return None


class EdgeItem(QGraphicsPathItem):
    """One choice: an arrow from its node to its target, dashed when it has a condition."""

    def __init__(
        self, source: str, target: str, number: int, choice, path: QPainterPath, arrow: QPolygonF, badge: QPointF
    ):
        super().__init__(path)
        self.source, self.target, self.number, self.choice = source, target, number, choice
        self.arrow = arrow
        self.badge = badge
        self.highlighted = False
        self._hover = False
        self.share: float | None = None  # the share of trainees' first attempts that took this choice
        # The share's label sits just past the choice number, along the arrow; neighbouring choices
        # of one node take turns nearer and further, so their labels never cover each other.
        first = path.elementAt(0) if path.elementCount() else None
        away = -1.0 if first is not None and badge.x() < first.x else 1.0
        self._label_at = badge + QPointF(away * (34 + 42 * (index_in_node(number) % 2)), 0)
        self.setAcceptHoverEvents(True)
        self.setToolTip(w.plain_tip(choice_summary(number, choice)))
        self.setZValue(1)
        self._stroke = None
        self._restyle()

    def mirror(self) -> None:
        """Flip the arrow across x = 0 (a right-to-left map is drawn left to right, then mirrored)."""
        flip = QTransform.fromScale(-1, 1)
        self.prepareGeometryChange()
        self.setPath(flip.map(self.path()))
        self.arrow = flip.map(self.arrow)
        self.badge = QPointF(-self.badge.x(), self.badge.y())
        self._label_at = QPointF(-self._label_at.x(), self._label_at.y())
        self._stroke = None

    def set_share(self, share: float | None) -> None:
        """Lay a share (0..1) of trainees' choices over the arrow: thicker, with "42 %"; None removes it."""
        if share != self.share:
            self.prepareGeometryChange()
            self.share = share
            summary = choice_summary(self.number, self.choice)
            if share is not None:
                shown = _("{percent} %").format(percent=round(share * 100))
                taken = _("Taken by {share} of trainees' first attempts that reached this point").format(share=shown)
                summary = "\n".join([summary, taken])
            self.setToolTip(summary)
            self._restyle()

    def _share_rect(self) -> QRectF:
        return QRectF(self._label_at - QPointF(19, 7.5), QSizeF(38, 15))

    def _restyle(self) -> None:
        colour = ACCENT if (self.highlighted or self._hover) else (SHARE if self.share is not None else EDGE)
        width = 3.5 if self.highlighted else (2.6 if self._hover else 1.5)
        if self.share is not None and not self.highlighted:
            width = max(width, 1.2 + 7 * self.share)
        pen = QPen(colour, width)
        if self.choice.condition:
            pen.setStyle(Qt.PenStyle.DashLine)
        self.setPen(pen)
        self.setZValue(3 if self.highlighted or self._hover else 1)

    def set_highlighted(self, on: bool) -> None:
        if on != self.highlighted:
            self.highlighted = on
            self._restyle()

    def hoverEnterEvent(self, event) -> None:
        self._hover = True
        self._restyle()
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self._hover = False
        self._restyle()
        super().hoverLeaveEvent(event)

    def shape(self) -> QPainterPath:
        if self._stroke is None:  # a wide band along the line, so the arrow is easy to hover
            stroker = QPainterPathStroker()
            stroker.setWidth(12)
            self._stroke = stroker.createStroke(self.path())
            self._stroke.addPolygon(self.arrow)
        return self._stroke

    def boundingRect(self) -> QRectF:
        return (
            super()
            .boundingRect()
            .united(self.arrow.boundingRect())
            .united(QRectF(self.badge - QPointF(9, 9), QSizeF(18, 18)))
            .united(self._share_rect() if self.share is not None else QRectF())
            .adjusted(-6, -6, 6, 6)
        )

    def paint(self, p: QPainter, option, widget=None) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(self.pen())
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(self.path())
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self.pen().color())
        p.drawPolygon(self.arrow)
        if option.levelOfDetailFromTransform(p.worldTransform()) >= 0.55:
            p.setBrush(QColor("#ffffff"))
            p.setPen(QPen(self.pen().color(), 1.2))
            r = QRectF(self.badge - QPointF(8, 8), QSizeF(16, 16))
            p.drawEllipse(r)
            f = QFont(p.font())
            f.setPointSizeF(7)
            f.setBold(True)
            p.setFont(f)
            p.setPen(INK)
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, str(self.number))
        if self.share is not None and option.levelOfDetailFromTransform(p.worldTransform()) >= 0.3:
            box = self._share_rect()
            p.setPen(QPen(SHARE, 1.2))
            p.setBrush(QColor("#ffffff"))
            p.drawRoundedRect(box, 8, 8)
            f = QFont(p.font())
            f.setPointSizeF(7)
            f.setBold(True)
            p.setFont(f)
            p.setPen(SHARE)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, _("{percent} %").format(percent=round(self.share * 100)))


def index_in_node(number: int) -> int:
    """A choice's 0-based index in its node, from the number shown on its arrow."""
    return number - 1


def _arrow_head(tip: QPointF, towards_x: float) -> QPolygonF:
    """A small triangle pointing along +x (or -x) ending at `tip`."""
    d = 1.0 if towards_x >= 0 else -1.0
    return QPolygonF([tip, QPointF(tip.x() - 10 * d, tip.y() - 5), QPointF(tip.x() - 10 * d, tip.y() + 5)])


LEGEND = [
    ("box", PLAIN, N_("A node")),
    ("start", PLAIN, N_("The start")),
    ("box", OUTCOMES["success"], N_("Ending: success")),
    ("box", OUTCOMES["neutral"], N_("Ending: neutral")),
    ("box", OUTCOMES["failure"], N_("Ending: failure")),
    ("box", TRAP, N_("Trap: no ending reachable")),
    ("dashed", UNREACHABLE, N_("Not reachable from the start")),
    ("error", PLAIN, N_("Has an error (hover to read it)")),
    ("line", None, N_("A choice (hover to read it)")),
    ("dashline", None, N_("A choice with a condition")),
    ("path", None, N_("The path of a play-test")),
]


SWATCH_W, ITEM_H = 26.0, 20.0


def _legend_cells(font: QFont, width: float | None) -> list[tuple[float, float]]:
    """Top-left of each legend entry: one column, or rows that wrap within `width`."""
    fm = QFontMetricsF(font)
    widths = [SWATCH_W + 14 + fm.horizontalAdvance(_(text)) + 18 for _kind, _pair, text in LEGEND]
    if width is None:
        return [(0.0, i * ITEM_H) for i in range(len(LEGEND))]
    cells, x, y = [], 0.0, 0.0
    for cw in widths:
        if x > 0 and x + cw > width - 16:
            x, y = 0.0, y + ITEM_H
        cells.append((x, y))
        x += cw
    return cells


def legend_size(font: QFont, width: float | None = None) -> QSizeF:
    fm = QFontMetricsF(font)
    if width is None:
        widest = max(fm.horizontalAdvance(_(text)) for _kind, _pair, text in LEGEND)
        return QSizeF(widest + 52, len(LEGEND) * ITEM_H + 16)
    cells = _legend_cells(font, width)
    return QSizeF(width, cells[-1][1] + ITEM_H + 10)


def paint_legend(p: QPainter, origin: QPointF, font: QFont, width: float | None = None) -> QSizeF:
    """What the colours and lines mean, in one column or (given a width) in wrapping rows;
    painted on screen and into exported pictures."""
    size = legend_size(font, width)
    rtl = p.layoutDirection() == Qt.LayoutDirection.RightToLeft

    def flip(r: QRectF) -> QRectF:  # mirrored within the key in a right-to-left language
        return QRectF(2 * origin.x() + size.width() - r.right(), r.y(), r.width(), r.height()) if rtl else r

    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor("#ccd3dd"), 1))
    p.setBrush(QColor(255, 255, 255, 235))
    p.drawRoundedRect(QRectF(origin, size), 8, 8)
    p.setFont(font)
    fm = QFontMetricsF(font)
    for (kind, pair, marked), (cx, cy) in zip(LEGEND, _legend_cells(font, width)):
        text = _(marked)
        x, y = origin.x() + 10 + cx, origin.y() + (8 if width is None else 5) + cy
        swatch = flip(QRectF(x, y + 3, SWATCH_W, 13))
        if kind in ("line", "dashline", "path"):
            pen = QPen(ACCENT if kind == "path" else EDGE, 3.5 if kind == "path" else 1.5)
            if kind == "dashline":
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(swatch.left(), swatch.center().y()), QPointF(swatch.right(), swatch.center().y()))
        else:
            fill, border = pair
            pen = QPen(ERROR if kind == "error" else border, 2 if kind != "box" or pair is not PLAIN else 1.2)
            if kind == "dashed":
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(fill)
            p.drawRoundedRect(swatch, 3, 3)
            if kind == "start":
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(ACCENT)
                p.drawRect(QRectF(swatch.right() - 4 if rtl else swatch.left(), swatch.top(), 4, swatch.height()))
            if kind == "error":
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(ERROR)
                p.drawEllipse(QRectF(swatch.left() if rtl else swatch.right() - 9, swatch.top() + 2, 9, 9))
        p.setPen(INK)
        words = flip(QRectF(x + SWATCH_W + 8, y, fm.horizontalAdvance(text) + 8, ITEM_H))
        p.drawText(words, Qt.AlignmentFlag.AlignVCenter, text)
    p.restore()
    return size


class MapLegend(QWidget):
    """The legend, in a strip above the map (the view keeps room for it with viewport margins).

    When the whole legend would take much of a small map pane it folds to one line, "Key";
    clicking it (or pressing K in the map) opens and closes it."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setAccessibleName(_("Map legend"))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.legend_font = QFont(self.font())
        self.legend_font.setPointSizeF(8.5)
        self.open: bool | None = None  # None: as room allows; True or False: as the trainer chose

    def full_height(self, width: int) -> int:
        return int(legend_size(self.legend_font, width).height()) + 2

    def folded_height(self) -> int:
        return int(ITEM_H) + 8

    def is_open(self, width: int, room: int) -> bool:
        if self.open is not None:
            return self.open
        return self.full_height(width) <= room * LEGEND_SHARE

    def height_for(self, width: int, room: int = 1 << 20) -> int:
        return self.full_height(width) if self.is_open(width, room) else self.folded_height()

    def toggle(self) -> None:
        view = self.parentWidget()
        self.open = not self.is_open(self.width(), view.height() if view is not None else 1 << 20)
        if view is not None:
            view.resizeEvent(None)
        self.update()

    def mousePressEvent(self, event) -> None:  # Qt's name
        self.toggle()
        event.accept()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        view = self.parentWidget()
        if self.is_open(self.width(), view.height() if view is not None else 1 << 20):
            paint_legend(p, QPointF(0.5, 0.5), self.legend_font, self.width() - 1)
            self.setToolTip(_("Click to fold the key"))
        else:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(QPen(QColor("#ccd3dd"), 1))
            p.setBrush(QColor(255, 255, 255, 235))
            box = QRectF(0.5, 0.5, self.width() - 1, self.height() - 1)
            p.drawRoundedRect(box, 8, 8)
            p.setFont(self.legend_font)
            p.setPen(INK)
            p.drawText(
                box.adjusted(10, 0, -10, 0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                _("▸ Key: what the colours and lines mean (click, or press K)"),
            )
            self.setToolTip(_("Click to show the key"))
        p.end()


class ScenarioMapView(QGraphicsView):
    """A scenario's nodes and choices as a left-to-right graph."""

    play_from = Signal(str)  # a node id: "Play-test from here" or a double-click
    node_selected = Signal(str)  # a node id, when the trainer clicks a node
    open_line = Signal(int)  # a line of the scenario file: "Open in editor at this node"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setAccessibleName(_("Scenario map"))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setBackgroundBrush(QColor("#f6f7f9"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.scenario = None
        self.rtl = False  # drawn mirrored (set with each scenario, from the view's direction)
        self.facts: dict[str, NodeFacts] = {}
        self.node_items: dict[str, NodeItem] = {}
        self.edge_items: list[EdgeItem] = []
        self.layout_result = None
        self.path: list[str] = []
        self.legend = MapLegend(self)
        self.scene().selectionChanged.connect(self._selection_changed)
        for keys, slot in (
            (QKeySequence.StandardKey.ZoomIn, self.zoom_in),
            (QKeySequence.StandardKey.ZoomOut, self.zoom_out),
        ):
            act = QAction(self)
            act.setShortcuts(keys)
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            act.triggered.connect(slot)
            self.addAction(act)

    # --- building ---------------------------------------------------------------------------
    def set_scenario(self, scenario, findings=()) -> None:
        """Draw `scenario`; findings default to the ones the loader attached to it."""
        self.scenario = scenario
        self.path = []
        self.rtl = self.isRightToLeft()
        scene = self.scene()
        scene.clearSelection()
        scene.clear()
        self.node_items, self.edge_items = {}, []
        if scenario is None:
            self.facts = {}
            return
        self.facts = map_facts(scenario, list(findings) or scenario.findings)
        reachable = {nid for nid, f in self.facts.items() if f.reachable and f.exists}
        lay, nodes, edges = scenario_layout(scenario, reachable)
        self.layout_result = lay
        for nid in nodes:
            item = NodeItem(self.facts[nid], self.rtl)
            item.setPos(self._node_pos(lay.layer[nid], lay.y[nid]))
            scene.addItem(item)
            self.node_items[nid] = item
        if lay.unreachable_from is not None:
            self._mark_unreachable_area(lay)
        k = 0
        for nid, node in scenario.nodes.items():
            n_choices = len(node.choices)
            for i, ch in enumerate(node.choices):
                edge = self._edge(nid, ch, i, n_choices, lay.routes[k], k in lay.back_edges)
                if edge is not None:
                    scene.addItem(edge)
                    self.edge_items.append(edge)
                k += 1
        if self.rtl:  # laid out left to right, then mirrored across x = 0: the start on the right
            for item in self.node_items.values():
                item.setPos(-item.x() - NODE_W, item.y())
            for edge in self.edge_items:
                edge.mirror()
        rect = scene.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN + 40)
        scene.setSceneRect(rect)

    @staticmethod
    def _node_pos(layer: int, row: float) -> QPointF:
        return QPointF(layer * COLUMN, row * ROW)

    def _mark_unreachable_area(self, lay) -> None:
        x = lay.unreachable_from * COLUMN - 30
        label = QGraphicsSimpleTextItem(_("Not reachable from the start →"))
        f = QFont(self.font())
        f.setPointSizeF(10)
        f.setBold(True)
        label.setFont(f)
        label.setBrush(MUTED)
        label.setPos(-x - label.boundingRect().width() if self.rtl else x, -60)
        self.scene().addItem(label)
        top = min(self.node_items[n].y() for n, l in lay.layer.items() if l >= lay.unreachable_from) - 30
        bottom = max(self.node_items[n].y() for n, l in lay.layer.items() if l >= lay.unreachable_from) + NODE_H + 20
        line_x = -(x - 20) if self.rtl else x - 20
        line = self.scene().addLine(
            line_x, min(top, -60), line_x, bottom, QPen(QColor("#b0b7c3"), 1.5, Qt.PenStyle.DashLine)
        )
        line.setZValue(0)

    def _edge(self, source: str, ch, index: int, count: int, route, back: bool) -> EdgeItem | None:
        a = self.node_items.get(source)
        b = self.node_items.get(ch.target)
        if a is None or b is None:
            return None
        number = index + 1
        path = QPainterPath()
        if a is b:  # a choice that stays on the same node: a small loop above it
            start = a.pos() + QPointF(NODE_W - 40, 0)
            end = a.pos() + QPointF(NODE_W - 80, 0)
            path.moveTo(start)
            path.cubicTo(start + QPointF(20, -60), end + QPointF(-20, -60), end)
            head = QPolygonF([end, end + QPointF(-5, -10), end + QPointF(5, -10)])
            return EdgeItem(source, ch.target, number, ch, path, head, start + QPointF(8, -24))
        if back:
            # A loop back to an earlier node runs leftwards through the same gaps between
            # columns as the other arrows (never through a node): from the source's left side
            # to the lower right corner of the target, below its choice ports.
            start = a.pos() + QPointF(0, NODE_H * 0.78)
            end = b.pos() + QPointF(NODE_W + 2, NODE_H * 0.92)
            points = [start] + [QPointF(c * COLUMN + NODE_W / 2, r * ROW + NODE_H / 2) for c, r in route] + [end]
            path.moveTo(start)
            for prev, pt in zip(points, points[1:]):
                dx = max(40.0, abs(pt.x() - prev.x()) / 2)
                path.cubicTo(prev - QPointF(dx, 0), pt + QPointF(dx, 0), pt)
            return EdgeItem(source, ch.target, number, ch, path, _arrow_head(end, -1), start + QPointF(-16, 0))
        # Forward: from the right side (ports spread by choice number) to the left side of the target.
        port_y = NODE_H * (index + 1) / (count + 1)
        start = a.pos() + QPointF(NODE_W, port_y)
        end = b.pos() + QPointF(-2, NODE_H / 2)
        points = [start] + [QPointF(c * COLUMN + NODE_W / 2, r * ROW + NODE_H / 2) for c, r in route] + [end]
        path.moveTo(start)
        prev = start
        for pt in points[1:]:
            # Leftwards only from an unreachable node into the main map: a wider S-curve.
            dx = max(40.0, abs(pt.x() - prev.x()) / 2) if pt.x() >= prev.x() else max(80.0, abs(pt.x() - prev.x()) / 3)
            path.cubicTo(prev + QPointF(dx, 0), pt - QPointF(dx, 0), pt)
            prev = pt
        return EdgeItem(source, ch.target, number, ch, path, _arrow_head(end, 1), start + QPointF(16, 0))

    # --- what the trainer does --------------------------------------------------------------
    def highlight_path(self, node_ids: list[str]) -> None:
        """Mark the nodes of a play-test's path and the choices between consecutive ones."""
        self.path = list(node_ids)
        on = set(self.path)
        steps = set(zip(self.path, self.path[1:]))
        for nid, item in self.node_items.items():
            item.set_highlighted(nid in on)
        for e in self.edge_items:
            e.set_highlighted((e.source, e.target) in steps)
        if self.path and self.path[-1] in self.node_items:
            self.ensureVisible(self.node_items[self.path[-1]], 60, 60)

    def set_choice_shares(self, shares: dict | None) -> None:
        """Lay trainees' choice shares over the arrows: (node id, choice index) -> 0..1; None or {} clears."""
        shares = shares or {}
        for e in self.edge_items:
            e.set_share(shares.get((e.source, e.number - 1)))

    def choice_shares(self) -> dict[tuple[str, int], float]:
        """The shares now shown on the map (tests)."""
        return {(e.source, e.number - 1): e.share for e in self.edge_items if e.share is not None}

    def highlighted_nodes(self) -> list[str]:
        return [nid for nid, item in self.node_items.items() if item.highlighted]

    def highlighted_edges(self) -> list[tuple[str, str]]:
        return [(e.source, e.target) for e in self.edge_items if e.highlighted]

    def select_node(self, node_id: str) -> None:
        item = self.node_items.get(node_id)
        if item is None:
            return
        self.scene().clearSelection()
        item.setSelected(True)
        self.centerOn(item)

    def selected_node(self) -> str | None:
        items = self.scene().selectedItems()
        return items[0].node_id if items and isinstance(items[0], NodeItem) else None

    def _selection_changed(self) -> None:
        nid = self.selected_node()
        if nid is not None:
            self.node_selected.emit(nid)

    def node_menu(self, facts: NodeFacts, where) -> None:
        menu = QMenu(self)
        play = menu.addAction(_("Play-test from here"))
        play.setEnabled(facts.exists)
        play.triggered.connect(lambda: self.play_from.emit(facts.id))
        edit = menu.addAction(_("Open in editor at this node"))
        edit.setEnabled(facts.exists and facts.line > 0)
        edit.triggered.connect(lambda: self.open_line.emit(facts.line))
        menu.addSeparator()
        menu.addAction(_("Fit the whole map"), self.fit)
        menu.popup(where)

    # --- zoom and pan -----------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        target = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom * factor))
        factor = target / self.zoom
        if abs(factor - 1) > 1e-6:
            self.scale(factor, factor)

    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.zoom_by(0.8)

    def fit(self) -> None:
        """The whole map in view (never magnified beyond 1:1, so a small map stays crisp). A map too
        big to fit at a readable size shows its start at READABLE_ZOOM instead of blank boxes; the
        − key still zooms out to see its shape."""
        rect = self.sceneRect()
        if rect.isEmpty():
            return
        self.resetTransform()
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom > 1:
            self.resetTransform()
            self.centerOn(rect.center())
        elif self.zoom < READABLE_ZOOM:
            self.zoom_by(READABLE_ZOOM / self.zoom)
            start = self.node_items.get(self.scenario.start) if self.scenario is not None else None
            if start is not None:  # the start at the left (the right in Arabic), the way the map reads
                centre = start.sceneBoundingRect().center()
                half = (self.viewport().width() / 2 - 150) / self.zoom
                self.centerOn(centre.x() - half if self.rtl else centre.x() + half, centre.y())

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.0015 ** event.angleDelta().y())
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        elif key == Qt.Key.Key_0:
            self.fit()
        elif key == Qt.Key.Key_K:
            self.legend.toggle()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def resizeEvent(self, event) -> None:
        width = self.width() - 2 * self.frameWidth()
        height = self.legend.height_for(width, self.height())
        if self.viewportMargins().top() != height + 4:
            self.setViewportMargins(0, height + 4, 0, 0)
        self.legend.setGeometry(self.frameWidth(), self.frameWidth(), width, height)
        if event is not None:
            super().resizeEvent(event)

    # --- pictures ---------------------------------------------------------------------------
    def _paint_picture(self, p: QPainter, size: QSizeF, scale: float) -> None:
        rect = self.sceneRect()
        if self.rtl:  # the title and the key as on screen
            p.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        p.fillRect(QRectF(0, 0, size.width(), size.height()), QColor("#ffffff"))
        title_font = QFont(self.font())
        title_font.setPointSizeF(14)
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(INK)
        title = self.scenario.title if self.scenario is not None else ""
        p.drawText(
            QRectF(20, 10, size.width() - 40, 30), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title
        )
        target = QRectF(0, 44, rect.width() * scale, rect.height() * scale)
        self.scene().render(p, target, rect)
        font = QFont(self.font())
        font.setPointSizeF(8.5)
        paint_legend(p, QPointF(20, 44 + target.height() + 6), font)

    def _picture_size(self, scale: float) -> QSizeF:
        rect = self.sceneRect()
        font = QFont(self.font())
        font.setPointSizeF(8.5)
        legend = legend_size(font)
        return QSizeF(
            max(rect.width() * scale, legend.width() + 40, 320), 44 + rect.height() * scale + legend.height() + 20
        )

    def export_png(self, path, scale: float = 1.0) -> Path:
        """The whole map as a PNG (title and legend included); very large maps are scaled down."""
        size = self._picture_size(scale)
        longest = max(size.width(), size.height())
        if longest > 12000:
            scale *= 12000 / longest
            size = self._picture_size(scale)
        image = QImage(QSize(int(size.width()), int(size.height())), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor("#ffffff"))
        p = QPainter(image)
        p.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self._paint_picture(p, size, scale)
        p.end()
        path = Path(path)
        if not image.save(str(path), "PNG"):
            raise OSError(_("could not write {file}").format(file=path))
        return path

    def export_svg(self, path) -> Path:
        """The whole map as an SVG picture, which stays sharp at any size."""
        from PySide6.QtSvg import QSvgGenerator

        size = self._picture_size(1.0)
        path = Path(path)
        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(QSize(int(size.width()), int(size.height())))
        gen.setViewBox(QRectF(0, 0, size.width(), size.height()))
        gen.setTitle(self.scenario.title if self.scenario is not None else _("Scenario map"))
        gen.setDescription(_("Scenario map exported by Peer Helper Trainer"))
        p = QPainter()
        if not p.begin(gen):
            raise OSError(_("could not write {file}").format(file=path))
        self._paint_picture(p, size, 1.0)
        p.end()
        return path
