"""`innokraft check`: rules a course must keep beyond what the pydantic models validate.

Each rule returns a list of problems ("where: what -> how to fix"); an empty list is a pass.

The shape every module page has (issue 8), and how a module declares it:

- course.yaml, per module: `hook` (one of its `exercises`), at least two `exercises`, a
  `quiz` of at least three items, two `reflections`; from the second module on, two or
  three `retrieval` items (quiz items of earlier modules).
- text/<lang>/<module>.yaml: `objectives` (a list of three or four), `why` (why it matters
  for a municipality, with at least one `{fact:id}`), `task` (the workplace task).
- The notebook shows them in this order: `page.intro()` (objectives and why: the first
  screen), `page.retrieval()` (from the second module), the hook's `page.exercise(..., "<hook>")`,
  every exercise, `page.exercise(Quiz)`, `page.exercise(Reflections)`, `page.task()` and
  `page.sources()` (the sources of every fact the module's texts cite).
- A reflection counts as done from `reflection_min_words` in course.yaml, at least
  MIN_REFLECTION_WORDS. Its rubric grades in levels from its `points` down ("5 p: … 3 p: …
  1 p: …"), the same levels in every language.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .facts import load_registry, placeholders_in
from .load import rendered_texts
from .model import Course, load_course
from .notebooks import OPEN_PAGE_TAG, opens_page
from .text_files import check_texts, exercise_files, exercise_refs, load_texts
from .yaml_io import ConfigError

# Rolfe's cycle (What? So what? Now what?) asks what happened, what it means and what I will do: three parts
# of a few sentences each. Below this a draft cannot hold all three (the review found 20 too few).
MIN_REFLECTION_WORDS = 40

# A share written as a number: "79 %", "79 procent", "79 per cent", "8 av 10", "8 in 10".
PERCENTAGE = re.compile(
    r"\d[\d\s.,]*\s*(?:%|procent\b|per\s*cent\b|percent\b|procentenheter\b|percentage points\b)"
    r"|\b\d+\s+(?:av|in|of)\s+(?:10|100)\b",
    re.IGNORECASE,
)
WORD = re.compile(r"\w+")
PLACEHOLDER = re.compile(r"\{[a-z_]+(?::[a-z0-9_]+)?\}")  # {initiative}, {fact:id}
# A sentence, list item or heading that opens with a numeral (Myndigheternas skrivregler;
# the review asks the same of English).
SENTENCE_OPENS_WITH_DIGIT = re.compile(
    r"(?:\A\s*|[.!?]\s+|\n\s*\n\s*|\n\s*[-*]\s+|\n\s*#+\s+)(\d[\d\s.,]*\w*)")
# English may run longer than Swedish (compounds), but not wholly different in length.
WORD_RATIO = (0.7, 1.4)


def percentages_without_fact(config_dir: Path, course: Course) -> list[str]:
    """A percentage typed into a text instead of taken from facts.yaml by {fact:id}."""
    problems = []
    for lang in course.languages:
        for key, text in load_texts(config_dir, lang).items():
            for match in PERCENTAGE.finditer(text):
                problems.append(f"text/{lang}: {key}: {match.group(0).strip()!r} is a percentage "
                                "without a fact -> add it to facts.yaml and write {fact:<id>}")
    for m in course.modules:
        for r in m.reflections:
            for lang, text in (*r.prompt.items(), *r.rubric.items()):
                for match in PERCENTAGE.finditer(text):
                    problems.append(f"course.yaml: modules[{m.id}].reflections[{r.id}] ({lang}): "
                                    f"{match.group(0).strip()!r} is a percentage without a fact "
                                    "-> move the number into the module's text with {fact:<id>}")
    return problems


def rubric_levels(course: Course) -> list[str]:
    """Each rubric grades in levels ("5 p: … 3 p: … 1 p: …"), the first at the reflection's
    points, highest first and the same in every language: facilitators grade by them, and the
    page lists them before the leader writes."""
    problems = []
    for m in course.modules:
        for r in m.reflections:
            where = f"course.yaml: modules[{m.id}].reflections[{r.id}].rubric"
            shape = {lang: [points for points, _text in r.rubric_levels(lang)] for lang in course.languages}
            for lang, points in shape.items():
                if (None in points or points[0] != r.points or len(points) < 2
                        or points != sorted(set(points), reverse=True)):
                    problems.append(f"{where} ({lang}): levels {points} -> write \"{r.points:g} p: … 3 p: … "
                                    f"1 p: …\" (\"pts\" in English), highest first, from the points ({r.points:g})")
            if len(set(map(tuple, shape.values()))) > 1:
                problems.append(f"{where}: the languages grade in different levels {shape} -> make them the same")
    return problems


def reflection_placeholders(course: Course) -> list[str]:
    """A reflection's prompt and rubric are the same for every leader: the grading notebook, the
    feedback page and the facilitator read them as written, so a {placeholder} would show as such."""
    problems = []
    for m in course.modules:
        for r in m.reflections:
            for part, texts in (("prompt", r.prompt), ("rubric", r.rubric)):
                for lang, text in texts.items():
                    found = PLACEHOLDER.findall(text)
                    if found:
                        problems.append(f"course.yaml: modules[{m.id}].reflections[{r.id}].{part} ({lang}): "
                                        f"{found[0]} is shown as written -> say it in words (\"ditt initiativ\")")
    return problems


def sentences_opening_with_numerals(config_dir: Path, course: Course) -> list[str]:
    """After {fact:id} is filled in, no sentence of a module's prose may start with a numeral.

    Only the modules' own text files: codebooks and dashboards (research.yaml, ...) list
    values such as "1 if opened" on purpose.
    """
    prose = tuple(f"{m.id}." for m in course.modules)
    problems = []
    for lang in course.languages:
        for key, text in rendered_texts(config_dir, lang).items():
            if not key.startswith(prose):
                continue
            for match in SENTENCE_OPENS_WITH_DIGIT.finditer(text):
                problems.append(f"text/{lang}: {key}: a sentence opens with {match.group(1).strip()!r} "
                                "-> reword it so a word comes first")
    return problems


def unknown_facts(config_dir: Path, course: Course) -> list[str]:
    registry = load_registry(config_dir)
    problems = []
    for lang in course.languages:
        for key, text in load_texts(config_dir, lang).items():
            for kind, ref in placeholders_in(text):
                if not registry.known(kind, ref):
                    problems.append(f"text/{lang}: {key}: {{{kind}:{ref}}} names no fact"
                                    f"{' or source' if kind == 'cite' else ''} in facts.yaml "
                                    "-> add it there or fix the id")
    for module_id, data in exercise_files(config_dir).items():
        for key, ref in exercise_refs(data):
            if not registry.known("cite" if key == "source" else "fact", ref):
                problems.append(f"exercises/{module_id}.yaml: {key}: {ref!r} is not in facts.yaml "
                                "-> add it there or fix the id")
    return problems


def word_ratios(config_dir: Path, course: Course, base: str = "sv", other: str = "en") -> list[str]:
    """Each text file's English word count within WORD_RATIO of its Swedish one."""
    if base not in course.languages or other not in course.languages:
        return []
    problems = []
    texts_of = {lang: load_texts(config_dir, lang) for lang in (base, other)}
    for path in sorted((config_dir / "text" / base).glob("*.yaml")):
        counts = {}
        for lang in (base, other):
            texts = texts_of[lang]
            counts[lang] = sum(len(WORD.findall(re.sub(r"\{[^}]*\}", " ", v)))
                               for k, v in texts.items() if k.startswith(f"{path.stem}."))
        if counts[base] and not WORD_RATIO[0] <= counts[other] / counts[base] <= WORD_RATIO[1]:
            problems.append(f"text/{other}/{path.name}: {counts[other]} words against {counts[base]} "
                            f"in {base} (ratio {counts[other] / counts[base]:.2f}, allowed "
                            f"{WORD_RATIO[0]}–{WORD_RATIO[1]}) -> something is missing or added")
    return problems


