"""E4.3 Test first or build first: a Monte Carlo of ideas that rest on assumptions.

An idea rests on `assumptions` independent assumptions, each true with chance
`p_true`. Build first: pay the build cost; the idea works only if every assumption
holds. Test first: test the assumptions one by one (each test costs `test_cost` and
gives the right verdict with chance `accuracy`), stop at the first "no", and build only
when every test said "yes". A working idea is worth `benefit`. The parameters are
pedagogical, not empirical; the page says so.

M5's value of testing is the same model with one assumption (the idea works) and one test, a
pilot that passes a good idea with one chance and a bad one with another (`specificity`: the
chance it stops a bad idea); `expected_values` is its exact counterpart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STRATEGIES = ("build_first", "test_first")
# What can happen to an idea, in the order a chart shows them.
OUTCOMES = ("worked", "built_in_vain", "good_stopped", "bad_stopped")


def all_hold(p_true: float, assumptions: int) -> float:
    """The chance that every one of several independent assumptions holds."""
    return float(p_true) ** int(assumptions)


@dataclass(frozen=True)
class Ideas:
    """Per strategy: the net value of every simulated idea and what happened to it."""
    net: dict[str, np.ndarray]
    worked: dict[str, float]       # share of ideas built that worked, of all ideas
    wasted_builds: dict[str, float]  # share of ideas built that did not work
    good_killed: float             # test first: share of ideas that would have worked but were stopped
    all_true: float                # share of ideas whose assumptions all held
    outcomes: dict[str, dict[str, int]]  # per strategy: how many ideas ended in each of OUTCOMES

    def mean(self, strategy: str) -> float:
        return float(np.mean(self.net[strategy]))

    def percentile(self, strategy: str, q: float) -> float:
        return float(np.percentile(self.net[strategy], q))

    def p_loss(self, strategy: str) -> float:
        return float(np.mean(self.net[strategy] < 0))


def simulate(assumptions: int, p_true: float, accuracy: float, build_cost: float,
             test_cost: float, benefit: float, runs: int = 1000, seed: int = 0,
             specificity: float | None = None) -> Ideas:
    """`accuracy`: the chance a test of a true assumption says yes; `specificity`: the chance a
    test of a false one says no (the same as `accuracy` unless given)."""
    if assumptions < 1:
        raise ValueError("an idea rests on at least one assumption")
    rng = np.random.default_rng(seed)
    truth = rng.random((runs, assumptions)) < p_true
    right = accuracy if specificity is None else np.where(truth, accuracy, specificity)
    correct = rng.random((runs, assumptions)) < right
    verdict = np.where(correct, truth, ~truth)
    works = truth.all(axis=1)

    build_net = np.where(works, benefit, 0.0) - build_cost

    # Tests run in order until the first "no": the number of tests paid for.
    no_seen = ~verdict
    has_no = no_seen.any(axis=1)
    first_no = np.where(has_no, no_seen.argmax(axis=1) + 1, assumptions)
    built = ~has_no
    test_net = np.where(built & works, benefit, 0.0) - first_no * test_cost - built * build_cost

    def count(built: np.ndarray) -> dict[str, int]:
        ends = (built & works, built & ~works, ~built & works, ~built & ~works)
        return {o: int(np.count_nonzero(e)) for o, e in zip(OUTCOMES, ends, strict=True)}

    return Ideas(
        net={"build_first": build_net, "test_first": test_net},
        worked={"build_first": float(works.mean()), "test_first": float((built & works).mean())},
        wasted_builds={"build_first": float((~works).mean()), "test_first": float((built & ~works).mean())},
        good_killed=float((works & ~built).mean()),
        all_true=float(works.mean()),
        outcomes={"build_first": count(np.ones(runs, dtype=bool)), "test_first": count(built)},
    )


@dataclass(frozen=True)
class Routes:
    """The expected net value of each way to go with one idea (same money unit as the inputs)."""
    scale_now: float      # introduce everywhere at once
    pilot_first: float    # pilot, and introduce only if the pilot passes
    drop: float           # do not do it

    @property
    def best(self) -> str:
        values = {"scale_now": self.scale_now, "pilot_first": self.pilot_first, "drop": self.drop}
        return max(values, key=values.get)

    @property
    def value_of_pilot(self) -> float:
        """What the pilot adds to the best way without it (scale now or drop)."""
        return self.pilot_first - max(self.scale_now, self.drop)


def expected_values(prior: float, benefit: float, rollout_cost: float, pilot_cost: float,
                    pass_if_good: float, pass_if_bad: float) -> Routes:
    """Exactly, for one idea that works with chance `prior`:

    scale now:   prior * benefit - rollout_cost
    pilot first: - pilot_cost + prior * pass_if_good * (benefit - rollout_cost)
                              - (1 - prior) * pass_if_bad * rollout_cost
    drop:        0
    (`simulate` with one assumption, accuracy = pass_if_good and specificity = 1 - pass_if_bad,
    averages to these.)
    """
    return Routes(prior * benefit - rollout_cost,
                  -pilot_cost + prior * pass_if_good * (benefit - rollout_cost)
                  - (1 - prior) * pass_if_bad * rollout_cost,
                  0.0)
