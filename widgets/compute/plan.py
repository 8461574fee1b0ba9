"""The wrap-up's ninety-day plan: its check-in dates and the plain text the leader downloads."""

from __future__ import annotations

from datetime import date, timedelta


def check_ins(start: date, days: list[int]) -> list[tuple[int, date]]:
    """(day, date) of each check-in, counted from the day the plan was made (day 0)."""
    return [(d, start + timedelta(days=d)) for d in days]


def pulse_on(start: date, weeks: int) -> date:
    """The day to run the team pulse again."""
    return start + timedelta(weeks=weeks)


def plan_text(title: str, lines: list[str], sections: list[tuple[str, str]], empty: str) -> str:
    """The plan as plain text (for pasting into a plan of operations): its title underlined, the
    lines under it, then each field's label and what it says (`empty` where it says nothing).
    Written as the leader wrote it: nothing in it is markup, nothing is read as such."""
    out = [title, "=" * len(title), *lines]
    for label, value in sections:
        body = "\n".join(line.rstrip() for line in value.strip().splitlines()) or empty
        out += ["", label, "-" * len(label), body]
    return "\n".join(out) + "\n"
