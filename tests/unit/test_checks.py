"""`innokraft check`: each rule fails a course that breaks it (on a copy of course_config)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from innokraft.course.checks import run_checks
from tests.conftest import REPO


@pytest.fixture
def course(tmp_path) -> tuple[Path, Path]:
    config, notebooks = tmp_path / "course_config", tmp_path / "notebooks"
    shutil.copytree(REPO / "course_config", config)
    shutil.copytree(REPO / "notebooks", notebooks)
    return config, notebooks


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def edit_text(config: Path, lang: str, name: str, change) -> None:
    edit_yaml(config / "text" / lang / f"{name}.yaml", change)


def test_the_shipped_course_passes(course):
    assert run_checks(*course) == []


def test_the_command_exits_nonzero_and_names_the_problem(course, tmp_path):
    config, notebooks = course
    edit_text(config, "sv", "m1", lambda d: d.update(lead="Hela 75 procent gör så."))
    env = {"INNOKRAFT_CONFIG": str(config), "INNOKRAFT_NOTEBOOKS": str(notebooks),
           "INNOKRAFT_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "innokraft.cli", "check"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "m1.lead: '75 procent' is a percentage without a fact" in done.stderr


@pytest.mark.parametrize("text", ["Hela 75 % gör så.", "Hela 75 procent gör så.", "Det gäller 3 av 10.",
                                  "I snitt 4,5 procentenheter fel."])
def test_a_percentage_without_a_fact_fails(course, text):
    config, notebooks = course
    edit_text(config, "sv", "m1", lambda d: d.update(lead=text))
    problems = run_checks(config, notebooks)
    assert len(problems) == 1 and "text/sv: m1.lead:" in problems[0] and "without a fact" in problems[0]


def test_a_percentage_from_the_registry_passes(course):
    config, notebooks = course
    lead = "Av organisationerna hade {fact:se_orgs_strategy} en strategi."
    edit_text(config, "sv", "m1", lambda d: d.update(lead=lead))
    assert run_checks(config, notebooks) == []


def test_a_percentage_in_a_reflection_prompt_fails(course):
    config, notebooks = course
    edit_yaml(config / "course.yaml",
              lambda d: d["modules"][0]["reflections"][0]["prompt"].update(en="Why do 79 % have a strategy?"))
    assert any("reflections[latest_change] (en)" in p and "'79 %'" in p for p in run_checks(*course))


@pytest.mark.parametrize("lang,rubric,message", [
    ("sv", "En konkret händelse, en slutsats och ett nästa steg.", "(sv): levels [None]"),
    ("en", "3 pts: An episode and a step. 1 pt: General.", "(en): levels [3, 1]"),
    ("sv", "5 p: Allt. 1 p: Allmänt. 3 p: Två delar.", "(sv): levels [5, 1, 3]"),
    ("en", "5 pts: All three parts. 1 pt: General.", "the languages grade in different levels"),
])
def test_a_rubric_must_grade_in_levels_from_its_points(course, lang, rubric, message):
    config, notebooks = course
    edit_yaml(config / "course.yaml",
              lambda d: d["modules"][0]["reflections"][0]["rubric"].update({lang: rubric}))
    assert any("reflections[latest_change].rubric" in p and message in p for p in run_checks(*course)), \
        run_checks(*course)


@pytest.mark.parametrize("placeholder", ["{initiative}", "{fact:edmondson_units}"])
def test_a_placeholder_in_a_reflection_prompt_fails(course, placeholder):
    """The grading notebook and the feedback page show a prompt as written, for every leader."""
    config, notebooks = course
    edit_yaml(config / "course.yaml", lambda d: d["modules"][0]["reflections"][0]["prompt"].update(
        {"sv": f"Vad hände med ditt initiativ, ”{placeholder}”, och vad gör du nu?"}))
    assert any(f"reflections[latest_change].prompt (sv): {placeholder} is shown as written" in p
               for p in run_checks(*course)), run_checks(*course)


def test_an_unknown_fact_fails(course):
    config, notebooks = course
    edit_text(config, "en", "m1", lambda d: d.update(lead="Of them, {fact:no_such_fact} did."))
    problems = run_checks(config, notebooks)
    assert problems == ["text/en: m1.lead: {fact:no_such_fact} names no fact in facts.yaml "
                        "-> add it there or fix the id"]


def test_a_sentence_may_not_open_with_a_numeral(course):
    config, notebooks = course
    edit_text(config, "sv", "m1", lambda d: d.update(lead="Det är så. {fact:se_orgs_strategy} har en strategi."))
    problems = run_checks(config, notebooks)
    assert len(problems) == 1 and "a sentence opens with '79 procent'" in problems[0]


def test_a_key_missing_in_one_language_fails(course):
    config, notebooks = course
    edit_text(config, "en", "m1", lambda d: d.pop("lead"))
    assert any("text/en: key 'm1.lead' is missing" in p for p in run_checks(config, notebooks))


def test_english_much_shorter_than_swedish_fails(course):
    config, notebooks = course
    def shorten(tree):
        if isinstance(tree, dict):
            return {k: shorten(v) for k, v in tree.items()}
        return [shorten(v) for v in tree] if isinstance(tree, list) else "Short."

    edit_yaml(config / "text" / "en" / "m1.yaml", lambda d: d.update(shorten(d)))
    problems = run_checks(config, notebooks)
    assert any(p.startswith("text/en/m1.yaml:") and "ratio 0." in p for p in problems), problems


def without_parts(module: dict, **kept) -> dict:
    """The module with only `kept` of some lists, its steps left holding what remains."""
    module.update(kept)
    remaining = {*(["retrieval"] if module.get("retrieval") else []), *module["exercises"], "quiz", "pulse",
                 *(f"reflection.{r['id']}" for r in module["reflections"])}
    for step in module["steps"]:
        step["parts"] = [p for p in step["parts"] if p in remaining]
    return module


@pytest.mark.parametrize("change,message", [
    (lambda m: m.update(quiz=m["quiz"][:2]), "quiz has 2 item(s) -> at least 3"),
    (lambda m: without_parts(m, reflections=m["reflections"][:1]), "1 reflection(s) -> exactly 2"),
    (lambda m: m.pop("hook"), "no hook"),
])
def test_a_module_missing_a_part_fails(course, change, message):
    config, notebooks = course
    # The last module: no later module's retrieval questions refer to its quiz.
    edit_yaml(config / "course.yaml", lambda d: change(d["modules"][-1]))
    assert any(message in p for p in run_checks(config, notebooks))


def test_a_module_with_one_exercise_fails(course):
    config, notebooks = course
    def one_exercise(d):
        without_parts(d["modules"][0], exercises=["myth_or_data"])
        # Its barometer, gone, can no longer be run with a team (course.yaml refuses that first).
        d["team_sessions"]["exercises"] = [e for e in d["team_sessions"]["exercises"] if e["module"] != "m1"]

    edit_yaml(config / "course.yaml", one_exercise)
    assert any("1 exercise(s) -> at least 2" in p for p in run_checks(config, notebooks))


def test_steps_cover_the_module_and_add_up_to_its_minutes(course):
    config, notebooks = course
    edit_yaml(config / "course.yaml", lambda d: d["modules"][0]["steps"][1].update(minutes=30))
    assert any("their minutes add up to" in p for p in run_checks(config, notebooks))
    edit_yaml(config / "course.yaml", lambda d: d["modules"][0]["steps"][1].update(minutes=4))
    edit_yaml(config / "course.yaml", lambda d: d["modules"][0]["steps"][0]["parts"].append("three_n"))
    assert any("every part belongs to exactly one step (twice: ['three_n']" in p for p in run_checks(config, notebooks))


def test_the_notebook_opens_each_step_in_order_around_its_parts(course):
    config, notebooks = course
    nb = notebooks / "01_why_innovate.ipynb"
    original = nb.read_text(encoding="utf-8")
    nb.write_text(original.replace('page.step(\\"sort\\")', 'page.step(\\"questions\\")', 1), encoding="utf-8")
    assert any("the page.step() calls are" in p for p in run_checks(config, notebooks))
    # The sorter moved before its step begins.
    sorter, concepts = 'page.exercise(CaseSorter, \\"three_n\\")\\n', 'page.step(\\"concepts\\")\\n'
    moved = original.replace(sorter, "", 1).replace(concepts, concepts + '",\n    "' + sorter, 1)
    assert moved != original
    nb.write_text(moved, encoding="utf-8")
    assert any("three_n is not inside step 'sort'" in p for p in run_checks(config, notebooks))


def test_objectives_and_a_sourced_why_are_required(course):
    config, notebooks = course
    edit_text(config, "sv", "m1", lambda d: d.update(objectives=d["objectives"][:2],
                                                      why="Det är viktigt för kommunen."))
    problems = run_checks(config, notebooks)
    assert any("text/sv/m1.yaml: 2 objectives -> list 3 or 4" in p for p in problems)
    assert any("text/sv/m1.yaml: why has no {fact:<id>}" in p for p in problems)


def test_reflection_minimum_below_the_floor_fails(course):
    config, notebooks = course
    edit_yaml(config / "course.yaml", lambda d: d.update(reflection_min_words=20))
    assert any("reflection_min_words is 20" in p for p in run_checks(config, notebooks))


def test_second_module_needs_retrieval_questions(course):
    config, notebooks = course
    edit_yaml(config / "course.yaml", lambda d: d["modules"].append(
        {**d["modules"][0], "id": "m9", "notebook": "09_copy.ipynb"}))
    shutil.copy(notebooks / "01_why_innovate.ipynb", notebooks / "09_copy.ipynb")
    for lang in ("sv", "en"):
        shutil.copy(config / "text" / lang / "m1.yaml", config / "text" / lang / "m9.yaml")
    problems = run_checks(config, notebooks)
    assert any("modules[m9]: 0 retrieval item(s) -> 2 or 3" in p for p in problems)
    assert any("09_copy.ipynb: no page.retrieval()" in p for p in problems)


def test_notebook_must_show_every_part_in_order(course):
    config, notebooks = course
    path = notebooks / "01_why_innovate.ipynb"
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        cell["source"] = [line for line in cell["source"] if "page.sources()" not in line]
        if any("page.intro()" in line for line in cell["source"]):
            cell["source"] = [line for line in cell["source"] if "page.intro()" not in line]
    nb["cells"][-1]["source"].append("\npage.intro()")
    path.write_text(json.dumps(nb))
    problems = run_checks(config, notebooks)
    assert "notebooks/01_why_innovate.ipynb: no page.sources() -> the module shape needs it" in problems
    assert any("page.exercise(..., \"myth_or_data\") comes too early" in p for p in problems)


def test_a_module_page_split_over_cells_fails(course):
    config, notebooks = course
    path = notebooks / "01_why_innovate.ipynb"
    nb = json.loads(path.read_text())
    page = nb["cells"][-1]
    split = [line for line in page["source"] if "page.module_end()" in line]
    page["source"] = [line for line in page["source"] if "page.module_end()" not in line]
    nb["cells"].append({**page, "id": "split", "source": split})
    path.write_text(json.dumps(nb))
    problems = run_checks(config, notebooks)
    assert ("notebooks/01_why_innovate.ipynb: 2 code cells after the open_page cell -> put the page in one "
            "cell (each cell is one more round trip to the kernel after the visitor arrives)") in problems


def test_a_team_form_needs_its_words_in_every_language(course):
    config, notebooks = course
    edit_text(config, "en", "m3", lambda d: d["portfolio_mapper"]["team"]["items"].pop("mission"))
    edit_text(config, "sv", "m3", lambda d: d["portfolio_mapper"]["team"]["scale"].pop())
    edit_text(config, "sv", "m1", lambda d: d["unit_barometer"]["team"].pop("question"))
    problems = run_checks(config, notebooks)
    assert any("text/en: m3.portfolio_mapper.team.items.mission is missing" in p for p in problems)
    assert any("text/sv/m3.yaml: portfolio_mapper.team.scale lists 4 answers but the scale 0..4 has 5" in p
               for p in problems)
    assert any("text/sv/m1.yaml: unit_barometer.team.question is missing" in p for p in problems)


def test_the_wrap_up_must_show_every_part_that_completes_it(course):
    config, notebooks = course
    path = notebooks / "09_wrapup.ipynb"
    nb = json.loads(path.read_text())
    page = nb["cells"][-1]
    source = "".join(page["source"])
    assert 'page.exercise(ThenNow, "then_now")' in source
    page["source"] = source.replace('page.exercise(ThenNow, "then_now")', "")
    path.write_text(json.dumps(nb))
    problems = run_checks(config, notebooks)
    assert ("notebooks/09_wrapup.ipynb: part 'then_now' (course.yaml wrapup.parts) is not shown -> add "
            'page.exercise(<Exercise>, "then_now")') in problems
