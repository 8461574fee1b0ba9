"""M8's computations: the approval wait's distribution (a convolution on a grid) against its exact
mean and tail and against the same wait drawn under a fixed seed, the weeks until each level
decides, and the mandate matrix's escalation distance, weeks, flags and legal note (design-m8.md's
worked example and its edges)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from innokraft.core.settings import Settings
from innokraft.course.load import exercise_data
from widgets.compute import mandate as md
from widgets.compute.models import ANSWERS, approval_levels

CYCLES, LEADS = (1.0, 2.0, 4.0), (0.0, 0.0, 3.0)


def test_the_wait_has_its_exact_mean_tail_and_range():
    """U(0,1) + U(0,2) + 3 + U(0,4): mean 0.5 + 1 + 5 = 6.5 weeks; it is 4 weeks or less only when
    the three uniforms add to at most 1, a corner of volume 1/6 in a box of 8, so P(> 4) = 47/48."""
    w = md.approval_wait(CYCLES, LEADS, 4)
    assert w.mean == pytest.approx(6.5, abs=1e-9)
    assert w.p_over == pytest.approx(47 / 48, abs=1e-3)
    assert (w.low, w.high) == (3.0, 10.0)
    assert sum(w.weeks) == pytest.approx(1.0) and len(w.weeks) == 10
    assert w.weeks[:3] == [0.0, 0.0, 0.0] and w.weeks[3] == pytest.approx(1 / 48, abs=1e-3)


def test_the_grid_agrees_with_waits_drawn_under_a_fixed_seed():
    """200,000 draws of the same wait: the mean within four standard errors of the grid's, the
    share over four weeks and the share in each whole week within four binomial standard errors;
    and the draws are far from a committee meeting every second week."""
    runs = 200_000
    drawn = md.simulate_wait(CYCLES, LEADS, runs, seed=2026)
    w = md.approval_wait(CYCLES, LEADS, 4)
    assert abs(drawn.mean() - w.mean) <= 4 * drawn.std(ddof=1) / math.sqrt(runs)
    se = lambda p: math.sqrt(p * (1 - p) / runs)  # noqa: E731
    assert abs((drawn > 4).mean() - w.p_over) <= 4 * se(w.p_over) + 1e-3
    counts = np.bincount(np.floor(drawn).astype(int), minlength=len(w.weeks)) / runs
    for week, share in enumerate(w.weeks):
        assert abs(counts[week] - share) <= 4 * se(share) + 1e-3, week
    other = md.approval_wait((1.0, 2.0, 2.0), LEADS, 4)
    assert abs(drawn.mean() - other.mean) > 20 * drawn.std(ddof=1) / math.sqrt(runs)


def test_a_shorter_cycle_shortens_the_wait_and_bad_settings_are_refused():
    faster = md.approval_wait((1.0, 2.0, 4.0), (0.0, 0.0, 1.0), 4)
    assert faster.mean == pytest.approx(4.5) and faster.p_over < md.approval_wait(CYCLES, LEADS, 4).p_over
    with pytest.raises(ValueError):
        md.approval_wait((1.0, 0.0), (0.0, 0.0), 4)
    with pytest.raises(ValueError):
        md.approval_wait((1.0,), (0.0, 1.0), 4)


def test_the_hook_answer_is_the_exercise_files_question():
    v = exercise_data(Settings.from_env().config_dir, "m8", "approval_wait")["values"]
    answer = ANSWERS["approval_wait"](v, [], 0, 0)
    assert answer.value == pytest.approx(6.5) and answer.numbers["p_over"] == 98
    assert sum(answer.distribution) == pytest.approx(100) and len(answer.distribution) == 10
    assert md.level_waits(*approval_levels(v)) == {1: 0.0, 2: 0.5, 3: 1.5, 4: 6.5}


WAITS = md.level_waits(CYCLES, LEADS)
TODAY = dict(zip(md.DECISIONS, ["management", "management", "committee", "committee", "committee"], strict=True))
OUGHT = dict(zip(md.DECISIONS, ["team", "unit_manager", "unit_manager", "unit_manager", "committee"], strict=True))


def test_the_worked_example():
    """design-m8.md: today (3, 3, 4, 4, 4), ought (1, 2, 2, 2, 4): E = 7, nothing under, the
    three test decisions far from the work, 6.5 weeks to start or stop today against 0.5."""
    r = md.mandate(TODAY, OUGHT, WAITS)
    assert r.distance == {"start_test": 2, "spend": 1, "involve_users": 2, "stop_pilot": 2, "scale_up": 0}
    assert r.escalation == 7 and r.under == [] and r.unknown == []
    assert r.far_from_work == ["start_test", "spend", "stop_pilot"]
    assert r.weeks_to_start == (6.5, 0.5) and r.weeks_to_stop == (6.5, 0.5)
    assert not r.legal_note


def test_decisions_below_where_they_ought_and_scaling_below_the_committee():
    today = {**TODAY, "spend": "team", "scale_up": "management"}
    ought = {**OUGHT, "scale_up": "management"}
    r = md.mandate(today, ought, WAITS)
    assert r.distance["spend"] == -1 and r.under == ["spend"] and r.escalation == 6
    assert r.far_from_work == ["start_test", "stop_pilot"] and r.legal_note


def test_dont_know_has_no_distance_and_no_weeks_it_would_need():
    today = {**TODAY, "start_test": md.DONT_KNOW}
    r = md.mandate(today, OUGHT, WAITS)
    assert "start_test" not in r.distance and r.unknown == ["start_test"] and r.escalation == 5
    assert r.weeks_to_start is None and r.weeks_to_stop == (6.5, 0.5)
    assert r.far_from_work == ["spend", "stop_pilot"]


def test_everything_at_the_team_costs_no_weeks():
    team = dict.fromkeys(md.DECISIONS, "team")
    r = md.mandate(team, team, WAITS)
    assert r.escalation == 0 and r.weeks_to_start == (0.0, 0.0) and r.far_from_work == [] and r.legal_note


@pytest.mark.parametrize(("today", "ought"), [
    ({**TODAY, "start_test": "mayor"}, OUGHT),              # no such level
    (TODAY, {**OUGHT, "scale_up": md.DONT_KNOW}),           # "don't know" is for today only
    ({d: TODAY[d] for d in md.DECISIONS[:4]}, OUGHT),       # a decision missing
])
def test_unknown_levels_and_missing_decisions_are_refused(today, ought):
    with pytest.raises(ValueError):
        md.mandate(today, ought, WAITS)


# design-m8.md's capability example: (4, 3 | 2, 2 | 3, 4 | 2, 3).
PROFILE = dict(zip(md.ITEMS, [4, 3, 2, 2, 3, 4, 2, 3], strict=True))


def test_the_capability_profile_names_the_weakest_block():
    c = md.capability(PROFILE)
    assert c.means == {"purpose": 3.5, "prerequisites": 2.0, "ways_of_working": 3.5, "benefits": 2.5}
    assert c.weakest == ["prerequisites"]
    tied = md.capability({**PROFILE, "effect_goals": 1, "follow_up": 3})
    assert tied.weakest == ["prerequisites", "benefits"]


@pytest.mark.parametrize("ratings", [{**PROFILE, "why_renew": 6},
                                     {k: v for k, v in PROFILE.items() if k != "with_users"}])
def test_a_rating_out_of_scale_or_missing_is_refused(ratings):
    with pytest.raises(ValueError):
        md.capability(ratings)


def test_an_effect_goal_that_should_fall_is_sixty_per_cent_of_the_way():
    """design-m8.md: "Brukarna möter färre olika medarbetare per vecka", baseline 14, target 9,
    latest 11: (11 − 14)/(9 − 14) = 0.6."""
    from widgets.compute.benefits import check_goal, progress

    assert progress(14, 9, 11) == pytest.approx(0.6) and progress(14, 9, 16) < 0 and progress(5, 5, 6) is None
    goal = {"goal": "Färre olika medarbetare per vecka", "kind": "effect", "indicator": "Räkna i planeringen",
            "baseline": "14", "target": "9", "latest": "11", "owner": "Enhetschefen", "measure_on": "2027-03-01"}
    c = check_goal(goal)
    assert c.progress == pytest.approx(0.6) and c.missing == [] and not c.output and not c.wrong_way
    c = check_goal({**goal, "kind": "output", "latest": "15,5", "owner": " ", "measure_on": "i mars"})
    assert c.output and c.wrong_way and c.progress == pytest.approx(-0.3) and c.missing == ["owner", "measure_on"]
    c = check_goal({**goal, "target": "14"})
    assert c.no_change and c.progress is None
    c = check_goal({**goal, "latest": "elva"})
    assert c.numbers == {"baseline": 14, "target": 9} and c.progress is None


@pytest.mark.parametrize(("typed", "lang", "number"), [
    ("14", "sv", 14), ("9,5", "sv", 9.5), ("1 200", "sv", 1200), ("\u22123", "sv", -3), ("0.25", "sv", 0.25),
    ("45 %", "sv", 45), ("500 kr", "sv", 500), ("", "sv", None), ("tio", "sv", None), ("1,2,3", "sv", None),
    # In English a comma separates thousands: "1,200" is twelve hundred, not 1.2.
    ("1,200", "en", 1200), ("12,000", "en", 12000), ("0.25", "en", 0.25), ("45%", "en", 45),
    ("9,5", "en", 9.5), ("1,200", "sv", 1.2)])
def test_numbers_are_read_as_a_leader_types_them(typed, lang, number):
    from widgets.compute.benefits import a_number

    assert a_number(typed, lang) == number
