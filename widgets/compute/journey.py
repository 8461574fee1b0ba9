"""The wrap-up's look-ups in the leader's stored answers: what each module did with their initiative.

Each function takes an answer as the store holds it and trusts none of its shape: an answer saved
by an older page, a crafted message or nothing at all gives None ("not filled in"), never an
exception. Where the leader answered but there is nothing to name (no barrier, no gap in the team)
a function says so apart from None: "" for a name, as its docstring says. The page's words are
widgets/journey.py's; the arithmetic is the modules' own (ratings, portfolio, assumptions, safety,
diffusion, mandate), called here as the modules call it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import diffusion as dm
from . import mandate as md
from .assumptions import Assumption, rank
from .portfolio import FACETS, Initiative, summarise
from .ratings import profile
from .safety import median_of_counts, safety_index, towards_safety


def number(value: object, low: float, high: float) -> float | None:
    """A stored number within [low, high], or None (a bool, a string, NaN or one outside)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value) if low <= value <= high else None


def whole(value: object, low: int, high: int) -> int | None:
    """A stored whole number within [low, high] (3.0 is 3; 2.5, True and "3" are not)."""
    found = number(value, low, high)
    return int(found) if found is not None and found.is_integer() else None


def text(value: object) -> str:
    """A stored text, trimmed; anything else is no text."""
    return value.strip() if isinstance(value, str) else ""


def as_dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


# -- M1: the unit barometer ---------------------------------------------------------------------
def top_barrier(value: object, factors: list[str]) -> str | None:
    """The factor M1's barometer rated most hindering (below 0; ties: the first in the barometer's
    order); "" when the leader rated factors and none hinders; None when none is rated."""
    saved = as_dict(value)
    rated = {f: r for f in factors if (r := whole(saved.get(f), -3, 3)) is not None}
    if not rated:
        return None
    return profile(rated)[1] or ""


# -- M2: the team's coverage --------------------------------------------------------------------
def skill_to_borrow(value: object, skills: list[str]) -> str | None:
    """The first skill M2 found nobody in the team strong in, else the first only one person is
    strong in (the scale: 0 nobody, 1 one person, 2 a few, 3 many); "" when every skill is rated
    and each has a few or more; None when nothing is rated or the rated ones leave it open.
    Only moved sliders count: an untouched one stands at 0 without being an answer."""
    saved = as_dict(value)
    ratings = as_dict(saved.get("ratings"))
    moved = saved.get("moved") if isinstance(saved.get("moved"), list) else []
    rated = {s: r for s in skills if s in moved and (r := whole(ratings.get(s), 0, 3)) is not None}
    for level in (0, 1):
        found = next((s for s in skills if rated.get(s) == level), None)
        if found is not None:
            return found
    return "" if rated and len(rated) == len(skills) else None


# -- points on a map (M3's portfolio, M4's assumptions) -------------------------------------------
def points(value: object, sized: bool = False) -> list[dict]:
    """The well-formed points of a saved map: a name, x and y within 0-10 (and a size of 0 or more)."""
    out = []
    for raw in as_dict(value).get("items") or []:
        item = as_dict(raw)
        name, x, y = text(item.get("name")), number(item.get("x"), 0, 10), number(item.get("y"), 0, 10)
        size = number(item.get("size", 0), 0, 1e12) if sized else 0.0
        if name and x is not None and y is not None and size is not None:
            out.append({"name": name, "x": x, "y": y, "size": size})
    return out


@dataclass(frozen=True)
class Focus:
    facet: str      # the facet with the largest share of the cost (ties: FACETS' order)
    share: float    # its share, 0-1
    count: int      # how many initiatives the leader placed


def portfolio_focus(value: object) -> Focus | None:
    """Where M3's map puts most of the cost, or None when no point carries any cost in a facet.
    (The map marks no point as "my initiative": the wrap-up names the portfolio's weight instead.)"""
    items = points(value, sized=True)
    shares = summarise([Initiative(it["name"], it["size"], it["x"], it["y"]) for it in items], 1.0).shares
    top = max(FACETS, key=lambda f: (shares[f], -FACETS.index(f)))
    return Focus(top, shares[top], len(items)) if shares[top] > 0 else None


def assumption_to_test(value: object) -> str | None:
    """M4's assumption to test first: the most urgent in "test first" (important, little known),
    else the most urgent of all; None without any."""
    ranked = rank([Assumption(it["name"], it["y"], it["x"]) for it in points(value)])
    first = next((r for r in ranked if r.quadrant == "test_first"), ranked[0] if ranked else None)
    return first.name if first else None


# -- M5: the test card ------------------------------------------------------------------------------
CARD_FIELDS = ("hypothesis", "criterion", "decide_on")


