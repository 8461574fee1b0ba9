"""Sorting cases by criteria (E1.2 "Is it an innovation?" with the three Ns).

Each case holds or fails each criterion. The learner names, per case, the one criterion
that fails, or "none" (all hold). A choice implies a yes/no per criterion, so the answers
can be scored per criterion: which N does the leader misjudge most often?
"""

from __future__ import annotations

from dataclasses import dataclass

NONE = "none"


def implied(choice: str, criteria: list[str]) -> dict[str, bool]:
    """"none" -> every criterion holds; "used" -> all hold but "used"."""
    return {c: c != choice for c in criteria}


@dataclass(frozen=True)
class SortScore:
    right_cases: list[str]
    per_criterion: dict[str, tuple[int, int]]   # criterion -> (judged right, judged wrong)
    weakest: str | None                         # the criterion misjudged most, if any


def score_sorting(choices: dict[str, str], key: dict[str, str], criteria: list[str]) -> SortScore:
    """Cases answered right, and per criterion how many cases were judged right and wrong.

    Ties for the weakest criterion go to the one listed first.
    """
    per = {c: [0, 0] for c in criteria}
    right = []
    for case, answer in key.items():
        choice = choices.get(case)
        if choice is None:
            continue
        if choice == answer:
            right.append(case)
        mine, truth = implied(choice, criteria), implied(answer, criteria)
        for c in criteria:
            per[c][0 if mine[c] == truth[c] else 1] += 1
    wrongs = {c: per[c][1] for c in criteria}
    worst = max(criteria, key=lambda c: (wrongs[c], -criteria.index(c)))
    return SortScore(right, {c: (a, b) for c, (a, b) in per.items()},
                     worst if wrongs[worst] else None)
