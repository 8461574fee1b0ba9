"""The pilot's evidence: fourteen leaders driven through every module by the learner service
(tests/helpers/pilot_cohort.py, the clock moved for the delayed quiz and the follow-up). The
report: every figure recomputed by hand from what they gave, nothing under min_group shown, HTML
and PDF in both languages by `innokraft report`, its first page kept as a PNG. The research
export: no one singled out by the rows' order or a rare value. The gradebook: every learner, as
Swedish Excel reads it."""

from __future__ import annotations

import csv
import html
import io
import math
import re
import shutil
import statistics
import subprocess

import pytest

from innokraft.core.pseudonyms import pseudonym
from innokraft.course.load import course_and_texts
from innokraft.facilitator.evaluation_figures import (
    ALL_SKILLS,
    Distribution,
    Minutes,
    Paired,
    Rate,
    Share,
    evaluation,
    records,
    t_quantile,
)
from innokraft.store.db import Store
from tests.conftest import REPO, innokraft
from tests.helpers.pilot_cohort import COHORT, drive, module_events

COURSE, TEXTS = course_and_texts(REPO / "course_config")
MODULES = [m.id for m in COURSE.modules]
K = COURSE.evaluation.min_group
# Student's t at 97.5 %, from a printed table: the 95 % interval's factor for n - 1 degrees.
T975 = {2: 4.303, 8: 2.306, 9: 2.262, 10: 2.228}


@pytest.fixture(scope="module")
def pilot(tmp_path_factory):
    return drive(tmp_path_factory.mktemp("pilot") / "home")


@pytest.fixture(scope="module")
def figures(pilot):
    store = Store.open(pilot.settings.db_url, migrate=False)
    return evaluation(records(store, COURSE, COHORT), COURSE, COHORT, pilot.now)


def test_t_quantiles_match_the_printed_table():
    for df, value in T975.items():
        assert round(t_quantile(0.975, df), 3) == value


def by_hand_paired(pairs: list[tuple[float, float]]) -> dict:
    diffs = [b - a for a, b in pairs]
    n, mean, sd = len(diffs), sum(diffs) / len(diffs), statistics.stdev(diffs)
    half = T975[n - 1] * sd / math.sqrt(n)
    return {"n": n, "before": sum(a for a, _ in pairs) / n, "after": sum(b for _, b in pairs) / n, "change": mean,
            "low": mean - half, "high": mean + half, "effect": mean / sd}


def assert_paired(p: Paired, hand: dict) -> None:
    assert p.n == hand["n"]
    for key in ("before", "after", "change", "low", "high", "effect"):
        assert getattr(p, key) == pytest.approx(hand[key], rel=1e-3, abs=1e-3), key  # t from a 3-decimal table


def test_the_figures_are_those_computed_by_hand_from_the_answers(pilot, figures):
    ev, leaders = figures, pilot.leaders
    store = Store.open(pilot.settings.db_url, migrate=False)
    starters = [r for r in leaders if r.modules]
    finishers = [r for r in leaders if len(r.modules) == len(MODULES)]
    assert (ev.learners, ev.started, ev.completed_all) == (14, len(starters), len(finishers)) == (14, 13, 11)

    # Response rates: who answered of those who were asked (the clock seven weeks on).
    assert ev.rates["pre.skills"] == Rate(sum(1 for r in leaders if r.pre), 14) == Rate(12, 14)
    assert ev.rates["post.skills"] == Rate(sum(1 for r in leaders if r.post), len(finishers)) == Rate(10, 11)
    for m in MODULES:
        reached = [r for r in leaders if m in r.modules]
        assert ev.rates[f"{m}.pulse"] == Rate(sum(1 for r in leaders if m in r.pulse), len(reached))
        assert ev.rates[f"{m}.delayed_quiz"] == Rate(sum(1 for r in leaders if m in r.delayed_right), len(reached))
        assert ev.rates[f"{m}.follow_up"] == Rate(sum(1 for r in leaders if m in r.follow_up), len(reached))

    for m in MODULES:
        fig = ev.module(m)
        reached = [r for r in leaders if m in r.modules]
        assert (fig.opened, fig.completed) == (len(reached), len(reached))
        # Active time: the test's events are step_minutes apart, every step under the 15-minute gap.
        spent = [(module_events(store, r, m) - 1) * r.step_minutes for r in reached]
        q1, median, q3 = statistics.quantiles(spent, n=4, method="inclusive")
        assert fig.minutes == Minutes(len(spent), pytest.approx(median), pytest.approx(q1), pytest.approx(q3))

        for n_item, item in enumerate(COURSE.evaluation.pulse):
            chosen = [r.pulse[m][n_item] for r in leaders if m in r.pulse]
            if len(chosen) < K:
                assert fig.pulse[item.id] == Distribution(len(chosen))
                continue
            counts = tuple(chosen.count(i) for i in range(item.options))
            assert fig.pulse[item.id] == Distribution(len(chosen), counts, pytest.approx(sum(c + 1 for c in chosen)
                                                                                       / len(chosen)))
        right = [1.0 if r.quiz_right[m] else 0.0 for r in reached]
        assert fig.quiz_first == Share(len(right), pytest.approx(sum(right) / len(right)))
        pairs = [(100.0 if r.quiz_right[m] else 0.0, 100.0 if r.delayed_right[m] else 0.0)
                 for r in reached if m in r.delayed_right]
        if len(pairs) >= K:
            assert_paired(fig.delayed, by_hand_paired(pairs))
        else:
            assert fig.delayed == Paired(len(pairs))
        answers = [r.follow_up[m] for r in leaders if m in r.follow_up]
        if len(answers) >= K:
            assert fig.follow_up.counts == tuple(answers.count(i) for i in range(3))
        else:
            assert fig.follow_up == Distribution(len(answers))

    # Skills, paired: before -> after, and looking back -> after; "all" is each person's mean.
    both = [r for r in leaders if r.pre and r.post]
    for skill in COURSE.evaluation.skills:
        assert_paired(ev.skills[skill], by_hand_paired([(r.pre[skill] + 1, r.post[skill] + 1) for r in both]))
        assert_paired(ev.retrospective[skill], by_hand_paired([(r.then[skill] + 1, r.post[skill] + 1)
                                                               for r in leaders if r.post]))
    assert_paired(ev.skills[ALL_SKILLS], by_hand_paired([
        (statistics.mean(v + 1 for v in r.pre.values()), statistics.mean(v + 1 for v in r.post.values()))
        for r in both]))
    assert ev.skills[ALL_SKILLS].n == 9 and ev.skills[ALL_SKILLS].change > 0
    every = [c for r in leaders for c in r.follow_up.values()]
    assert ev.follow_up_total.counts == tuple(every.count(i) for i in range(3))


