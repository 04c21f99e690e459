"""Graph analysis of a scenario: reachability, traps, and the best score per competency.

Everything is iterative (no recursion, so a 10,000-node file cannot hit Python's stack
limit) and linear in nodes + choices, except one case: a loop whose choices both raise
and lower the same score needs Bellman-Ford over that loop's nodes only.

Best score: conditions are ignored, so it is an upper bound over every path from the
start to an ending. A choice that sets a score (`=N`), or a target node whose `set`
does, resets it; other choices add to it. A loop whose additions sum to more than 0
makes the best score unlimited (and can be farmed).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from .model import ADD, Choice, Scenario

INF = float("inf")
BF_LIMIT = 2_000_000  # steps of Bellman-Ford over one loop before giving up on an exact answer
NEG = float("-inf")


@dataclass(slots=True)
class Analysis:
    reachable: set[str] = field(default_factory=set)
    traps: list[str] = field(default_factory=list)  # nodes with choices, none of which lead to an ending
    best: dict[str, float] = field(default_factory=dict)  # competency -> best score at an ending (INF: unlimited)
    farms: list[tuple[str, str, Choice]] = field(default_factory=list)  # (competency, node id, a choice on the loop)


def _search(start: list[int], adj: list[list[int]]) -> list[bool]:
    seen = [False] * len(adj)
    stack = list(start)
    for s in stack:
        seen[s] = True
    while stack:
        u = stack.pop()
        for v in adj[u]:
            if not seen[v]:
                seen[v] = True
                stack.append(v)
    return seen


def strongly_connected(n: int, adj: list[list[tuple[int, float]]], roots: list[int]) -> list[list[int]]:
    """Tarjan's algorithm with an explicit stack; components come in reverse topological order."""
    index, low = [-1] * n, [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in roots:
        if index[root] != -1:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        work = [(root, 0)]
        while work:
            u, i = work[-1]
            edges = adj[u]
            if i < len(edges):
                work[-1] = (u, i + 1)
                v = edges[i][0]
                if index[v] == -1:
                    index[v] = low[v] = counter
                    counter += 1
                    stack.append(v)
                    on_stack[v] = True
                    work.append((v, 0))
                elif on_stack[v] and index[v] < low[u]:
                    low[u] = index[v]
                continue
            work.pop()
            if work:
                p = work[-1][0]
                if low[u] < low[p]:
                    low[p] = low[u]
            if low[u] == index[u]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp.append(w)
                    if w == u:
                        break
                out.append(comp)
    return out


def analyse(sc: Scenario) -> Analysis:
    ids = list(sc.nodes)
    nodes = list(sc.nodes.values())
    where = {nid: i for i, nid in enumerate(ids)}
    n = len(ids)
    result = Analysis()
    if sc.start not in where:
        return result
    succ: list[list[int]] = [[] for _ in range(n)]
    pred: list[list[int]] = [[] for _ in range(n)]
    edges: list[tuple[int, int, Choice]] = []
    for u, node in enumerate(nodes):
        for ch in node.choices:
            v = where.get(ch.target)
            if v is not None:
                succ[u].append(v)
                pred[v].append(u)
                edges.append((u, v, ch))
    start = where[sc.start]
    reach = _search([start], succ)
    result.reachable = {ids[i] for i in range(n) if reach[i]}
    endings = [i for i, node in enumerate(nodes) if node.ending]
    leads_out = _search(endings, pred)
    result.traps = [ids[i] for i in range(n) if not leads_out[i] and succ[i]]
    reachable_endings = [i for i in endings if reach[i]]
    for comp in sc.competencies:
        best, farms = _best_score(comp, n, nodes, edges, start, reach, reachable_endings)
        if best is not None:
            result.best[comp] = best
        result.farms += [(comp, ids[u], ch) for u, ch in farms]
    return result


def _transfer(ch: Choice, target, comp: str) -> tuple[bool, float]:
    """What crossing this choice does to `comp`: (True, N) sets it to N, (False, a) adds a."""
    is_set, value = False, 0
    for e in ch.effects:
        if e.name == comp and not isinstance(e.value, bool):
            if e.op == ADD:
                value += e.value
            else:
                is_set, value = True, e.value
    for e in target.set:
        if e.name == comp and not isinstance(e.value, bool):
            is_set, value = True, e.value
    return is_set, value


def _best_score(comp, n, nodes, edges, start, reach, endings):
    val = [NEG] * n
    val[start] = 0
    for e in nodes[start].set:
        if e.name == comp and not isinstance(e.value, bool):
            val[start] = e.value
    adj: list[list[tuple[int, float, Choice]]] = [[] for _ in range(n)]
    for u, v, ch in edges:
        if not reach[u]:
            continue
        is_set, w = _transfer(ch, nodes[v], comp)
        if is_set:
            if w > val[v]:
                val[v] = w  # a reset: the score here no longer depends on the way in
        else:
            adj[u].append((v, w, ch))
    roots = [i for i in range(n) if reach[i]]
    comps = strongly_connected(n, adj, roots)  # type: ignore[arg-type]
    comp_of = [-1] * n
    for k, members in enumerate(comps):
        for u in members:
            comp_of[u] = k
    farms: list[tuple[int, Choice]] = []
    for k in range(len(comps) - 1, -1, -1):  # topological order
        members = comps[k]
        internal = [(u, v, w, ch) for u in members for v, w, ch in adj[u] if comp_of[v] == k]
        if internal:
            pump = _settle(members, internal, val)
            if pump is not None:
                farms.append(pump)
        for u in members:
            vu = val[u]
            if vu == NEG:
                continue
            for v, w, _ in adj[u]:
                if comp_of[v] != k and vu + w > val[v]:
                    val[v] = vu + w
    if not endings:
        return None, farms
    return max(val[e] for e in endings), farms


def _settle(members, internal, val):
    """Best values inside one loop (strongly connected nodes); return a choice that pumps, if any."""
    has_pos = any(w > 0 for _, _, w, _ in internal)
    has_neg = any(w < 0 for _, _, w, _ in internal)
    if has_pos and has_neg and len(members) * len(internal) > BF_LIMIT:
        # Too large to settle exactly in reasonable time: assume the loop is unlimited (an
        # upper bound, so no false "pass mark unreachable"), and do not claim farming.
        for u in members:
            val[u] = INF
        return None
    if has_pos and not has_neg or has_pos and _bellman_ford(members, internal, val):
        for u in members:
            val[u] = INF
        u, _, _, ch = min(((u, v, w, ch) for u, v, w, ch in internal if w > 0), key=lambda t: (t[3].line, t[0]))
        return (u, ch)
    if not has_neg:  # all zero: every node of the loop gets the best way in
        top = max(val[u] for u in members)
        for u in members:
            val[u] = top
        return None
    # Only zero or negative steps: Dijkstra for the longest path works.
    heap = [(-val[u], u) for u in members if val[u] != NEG]
    heapq.heapify(heap)
    out: dict[int, list] = {}
    for u, v, w, _ in internal:
        out.setdefault(u, []).append((v, w))
    done: set[int] = set()
    while heap:
        neg, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        for v, w in out.get(u, ()):
            if val[u] + w > val[v]:
                val[v] = val[u] + w
                heapq.heappush(heap, (-val[v], v))
    return None


def _bellman_ford(members, internal, val) -> bool:
    """Relax the loop's steps; True when a round-trip raises the score (a positive cycle)."""
    for _ in range(len(members) + 1):
        changed = False
        for u, v, w, _ in internal:
            if val[u] != NEG and val[u] + w > val[v]:
                val[v] = val[u] + w
                changed = True
        if not changed:
            return False
    return True