def card_of(value: object) -> dict[str, str] | None:
    """The card's hypothesis, criterion and decision date as written ("" where empty), or None when
    all three are empty."""
    card = as_dict(as_dict(value).get("card"))
    out = {f: text(card.get(f)) for f in CARD_FIELDS}
    return out if any(out.values()) else None



# -- M6: the team pulse -------------------------------------------------------------------------------
def guess_index(value: object, items: list[str], reverse: dict[str, bool], low: int, high: int) -> float | None:
    """The safety index (0-100) of the leader's locked guess, or None before it is locked whole."""
    saved = as_dict(value)
    guess = as_dict(saved.get("guess"))
    given = {i: g for i in items if (g := whole(guess.get(i), low, high)) is not None}
    if saved.get("locked") is not True or not items or len(given) != len(items):
        return None
    return safety_index([towards_safety(given[i], reverse.get(i, False), low, high) for i in items], low, high)


def team_index(result: object, items: list[str], values: list[int], reverse: dict[str, bool],
               low: int, high: int) -> float | None:
    """The team's safety index (0-100) from the medians of a team result the leader may see (the
    store's `visible`: enough have answered), or None."""
    found = as_dict(result)
    if found.get("visible") is not True:
        return None
    medians = {}
    for raw in found.get("items") or []:
        item = as_dict(raw)
        counts = item.get("counts")
        if item.get("id") in items and isinstance(counts, list) and len(counts) == len(values) \
                and all(whole(c, 0, 10**6) is not None for c in counts):
            m = median_of_counts([int(c) for c in counts], values)
            if m is not None:
                medians[item["id"]] = m
    if not medians:
        return None
    return safety_index([towards_safety(m, reverse.get(i, False), low, high) for i, m in medians.items()], low, high)


# -- M7: the diffusion simulator ----------------------------------------------------------------------
@dataclass(frozen=True)
class SpreadSummary:
    months_to_half: float
    fastest: list[str]   # the attribute whose one step saves most months (several: a tie), or none


def spread(value: object, formula: dm.Formula, weight_choices: list[float], tie: float) -> SpreadSummary | None:
    """M7's month to half and the attribute to improve first, with the leader's own weights, as
    the simulator computes them; None until all five attributes are rated."""
    saved = as_dict(value)
    ratings = as_dict(saved.get("ratings"))
    x = {a: r for a in dm.ATTRIBUTES if (r := whole(ratings.get(a), *dm.SCALE)) is not None}
    if len(x) != len(dm.ATTRIBUTES):
        return None
    weights = as_dict(saved.get("weights"))
    m = {a: float(weights[a]) if number(weights.get(a), 0, math.inf) in weight_choices else 1.0
         for a in dm.ATTRIBUTES}
    own = dm.Formula(formula.p0, formula.q0, {a: formula.wp[a] * m[a] for a in dm.ATTRIBUTES},
                     {a: formula.wq[a] * m[a] for a in dm.ATTRIBUTES}, formula.p_min, formula.q_min)
    # Only the month to half and the months each step saves are read: no curve (horizon 0).
    s = dm.simulate(x, 1, 0, own, tie)
    return SpreadSummary(s.months_to_half, s.fastest)


# -- M8: the mandate matrix and the benefit map ---------------------------------------------------------
def mandate_columns(value: object) -> tuple[dict[str, str], dict[str, str]]:
    """The matrix's known choices: (today, should), each {decision: level}, unknown ones dropped."""
    saved = as_dict(value)
    today, should = as_dict(saved.get("today")), as_dict(saved.get("should"))
    return ({d: today[d] for d in md.DECISIONS if today.get(d) in (*md.LEVELS, md.DONT_KNOW)},
            {d: should[d] for d in md.DECISIONS if should.get(d) in md.LEVELS})


def escalation(value: object) -> int | None:
    """M8's escalation distance (how many levels higher the decisions sit today than they ought
    to, summed), or None until every decision has both choices."""
    today, should = mandate_columns(value)
    if len(today) != len(md.DECISIONS) or len(should) != len(md.DECISIONS):
        return None
    # The weeks each level waits are not read here: any waits give the same distance.
    return md.mandate(today, should, dict.fromkeys(range(1, len(md.LEVELS) + 1), 0.0)).escalation


BENEFIT_FIELDS = ("goal", "indicator", "target", "owner", "measure_on")


def benefit_goal(value: object) -> dict[str, str] | None:
    """M8's effect goal with how it is measured, its target, who measures and when ("" where
    empty), or None without a goal."""
    saved = as_dict(value)
    out = {f: text(saved.get(f)) for f in BENEFIT_FIELDS}
    return out if out["goal"] else None
