"""A scenario map's layout: layers that read left to right, few crossings, tidy rows.

A light Sugiyama method, pure Python and linear-ish in nodes + edges (+ the length of long
edges):

1. Back edges (choices that loop back) are found by an iterative depth-first search from the
   start in choice order, and turned round for layering only.
2. Layers: the longest path from the start, so every forward choice points to the right.
   Nodes no path from the start reaches get their own columns after the last one.
3. Long edges get one virtual point per layer they cross, so crossing reduction sees them
   and the map can route them between nodes instead of through them.
4. Order in each layer: barycentre sweeps (down, then up), keeping the order with the fewest
   crossings, counted exactly with a Fenwick tree.
5. Rows: each node moves towards the mean row of its neighbours, kept in order and at least
   one row apart (isotonic regression by pool-adjacent-violators: linear per layer).

Coordinates are in abstract units: `layer` is a column index, `y` a row (1.0 = one node
height plus a gap). The map widget multiplies them into pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SWEEPS = 6  # barycentre sweeps (each down and up); crossings rarely improve after four


@dataclass(slots=True)
class Layout:
    layer: dict[str, int] = field(default_factory=dict)  # node -> column
    y: dict[str, float] = field(default_factory=dict)  # node -> row (may be fractional)
    routes: list[list[tuple[int, float]]] = field(default_factory=list)  # per edge: (column, row) bends
    back_edges: set[int] = field(default_factory=set)  # indexes of edges that point leftwards (loops)
    columns: int = 0  # how many columns in all
    unreachable_from: int | None = None  # the first column of nodes the start does not reach
    crossings: int = 0  # edge crossings between neighbouring columns, after ordering
    crossings_before: int = 0  # the same for the first (reading) order, to show what ordering gained


def layered_layout(
    nodes: list[str],
    edges: list[tuple[str, str]],
    start: str | None,
    reachable: set[str] | None = None,
    sweeps: int = SWEEPS,
) -> Layout:
    """Lay out `nodes` (in reading order) joined by `edges` (source, target), from `start`.

    Edges whose ends are not both in `nodes` are ignored; self-loops get no route. `reachable`
    is what the checker found reachable from the start (computed here when None).
    """
    index = {n: i for i, n in enumerate(nodes)}
    n = len(nodes)
    out: list[list[tuple[int, int]]] = [[] for _ in range(n)]  # (target, edge index), in choice order
    for k, (a, b) in enumerate(edges):
        ia, ib = index.get(a), index.get(b)
        if ia is not None and ib is not None and ia != ib:
            out[ia].append((ib, k))
    s = index.get(start) if start is not None else None
    if reachable is None:
        reach = _reach(s, out, n)
    else:
        reach = [nodes[i] in reachable for i in range(n)]
    result = Layout(routes=[[] for _ in edges])

    # 1. Depth-first orders and back edges: the reachable part from the start, the rest from
    # its own roots (nodes nothing else unreachable points to, in reading order).
    order: list[int] = []
    seen = [False] * n
    back: set[int] = set()
    roots = [s] if s is not None and reach[s] else []
    _dfs(roots, out, seen, order, back, allowed=reach)
    main_count = len(order)
    rest = [i for i in range(n) if not reach[i]]
    has_pred = [False] * n
    for u in rest:
        for v, _ in out[u]:
            if not reach[v]:
                has_pred[v] = True
    _dfs([u for u in rest if not has_pred[u]] + rest, out, seen, order, back, allowed=[not r for r in reach])
    result.back_edges = back

    # 2. Longest-path layers over the forward edges, in the DFS's reverse post-order (a topological order).
    layer = [0] * n
    topo = _topological(order[:main_count], out, back) + _topological(order[main_count:], out, back)
    for u in topo:
        for v, k in out[u]:
            if k not in back and reach[u] == reach[v] and layer[u] + 1 > layer[v]:
                layer[v] = layer[u] + 1
    main_width = 1 + max((layer[i] for i in range(n) if reach[i]), default=-1)
    if any(not r for r in reach):
        result.unreachable_from = main_width
        for i in range(n):
            if not reach[i]:
                layer[i] += main_width
    result.columns = 1 + max(layer, default=-1)

    # 3. Columns with virtual points for long edges (and for loops, walked the other way).
    cols: list[list[int]] = [[] for _ in range(result.columns)]  # ids: real nodes < n, virtual >= n
    col_of = list(layer)  # the column of every id, real or virtual
    for u in order:  # the DFS pre-order: choice 1 above choice 2, as the file reads
        cols[layer[u]].append(u)
    up: list[list[int]] = [[] for _ in range(n)]  # neighbours in the column to the left
    down: list[list[int]] = [[] for _ in range(n)]  # neighbours in the column to the right
    virtual_of_edge: dict[int, list[int]] = {}
    for u in range(n):
        for v, k in out[u]:
            if reach[u] != reach[v]:
                continue  # unreachable -> reachable: drawn directly, no part in ordering
            a, b = (v, u) if k in back else (u, v)
            la, lb = layer[a], layer[b]
            if lb <= la:
                continue
            chain = [a]
            for col in range(la + 1, lb):
                vid = len(up)
                up.append([])
                down.append([])
                cols[col].append(vid)
                col_of.append(col)
                chain.append(vid)
            chain.append(b)
            for x, y in zip(chain, chain[1:]):
                down[x].append(y)
                up[y].append(x)
            if len(chain) > 2:
                virtual_of_edge[k] = chain[1:-1] if k not in back else chain[-2:0:-1]

    # 4. Order within columns.
    pos = [0] * len(up)
    _number(cols, pos)
    result.crossings_before = best = _all_crossings(cols, down, pos)
    best_cols = [c[:] for c in cols]
    for _ in range(sweeps):
        if best == 0:
            break
        for col in range(1, len(cols)):
            _sort_by_barycentre(cols[col], up, pos)
        for col in range(len(cols) - 2, -1, -1):
            _sort_by_barycentre(cols[col], down, pos)
        now = _all_crossings(cols, down, pos)
        if now < best:
            best, best_cols = now, [c[:] for c in cols]
    cols = best_cols
    _number(cols, pos)
    result.crossings = best

    # 5. Rows: pull towards neighbours, left to right then right to left, keeping order and spacing.
    row = [0.0] * len(up)
    for c in cols:
        for r, u in enumerate(c):
            row[u] = float(r)
    for neighbours, sequence in (
        (up, range(1, len(cols))),
        (down, range(len(cols) - 2, -1, -1)),
        (up, range(1, len(cols))),
    ):
        for col in sequence:
            c = cols[col]
            wanted = [sum(row[x] for x in neighbours[u]) / len(neighbours[u]) if neighbours[u] else row[u] for u in c]
            for u, value in zip(c, _spaced(wanted)):
                row[u] = value
    low = min(row, default=0.0)
    for i in range(n):
        result.layer[nodes[i]] = layer[i]
        result.y[nodes[i]] = row[i] - low
    for k, chain in virtual_of_edge.items():
        result.routes[k] = [(col_of[x], row[x] - low) for x in chain]
    return result


def _reach(s: int | None, out, n: int) -> list[bool]:
    seen = [False] * n
    if s is None:
        return seen
    seen[s] = True
    stack = [s]
    while stack:
        u = stack.pop()
        for v, _ in out[u]:
            if not seen[v]:
                seen[v] = True
                stack.append(v)
    return seen


def _dfs(roots, out, seen, order, back, allowed) -> None:
    """Iterative DFS in choice order: pre-order into `order`, edges to an open node into `back`."""
    open_ = [False] * len(seen)
    for root in roots:
        if seen[root] or not allowed[root]:
            continue
        seen[root] = open_[root] = True
        order.append(root)
        work = [(root, 0)]
        while work:
            u, i = work[-1]
            if i < len(out[u]):
                work[-1] = (u, i + 1)
                v, k = out[u][i]
                if not allowed[v]:
                    continue
                if open_[v]:
                    back.add(k)
                elif not seen[v]:
                    seen[v] = open_[v] = True
                    order.append(v)
                    work.append((v, 0))
                continue
            open_[u] = False
            work.pop()


def _topological(part: list[int], out, back) -> list[int]:
    """Kahn's algorithm over the forward edges inside `part`, ties broken by DFS pre-order."""
    members = set(part)
    indeg = {u: 0 for u in part}
    for u in part:
        for v, k in out[u]:
            if k not in back and v in members:
                indeg[v] += 1
    ready = [u for u in reversed(part) if indeg[u] == 0]
    result = []
    while ready:
        u = ready.pop()
        result.append(u)
        for v, k in reversed(out[u]):
            if k not in back and v in members:
                indeg[v] -= 1
                if indeg[v] == 0:
                    ready.append(v)
    return result


