"""What an answer may be: how much text, and no NUL. Checked at the store API (the boundary every
answer crosses: a page's kernel, a closing page's beacon) and, for the learner's sake, on the page
as they type."""

from __future__ import annotations

# The most characters one answer may hold (a reflection is a few hundred words): a clear
# limit instead of a megabyte in the store, in nbgrader's notebooks and on the dashboard.
ANSWER_LIMIT = 20_000


def answer_size(value: object) -> int:
    """Characters of text in an answer (strings, in lists and dicts too)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(answer_size(k) + answer_size(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return sum(answer_size(v) for v in value)
    return 0


def without_nul(value: object) -> object:
    """NUL cannot be typed, breaks PostgreSQL text and nbgrader's notebooks: dropped."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    return value