def _calls(notebook: Path) -> list[str]:
    """The notebook's code, one statement-ish line at a time, in page order."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [line.strip() for c in cells if c["cell_type"] == "code"
            for line in "".join(c["source"]).splitlines() if line.strip().startswith("page.")]


def module_shape(config_dir: Path, course: Course, notebooks_dir: Path) -> list[str]:
    problems = []
    if course.reflection_min_words < MIN_REFLECTION_WORDS:
        problems.append(f"course.yaml: reflection_min_words is {course.reflection_min_words}; "
                        f"a Rolfe reflection (what, so what, now what) needs at least {MIN_REFLECTION_WORDS} "
                        "words -> raise it")
    texts = {lang: load_texts(config_dir, lang) for lang in course.languages}
    for index, m in enumerate(course.modules):
        where = f"course.yaml: modules[{m.id}]"
        if m.hook is None:
            problems.append(f"{where}: no hook -> name the exercise that opens with a surprise")
        if len(m.exercises) < 2:
            problems.append(f"{where}: {len(m.exercises)} exercise(s) -> at least 2 that compute and plot")
        if len(m.quiz) < 3:
            problems.append(f"{where}: quiz has {len(m.quiz)} item(s) -> at least 3")
        if len(m.reflections) != 2:
            problems.append(f"{where}: {len(m.reflections)} reflection(s) -> exactly 2 (Rolfe prompts)")
        if index > 0 and not 2 <= len(m.retrieval) <= 3:
            problems.append(f"{where}: {len(m.retrieval)} retrieval item(s) -> 2 or 3 quiz items of "
                            "earlier modules under retrieval:")
        for lang, table in texts.items():
            objectives = [k for k in table if re.fullmatch(rf"{m.id}\.objectives\.\d+", k)]
            if not 3 <= len(objectives) <= 4:
                problems.append(f"text/{lang}/{m.id}.yaml: {len(objectives)} objectives -> list 3 or 4 "
                                "under objectives:")
            why = table.get(f"{m.id}.why", "")
            if not why:
                problems.append(f"text/{lang}/{m.id}.yaml: no why -> say why it matters for a municipality")
            elif not any(kind != "cite" for kind, _ref in placeholders_in(why)):
                problems.append(f"text/{lang}/{m.id}.yaml: why has no {{fact:<id>}} -> back it with a "
                                "sourced fact")
            if not table.get(f"{m.id}.task"):
                problems.append(f"text/{lang}/{m.id}.yaml: no task -> write the workplace task")
        problems += _notebook_order(notebooks_dir / m.notebook, m, index)
    return problems


def _one_page_cell(path: Path) -> list[str]:
    """After the cell that opens the page, the page is one cell: Voilà runs each cell as one round
    trip to the kernel (~6 ms each on M1), after the visitor has arrived."""
    cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    opening = [i for i, c in enumerate(cells) if opens_page(c)]
    if not opening:
        return [f"notebooks/{path.name}: no cell tagged {OPEN_PAGE_TAG} -> tag the cell that calls open_page"]
    after = len(cells) - 1 - opening[0]
    if after != 1:
        return [f"notebooks/{path.name}: {after} code cells after the open_page cell -> put the page "
                "in one cell (each cell is one more round trip to the kernel after the visitor arrives)"]
    return []


def _notebook_order(path: Path, m, index: int) -> list[str]:
    if not path.exists():
        return [f"notebooks/{path.name}: missing"]
    calls = _calls(path)

    def first(pattern: str) -> int | None:
        return next((i for i, c in enumerate(calls) if re.search(pattern, c)), None)

    wanted = [("page.intro()", r"^page\.intro\(\)")]
    if index > 0:
        wanted.append(("page.retrieval()", r"^page\.retrieval\("))
    if m.hook:
        wanted.append((f'page.exercise(..., "{m.hook}")', rf"""^page\.exercise\(.*["']{m.hook}["']"""))
    wanted += [(f'page.exercise(..., "{e}")', rf"""^page\.exercise\(.*["']{e}["']""")
               for e in m.exercises if e != m.hook]
    wanted += [("page.exercise(Quiz)", r"^page\.exercise\(Quiz"),
               ("page.exercise(Reflections)", r"^page\.exercise\(Reflections"),
               ("page.task()", r"^page\.task\("), ("page.sources()", r"^page\.sources\(")]
    problems, last = [], -1
    for name, pattern in wanted:
        at = first(pattern)
        if at is None:
            problems.append(f"notebooks/{path.name}: no {name} -> the module shape needs it")
        elif at < last:
            problems.append(f"notebooks/{path.name}: {name} comes too early -> keep the module order "
                            "(intro, retrieval, hook, exercises, quiz, reflections, task, sources)")
        else:
            last = max(last, at)
    return problems + _one_page_cell(path) + _steps_in_order(path.name, calls, m)


def _part_call(part: str) -> str:
    """Where a step's part is shown in the notebook (a regular expression on its calls)."""
    if part == "retrieval":
        return r"^page\.retrieval\("
    if part == "quiz":
        return r"^page\.exercise\(Quiz"
    if part.startswith("reflection."):
        return r"^page\.exercise\(Reflections"
    if part == "pulse":
        return r"^page\.module_end\("
    return rf"""^page\.exercise\(.*["']{part}["']"""


def _steps_in_order(name: str, calls: list[str], m) -> list[str]:
    """Each step opens with `page.step("<id>")`, in course.yaml's order, before its parts and
    after the last step's; the banner (`page.header()`) comes before the first step."""
    at = {}
    for i, c in enumerate(calls):
        found = re.match(r"""^page\.step\(["']([a-z0-9_]+)["']\)""", c)
        if found:
            at.setdefault(found.group(1), i)
    problems = []
    order = [s.id for s in m.steps]
    if [s for s in sorted(at, key=at.get)] != order:
        return [f"notebooks/{name}: the page.step() calls are {sorted(at, key=at.get)}, course.yaml's steps "
                f"for {m.id} are {order} -> one page.step(\"<id>\") per step, in that order"]
    header = next((i for i, c in enumerate(calls) if c.startswith("page.header(")), None)
    if header is None or header > at[order[0]]:
        problems.append(f"notebooks/{name}: page.header() must come before the first page.step()")
    bounds = [at[s] for s in order] + [len(calls)]
    for n, step in enumerate(m.steps):
        for part in step.parts:
            where = next((i for i, c in enumerate(calls) if re.search(_part_call(part), c)), None)
            if where is not None and not bounds[n] < where < bounds[n + 1]:
                problems.append(f"notebooks/{name}: {part} is not inside step {step.id!r} -> move its call "
                                f"after page.step(\"{step.id}\") and before the next step")
    return problems


def run_checks(config_dir: Path, notebooks_dir: Path) -> list[str]:
    """Every rule; the pydantic models (course.yaml, facts.yaml) are checked first."""
    try:
        course = load_course(config_dir)
        load_registry(config_dir)
    except ConfigError as exc:
        return [str(exc)]
    unknown = unknown_facts(config_dir, course)
    return [*check_texts(config_dir, course), *unknown,
            *percentages_without_fact(config_dir, course),
            *([] if unknown else sentences_opening_with_numerals(config_dir, course)),
            *word_ratios(config_dir, course), *rubric_levels(course), *reflection_placeholders(course),
            *module_shape(config_dir, course, notebooks_dir),
            *instrument_problems(config_dir, course, notebooks_dir), *team_problems(config_dir, course),
            *wrapup_shape(course, notebooks_dir)]


def wrapup_shape(course: Course, notebooks_dir: Path) -> list[str]:
    """The closing page opens as "wrapup", in one cell, and shows every part that completes it (the
    start page counts them: a part it never shows could never be done)."""
    if course.wrapup is None:
        return []
    path = notebooks_dir / course.wrapup.notebook
    if not path.exists():
        return [f"notebooks/{path.name}: missing (course.yaml wrapup.notebook)"]
    problems = _one_page_cell(path)
    code = "\n".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                     if c["cell_type"] == "code")
    if not re.search(r"open_page\(\s*[\"']wrapup[\"']", code):
        problems.append(f"notebooks/{path.name}: open_page(\"wrapup\", …) not found -> the page saves its "
                        "answers under its id")
    for part in course.wrapup.parts:
        if not re.search(rf"page\.exercise\(\s*\w+,\s*[\"']{part}[\"']", code):
            problems.append(f"notebooks/{path.name}: part {part!r} (course.yaml wrapup.parts) is not shown "
                            f"-> add page.exercise(<Exercise>, \"{part}\")")
    return problems


def team_problems(config_dir: Path, course: Course) -> list[str]:
    """Every team form (course.yaml: team_sessions) has its words in every language: a title, a
    question, each item, and words for every value of its scale or for none (then the numbers)."""
    problems = []
    for lang in course.languages:
        table = load_texts(config_dir, lang)
        for form in course.team_sessions.exercises:
            where = f"text/{lang}/{form.module}.yaml"
            for part in ("title", "question"):
                if f"{form.texts}.{part}" not in table:
                    problems.append(f"{where}: {form.texts.split('.', 1)[1]}.{part} is missing -> write the "
                                    "team form's " + part)
            for item in form.items:
                if form.item_key(item) not in table:
                    problems.append(f"text/{lang}: {form.item_key(item)} is missing -> name the team form's "
                                    f"item {item!r}")
            labels = sum(1 for key in table if key.startswith(f"{form.texts}.scale."))
            if labels and labels != len(form.values):
                problems.append(f"{where}: {form.exercise}.team.scale lists {labels} answers but the scale "
                                f"{form.scale.min}..{form.scale.max} has {len(form.values)} -> make them agree")
    return problems


def instrument_problems(config_dir, course: Course, notebooks_dir) -> list[str]:
    """`innokraft check`: the instruments' texts match course.yaml in every language, and every
    module notebook ends with `page.module_end()` (the pulse)."""
    ev = course.evaluation
    problems = []
    def listed(table: dict[str, str], prefix: str) -> int:
        n = 0
        while f"{prefix}.{n}" in table:
            n += 1
        return n

    for lang in course.languages:
        table = load_texts(config_dir, lang)
        count = lambda prefix, table=table: listed(table, prefix)  # noqa: E731

        where = f"text/{lang}/evaluation.yaml"
        for item in ev.pulse:
            if count(f"evaluation.pulse.{item.id}.options") != item.options:
                problems.append(f"{where}: pulse.{item.id}.options must list {item.options} answers "
                                "(course.yaml: evaluation.pulse) -> make them agree")
            if f"evaluation.pulse.{item.id}.question" not in table:
                problems.append(f"{where}: pulse.{item.id}.question is missing -> write the question")
        if count("evaluation.skills.scale") != ev.skill_scale:
            problems.append(f"{where}: skills.scale must list {ev.skill_scale} answers -> make them agree")
        for skill in ev.skills:
            for part in ("items", "names"):
                if f"evaluation.skills.{part}.{skill}" not in table:
                    problems.append(f"{where}: skills.{part}.{skill} is missing -> write it")
    for m in course.modules:
        path = notebooks_dir / m.notebook
        if not path.exists():
            continue
        cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        last = "".join(cells[-1]["source"]).strip() if cells else ""
        if not last.endswith("page.module_end()"):
            problems.append(f"notebooks/{m.notebook}: the last cell must call page.module_end() "
                            "(the module pulse) -> add it")
    return problems