def _number(cols, pos) -> None:
    for c in cols:
        for r, u in enumerate(c):
            pos[u] = r


def _sort_by_barycentre(col: list[int], neighbours, pos) -> None:
    keyed = []
    for r, u in enumerate(col):
        nb = neighbours[u]
        keyed.append((sum(pos[x] for x in nb) / len(nb) if nb else float(pos[u]), r, u))
    keyed.sort()
    for r, (_, _, u) in enumerate(keyed):
        col[r] = u
        pos[u] = r


def _all_crossings(cols, down, pos) -> int:
    total = 0
    for c, nxt in zip(cols, cols[1:]):
        pairs = sorted((pos[u], pos[v]) for u in c for v in down[u])
        total += _inversions([b for _, b in pairs], len(nxt))
    return total


def _inversions(seq: list[int], size: int) -> int:
    """Pairs i < j with seq[i] > seq[j], with a Fenwick tree: O(len log size)."""
    tree = [0] * (size + 1)
    count = 0
    for seen, value in enumerate(seq):
        i, le = value + 1, 0
        while i > 0:
            le += tree[i]
            i -= i & -i
        count += seen - le
        i = value + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return count


def _spaced(wanted: list[float]) -> list[float]:
    """The rows closest to `wanted` (least squares) that keep the order, one row apart at least."""
    # With z_i = y_i - i the constraint becomes z non-decreasing: isotonic regression (PAVA).
    blocks: list[list[float]] = []  # [mean, weight]
    for i, w in enumerate(wanted):
        blocks.append([w - i, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2 = blocks.pop()
            m1, w1 = blocks[-1]
            blocks[-1] = [(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2]
    out: list[float] = []
    for mean, weight in blocks:
        out.extend([mean] * int(weight))
    return [z + i for i, z in enumerate(out)]


def scenario_layout(
    scenario, reachable: set[str] | None = None, sweeps: int = SWEEPS
) -> tuple[Layout, list[str], list[tuple[str, str]]]:
    """The layout of a scenario's map: nodes (plus choices' missing targets) and one edge per choice.

    Returns (layout, node ids, edges) where edge k is the k-th choice in reading order.
    """
    nodes = list(scenario.nodes)
    known = set(nodes)
    edges: list[tuple[str, str]] = []
    for nid, node in scenario.nodes.items():
        for ch in node.choices:
            if ch.target and ch.target not in known:
                known.add(ch.target)
                nodes.append(ch.target)  # a missing target: drawn as a dashed placeholder
            edges.append((nid, ch.target))
    if reachable is not None:  # a missing target is as reachable as the choices that point to it
        reachable = set(reachable) | {b for a, b in edges if a in reachable and b not in scenario.nodes}
    return (
        layered_layout(nodes, edges, scenario.start if scenario.start in scenario.nodes else None, reachable, sweeps),
        nodes,
        edges,
    )
