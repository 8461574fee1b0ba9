"""Ratings on a scale: a hinders-to-helps profile (E1.3), a rating grid's means and gaps (E2.x)."""

from __future__ import annotations


def profile(ratings: dict[str, int]) -> tuple[list[tuple[str, int]], str | None, str | None]:
    """Factors sorted from most hindering to most helping, the top barrier and top driver.

    Ties keep the exercise's own order, so the feedback is stable.
    """
    order = {k: i for i, k in enumerate(ratings)}
    ordered = sorted(ratings.items(), key=lambda kv: (kv[1], order[kv[0]]))
    barrier = ordered[0][0] if ordered and ordered[0][1] < 0 else None
    drivers = [kv for kv in ordered if kv[1] > 0]
    driver = max(drivers, key=lambda kv: (kv[1], -order[kv[0]]))[0] if drivers else None
    return ordered, barrier, driver


def group_means(ratings: dict[str, float], groups: dict[str, str]) -> dict[str, float]:
    """Mean rating per group, in the order groups first appear; items not rated are left out.

    groups maps each item to its group (e.g. a statement to its OPSI skill).
    """
    sums: dict[str, list[float]] = {}
    for item, group in groups.items():
        sums.setdefault(group, [])
        if ratings.get(item) is not None:
            sums[group].append(float(ratings[item]))
    return {g: sum(v) / len(v) for g, v in sums.items() if v}


def lowest(means: dict[str, float], k: int = 2) -> list[str]:
    """The k groups with the lowest means; ties keep the given order, so feedback is stable."""
    order = {g: i for i, g in enumerate(means)}
    return sorted(means, key=lambda g: (means[g], order[g]))[:k]


def coverage(levels: dict[str, int], own: dict[str, float] | None = None, own_low: float = 0):
    """A team's coverage of skills from levels 0 (nobody) .. 3 (many).

    Returns (gaps, fragile, critical): skills nobody covers, skills one person carries, and
    gaps or fragile skills where the leader's own mean (on their profile's own scale) is at or
    below own_low too, i.e. nobody can step in.
    """
    gaps = [s for s, v in levels.items() if v == 0]
    fragile = [s for s, v in levels.items() if v == 1]
    critical = [s for s in gaps + fragile if own is not None and own.get(s, 0.0) <= own_low]
    return gaps, fragile, critical