def test_nothing_under_min_group_is_shown(figures):
    """Every figure resting on fewer than min_group people has no value; every other one has."""
    seen = []
    for m in figures.modules:
        seen += [m.minutes, *m.pulse.values(), m.quiz_first, *m.quiz_items.values(), m.delayed, m.follow_up]
    seen += [*figures.skills.values(), *figures.retrospective.values(), figures.follow_up_total]
    for fig in seen:
        assert fig.shown == (fig.n >= K), fig
        if not fig.shown:
            values = [v for k, v in vars(fig).items() if k != "n"]
            assert values == [None] * len(values), fig
    small = [fig for fig in seen if 0 < fig.n < K]
    assert len(small) == 5  # the last module's pulse (three questions), M2's review, M3's follow-up


def table_rows(text: str) -> dict[str, list[str]]:
    rows = {}
    for head, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', text, re.S):
        rows.setdefault(html.unescape(head), []).append(
            [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td>(.*?)</td>", cells, re.S)])
    return rows


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_report_writes_html_and_pdf_a_board_can_read(pilot, figures, tmp_path, output_dir, lang):
    t = TEXTS[lang]
    said = innokraft("report", "--cohort", COHORT, "--lang", lang, "--out", str(tmp_path), env=pilot.env())
    stem = {"sv": "utvardering", "en": "evaluation"}[lang]
    page, pdf = tmp_path / f"{stem}-{COHORT}.html", tmp_path / f"{stem}-{COHORT}.pdf"
    assert str(page) in said.stdout and str(pdf) in said.stdout
    text = page.read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in text and t["report.title"].format(cohort=COHORT) in text
    for name in ("Anna Andersson", "anna-andersson", "@example.se"):
        assert name not in text  # no names, ids or e-mails
    suppressed = t["report.suppressed"].format(min=K)
    rows = table_rows(text)

    # The pulse of the last module: four answers, so no mean and no counts, in the table and the
    # chart's words.
    question = t["evaluation.pulse.relevance.question"]
    last = t["ui.module_number"].format(number=len(MODULES))
    assert rows[f"{last}: {question}"] == [[str(4), suppressed, suppressed]]
    alt = re.search(r'alt="([^"]*)"', text[text.index('id="report-reaction"'):]).group(1)
    assert last not in html.unescape(alt)
    module1 = t["ui.module_number"].format(number=1)
    m1 = figures.module("m1").pulse["relevance"]
    mean = f"{m1.mean:.1f}".replace(".", "," if lang == "sv" else ".")
    scale = t["report.reaction.scale"].format(options=5)
    assert rows[f"{module1}: {question}"][0][:2] == [str(m1.n), f"{mean} ({scale})"]

    # Skills, all of them: n, before, after and the change as computed.
    everything = figures.skills[ALL_SKILLS]
    row = rows[t["report.learning.all"]][0]
    decimal = "," if lang == "sv" else "."
    assert row[:4] == [str(everything.n), f"{everything.before:.1f}".replace(".", decimal),
                       f"{everything.after:.1f}".replace(".", decimal),
                       "+" + f"{everything.change:.1f}".replace(".", decimal)]
    # M2's review: three did it, under min_group.
    module2 = t["ui.module_number"].format(number=2)
    quiz_row = [r for r in rows[module2] if len(r) == 7][0]
    assert quiz_row[2] == "3" and quiz_row[3:] == [suppressed] * 4
    assert text.count('class="innokraft-suppressed"') >= 20

    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):  # .ci/run installs poppler-utils
        words = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout
        assert t["report.title"].format(cohort=COHORT) in words and suppressed in words
        assert t["report.method.title"] in words
    if shutil.which("pdftoppm"):
        first = output_dir / f"report-first-page-{lang}"
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(first)],
                       check=True)
        assert first.with_suffix(".png").stat().st_size > 10_000


