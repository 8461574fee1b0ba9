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
