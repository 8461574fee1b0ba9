"""E3.1 The portfolio on OPSI's innovation-facets diamond.

An initiative sits on two axes, both 0-10: `uncertainty` (0 = certain, exploit;
10 = uncertain, explore) and `directedness` (0 = undirected, bottom-up; 10 = directed,
top-down). OPSI's four facets are the diamond's corners: enhancement-oriented (certain),
anticipatory (uncertain), mission-oriented (directed) and adaptive (undirected). The
quadrant between two facets names the kind of change (sustaining, optimising,
transformative, disruptive).
"""

from __future__ import annotations

from dataclasses import dataclass

FACETS = ("enhancement", "mission", "adaptive", "anticipatory")
# Where two facets overlap, by the signs of (uncertainty, directedness) from the centre.
CHANGE_KINDS = {(-1, 1): "sustaining", (-1, -1): "optimising", (1, 1): "transformative",
                (1, -1): "disruptive"}
CENTRE = 5.0
# Closer than this to the centre an initiative belongs to no single facet.
UNCLEAR_RADIUS = 1.0


@dataclass(frozen=True)
class Initiative:
    name: str
    budget: float
    uncertainty: float
    directedness: float


def facet(uncertainty: float, directedness: float) -> str | None:
    """The facet whose corner the point is nearest, or None near the centre."""
    x, y = uncertainty - CENTRE, directedness - CENTRE
    if abs(x) + abs(y) < UNCLEAR_RADIUS:
        return None
    if abs(x) >= abs(y):
        return "anticipatory" if x > 0 else "enhancement"
    return "mission" if y > 0 else "adaptive"


def change_kind(uncertainty: float, directedness: float) -> str | None:
    """The kind of change between the two nearest facets, or None on an axis."""
    x, y = uncertainty - CENTRE, directedness - CENTRE
    if x == 0 or y == 0:
        return None
    return CHANGE_KINDS[(1 if x > 0 else -1, 1 if y > 0 else -1)]


@dataclass(frozen=True)
class PortfolioSummary:
    total: float
    shares: dict[str, float]          # facet -> share of budget, 0-1 (None: "unclear")
    facet_of: dict[int, str | None]   # initiative index -> facet
    dominant: str | None              # facet over the concentration limit
    empty: list[str]                  # facets with no budget
    effective_facets: float           # 1 / sum(share^2): 1 = all in one facet, 4 = even
    explore_share: float              # share of budget on the uncertain half (uncertainty > 5)
    mean_uncertainty: float           # budget-weighted
    gaps: dict[str, float]            # share - ambition, per facet (empty without ambition)
    largest_gap: str | None


def summarise(items: list[Initiative], limit: float,
              ambition: dict[str, float] | None = None) -> PortfolioSummary:
    """Budget share per facet, concentration, exploration and the gap to an ambition.

    `limit` is the share (0-1) above which one facet is flagged as dominant. Ambition
    values are relative weights; they are normalised to sum to 1.
    """
    facet_of = {i: facet(it.uncertainty, it.directedness) for i, it in enumerate(items)}
    total = sum(max(0.0, it.budget) for it in items)
    shares = dict.fromkeys(FACETS, 0.0)
    explore = weighted_u = 0.0
    if total > 0:
        for i, it in enumerate(items):
            w = max(0.0, it.budget) / total
            if facet_of[i] is not None:
                shares[facet_of[i]] += w
            explore += w if it.uncertainty > CENTRE else 0.0
            weighted_u += w * it.uncertainty
    placed = sum(shares.values())
    effective = 1.0 / sum((s / placed) ** 2 for s in shares.values()) if placed > 0 else 0.0
    dominant = next((f for f in FACETS if shares[f] > limit), None) if total > 0 else None
    empty = [f for f in FACETS if shares[f] == 0.0] if items else []
    gaps: dict[str, float] = {}
    largest = None
    if ambition and sum(max(0.0, v) for v in ambition.values()) > 0 and total > 0:
        norm = sum(max(0.0, ambition.get(f, 0.0)) for f in FACETS)
        gaps = {f: shares[f] - max(0.0, ambition.get(f, 0.0)) / norm for f in FACETS}
        largest = max(FACETS, key=lambda f: (abs(gaps[f]), -FACETS.index(f)))
    return PortfolioSummary(total, shares, facet_of, dominant, empty, effective, explore,
                            weighted_u if total > 0 else 0.0, gaps, largest)