def test_report_for_an_unknown_cohort_or_folder(pilot, tmp_path):
    missing = innokraft("report", "--cohort", "nope", env=pilot.env(), check=False)
    assert missing.returncode == 2 and "Det finns ingen grupp nope" in missing.stderr
    nowhere = innokraft("report", "--cohort", COHORT, "--out", str(tmp_path / "no"), env=pilot.env(), check=False)
    assert nowhere.returncode == 2 and "finns inte" in nowhere.stderr and "\n" not in nowhere.stderr.strip()


def research(pilot, *options: str) -> tuple[list[dict], str]:
    out = pilot.settings.home.parent / "research.csv"
    innokraft("export-research", "--cohort", COHORT, "--out", str(out), *options, env=pilot.env())
    return list(csv.DictReader(io.StringIO(out.read_text()))), (out.parent / "codebook.md").read_text()


def test_research_rows_single_out_nobody_by_their_order_or_a_rare_value(pilot):
    leaders = pilot.leaders
    # The ids sort like the names, as ids made from names do: row n must not be the n-th name.
    assert [r.id for r in sorted(leaders, key=lambda r: r.id)] == [r.id for r in sorted(leaders, key=lambda r: r.name)]
    first, book = research(pilot)
    second, _book = research(pilot)
    for rows in (first, second):
        assert len(rows) == len(leaders)
        assert [r["pid"] for r in rows] == sorted(r["pid"] for r in rows)  # ordered by pid alone
        for column in ("cohort", "lang"):  # no value that fewer than min_group people share
            values = [r[column] for r in rows]
            assert all(values.count(v) >= K for v in values), (column, values)
    assert not {r["pid"] for r in first} & {r["pid"] for r in second}  # keyed per export: nothing to match
    assert {r["lang"] for r in first} == {""}  # Eva Ek is the only one in English
    # What the rows hold otherwise is the same learners' data, only in another order.
    assert sorted(r["m1_items_done"] for r in first) == sorted(r["m1_items_done"] for r in second)
    t = TEXTS["sv"]
    for key in ("per_export", "order", "suppressed_lang"):
        assert t[f"research.privacy.{key}"].split("{")[0].split()[0] in book
    assert t["research.privacy.suppressed_lang"].format(min=K).replace("\n", " ")[:60] in book.replace("\n", " ")

    # Asked for, pids are stable: the course secret's, the same in every export and in xAPI.
    stable, stable_book = research(pilot, "--stable-pseudonyms")
    again, _ = research(pilot, "--stable-pseudonyms")
    secret = (pilot.settings.home / "secret.key").read_text().strip()
    by_id = {pseudonym(secret, r.id): r.id for r in leaders}
    assert [r["pid"] for r in stable] == [r["pid"] for r in again] == sorted(by_id)
    order = [by_id[r["pid"]] for r in stable]
    assert order != sorted(order)  # the rows' order is the pseudonyms', not the names'
    assert t["research.privacy.stable"].split()[0] in stable_book and t["research.pid_stable"] in stable_book


def test_gradebook_lists_every_learner_for_swedish_excel(pilot, tmp_path):
    out = tmp_path / "betyg.csv"
    said = innokraft("export-gradebook", "--cohort", COHORT, "--semicolon", "--out", str(out), env=pilot.env())
    assert str(out) in said.stdout
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel reads UTF-8 by its BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    head, body = rows[0], rows[1:]
    assert head[:4] == ["id", "namn", "e-post", "m1 läge"] and "m1 inlämnad (Europe/Stockholm)" in head
    assert sorted(r[0] for r in body) == sorted(r.id for r in pilot.leaders)  # every learner, submitted or not
    assert "Maja Mört" in [r[1] for r in body]  # å, ä, ö intact
    nobody = body[0]
    assert nobody[head.index("m1 läge")] == "ej inlämnad" and nobody[head.index("m1 poäng")] == ""  # not 0
    assert nobody[head.index("m1 max")] == "10"
