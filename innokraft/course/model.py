"""The course as course.yaml declares it: modules, their exercises, quiz, reflections and the
evaluation instruments. Validated once, strictly; errors name the file, the key and the fix."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..core.ids import CONFIG_ID as ID_PATTERN
from .yaml_io import read_yaml, validated


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# A rubric's levels as course.yaml writes them: "5 p: … 3 p: … 1 p: …" ("5 pts: …" in English).
RUBRIC_LEVEL = re.compile(r"(\d+) (?:p|pts?):\s")


class Reflection(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    points: float = Field(gt=0, le=100)
    prompt: dict[str, str]
    # What each level of points asks of the answer, in Rolfe's order: what happened (and what
    # the leader thought or felt), what it means in the module's terms, what they will do next.
    rubric: dict[str, str]

    def rubric_levels(self, lang: str) -> list[tuple[int | None, str]]:
        """The rubric's levels in `lang`, highest first: (points, the level's text with its label).
        Text before the first label comes back with None, for `innokraft check` to refuse."""
        text = self.rubric.get(lang, "").strip()
        starts = [m.start() for m in RUBRIC_LEVEL.finditer(text)]
        if not starts or starts[0] != 0:
            starts = [0, *starts]
        levels = []
        for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
            part = text[begin:end].strip()
            label = RUBRIC_LEVEL.match(part)
            levels.append((int(label.group(1)) if label else None, part))
        return levels


class QuizItem(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    options: int = Field(ge=2, le=6, description="how many options each language lists")
    correct: int = Field(ge=0)
    # "apply": the item asks the learner to use a concept on a case the module has not shown.
    level: Literal["recall", "apply"] = "recall"

    @model_validator(mode="after")
    def _correct_is_an_option(self) -> QuizItem:
        if self.correct >= self.options:
            raise ValueError(f"correct is {self.correct} but there are only {self.options} options")
        return self


class RetrievalItem(_Strict):
    """A quiz item of an earlier module, asked again at the start of this one (spacing)."""

    module: str = Field(pattern=ID_PATTERN)
    item: str = Field(pattern=ID_PATTERN)


class Step(_Strict):
    """A part of a module page a leader can do in one sitting: named in the texts
    (`parts.steps.<id>`, or `<module>.steps.<id>` for this module alone), timed, and done when
    its parts are (the module's items: "retrieval", an exercise id, "quiz", "reflection.<id>",
    and "pulse", the closing rating). A step without parts is for reading: done once the
    leader has gone on to a later one."""

    id: str = Field(pattern=ID_PATTERN)
    minutes: int = Field(gt=0, le=60)
    parts: list[str] = Field(default_factory=list)


class Module(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    notebook: str = Field(pattern=r"^[0-9]{2}_[a-z0-9_]+\.ipynb$")
    minutes: int = Field(gt=0, le=120)
    title: dict[str, str]
    # The exercise that opens the module with a surprise (a prediction checked against data).
    hook: str | None = Field(default=None, pattern=ID_PATTERN)
    exercises: list[str] = Field(min_length=1)
    retrieval: list[RetrievalItem] = Field(default_factory=list)
    quiz: list[QuizItem] = Field(min_length=1)
    reflections: list[Reflection] = Field(min_length=1)
    # The page in steps, in page order; the notebook opens each with page.step(<id>).
    steps: list[Step] = Field(min_length=2, max_length=9)

    @model_validator(mode="after")
    def _hook_is_an_exercise(self) -> Module:
        if self.hook is not None and self.hook not in self.exercises:
            raise ValueError(f"hook {self.hook!r} is not one of the module's exercises")
        return self

    @property
    def parts(self) -> list[str]:
        """Everything a step can be made of, in page order."""
        return [*(["retrieval"] if self.retrieval else []), *self.exercises, "quiz",
                *(f"reflection.{r.id}" for r in self.reflections), "pulse"]

    @model_validator(mode="after")
    def _steps_cover_the_page(self) -> Module:
        ids = [s.id for s in self.steps]
        if len(set(ids)) != len(ids):
            raise ValueError(f"steps: an id is used twice ({ids})")
        placed = [p for s in self.steps for p in s.parts]
        unknown = [p for p in placed if p not in self.parts]
        if unknown:
            raise ValueError(f"steps: {unknown} are not parts of this module (parts: {self.parts})")
        twice = sorted({p for p in placed if placed.count(p) > 1})
        missing = [p for p in self.parts if p not in placed]
        if twice or missing:
            raise ValueError(f"steps: every part belongs to exactly one step (twice: {twice}, "
                             f"in no step: {missing})")
        total = sum(s.minutes for s in self.steps)
        if total != self.minutes:
            raise ValueError(f"steps: their minutes add up to {total}, the module says {self.minutes}")
        return self

    @property
    def assignment(self) -> str:
        """The module's nbgrader assignment (and notebook) name: its id, so formgrader says
        `m1` where the command line does (nbgrader only refuses '+' in it)."""
        return self.id


class RatingItem(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    options: int = Field(ge=2, le=7, description="how many answer options each language lists")


class Evaluation(_Strict):
    """The course's evaluation instruments (Kirkpatrick levels 1-3); texts in text/<lang>/evaluation.yaml."""

    pulse: list[RatingItem] = Field(
        default=[RatingItem(id="relevance", options=5), RatingItem(id="clarity", options=5),
                 RatingItem(id="time", options=3)],
        min_length=1, description="the three-item pulse at the end of every module")
    skills: list[str] = Field(
        default=["iteration", "data_literacy", "user_centricity", "curiosity", "storytelling",
                 "insurgency"],
        min_length=1, description="the skills rated before and after the course (OPSI core skills)")
    skill_scale: int = Field(default=5, ge=3, le=7)
    compare_profile: str | None = Field(
        default=None, pattern=r"^[a-z0-9_]+\.[a-z0-9_]+$",
        description="an exercise ('<module>.<exercise>', a rating grid grouped by the same skills) whose "
                    "first profile the end-of-course self-assessment shows beside its own")
    delayed_quiz_weeks: int = Field(default=4, ge=1, le=52,
                                    description="the delayed retrieval quiz opens this long after a module")
    follow_up_weeks: int = Field(default=6, ge=1, le=52,
                                 description="the workplace follow-up question opens this long after a module")
    follow_up_closes_weeks: int = Field(default=8, ge=1, le=104)
    min_group: int = Field(default=5, ge=2, le=100,
                           description="cohort aggregates of self-ratings are shown only from this many learners")
    facilitator_link_days: int = Field(default=7, ge=1, le=90,
                                       description="a facilitator link (the cohort's dashboard and exports) "
                                                   "works this long; `facilitator-link --revoke` ends them sooner")

    @model_validator(mode="after")
    def _window(self) -> Evaluation:
        if self.follow_up_closes_weeks < self.follow_up_weeks:
            raise ValueError("follow_up_closes_weeks must not be before follow_up_weeks")
        return self


class TeamScale(_Strict):
    min: int = Field(ge=-10, le=10)
    max: int = Field(ge=-10, le=10)

    @model_validator(mode="after")
    def _ordered(self) -> TeamScale:
        if not self.min < self.max or self.max - self.min > 10:
            raise ValueError(f"scale {self.min}..{self.max}: need min < max and at most 11 steps")
        return self


class TeamExercise(_Strict):
    """An exercise a leader may run with their team: the few items its member form asks, on one scale."""

    module: str = Field(pattern=ID_PATTERN)
    exercise: str = Field(pattern=ID_PATTERN)
    items: list[str] = Field(min_length=1, max_length=20)
    scale: TeamScale
    # Where each item's words are: <item_texts>.<item> in text/<lang>/ (default: the form's own
    # <module>.<exercise>.team.items); M1's barometer names the factors the leader rates.
    item_texts: str | None = Field(default=None, pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")

    @field_validator("items")
    @classmethod
    def _item_ids(cls, value: list[str]) -> list[str]:
        for item in value:
            if not re.fullmatch(ID_PATTERN, item):
                raise ValueError(f"item {item!r} is not an id such as 'time'")
        if len(set(value)) != len(value):
            raise ValueError("items must be unique")
        return value

    @property
    def key(self) -> str:
        """The exercise's answer key, '<module>.<exercise>': what a team session is for."""
        return f"{self.module}.{self.exercise}"

    @property
    def texts(self) -> str:
        """The prefix of the member form's texts (title, question, scale, items)."""
        return f"{self.key}.team"

    def item_key(self, item: str) -> str:
        return f"{self.item_texts or self.texts + '.items'}.{item}"

    @property
    def values(self) -> list[int]:
        return list(range(self.scale.min, self.scale.max + 1))


# Fewer answers than this and one answer could be read from the team's figures.
MIN_TEAM_ANSWERS = 3


class TeamSessions(_Strict):
    """Exercises a leader runs with their team from the module page (a team link, anonymous
    answers, the team's result for the group). The words every session shares are in
    text/<lang>/team.yaml; each form's own in its module's file, under <exercise>.team."""

    min_answers: int = Field(default=5, le=100, description=(
        "the team's result is shown only from this many answers (never fewer than 3)"))
    minutes: list[int] = Field(default=[10, 15, 20, 30, 45, 60], min_length=1,
                               description="the closing times a leader may choose, in minutes from opening")
    default_minutes: int = 15
    exercises: list[TeamExercise] = Field(default_factory=list)

    @field_validator("min_answers")
    @classmethod
    def _never_one_answer(cls, value: int) -> int:
        if value < MIN_TEAM_ANSWERS:
            raise ValueError(f"min_answers is {value}: with fewer than {MIN_TEAM_ANSWERS} answers one person's "
                             f"answer can be read from the team's result -> set it to {MIN_TEAM_ANSWERS} or more "
                             "(default 5)")
        return value

    @model_validator(mode="after")
    def _choices(self) -> TeamSessions:
        if any(not 1 <= m <= 240 for m in self.minutes) or len(set(self.minutes)) != len(self.minutes):
            raise ValueError("minutes: each between 1 and 240, none twice")
        if self.default_minutes not in self.minutes:
            raise ValueError(f"default_minutes {self.default_minutes} is not one of minutes {self.minutes}")
        keys = [e.key for e in self.exercises]
        if len(set(keys)) != len(keys):
            raise ValueError("an exercise is listed twice under team_sessions.exercises")
        return self

    def find(self, key: str) -> TeamExercise | None:
        """The team form of the exercise '<module>.<exercise>', if it allows a team session."""
        return next((e for e in self.exercises if e.key == key), None)

    def for_module(self, module_id: str) -> list[TeamExercise]:
        return [e for e in self.exercises if e.module == module_id]


class Thread(_Strict):
    """The leader's own initiative, carried through the course: named in one module, then taken
    up by each later one (texts: text/<lang>/parts.yaml `thread`, and `<module>.thread` for what
    a module asks of it). Saved under THREAD_KEY, with every earlier version kept."""

    named_in: str = Field(pattern=ID_PATTERN)
    used_in: list[str] = Field(default_factory=list)
    max_chars: int = Field(default=300, ge=40, le=1000)


# Where the initiative is saved: not under one page, since every module reads it.
THREAD_KEY = "thread.initiative"


class Certificate(_Strict):
    """The certificate a learner gets once every module is done (innokraft.facilitator.certificate):
    who issues it, and the time it certifies (its words: text/<lang>/certificate.yaml)."""

    # The organisation(s) that stand behind the certificate, as each language writes them.
    issuer: dict[str, str]
    # The workplace task each module ends with, done with the team at work, in minutes: added to
    # the modules' own minutes for the hours the certificate names. An estimate; 0 leaves it out.
    task_minutes_per_module: int = Field(default=0, ge=0, le=600)


class WrapUp(_Strict):
    """The page that closes the course (not a module: no quiz, no reflections, nothing graded): the
    leader's ratings then and now, the practice cards they unlock, their initiative's journey, a
    90-day plan and the certificate. Its texts are text/<lang>/wrapup.yaml; its page id is "wrapup"."""

    notebook: str = Field(pattern=r"^[0-9]{2}_[a-z0-9_]+\.ipynb$")
    minutes: int = Field(gt=0, le=120)
    # The exercises on the page that make it done (the start page shows how many are).
    parts: list[str] = Field(min_length=1)

    @field_validator("parts")
    @classmethod
    def _part_ids(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value) or any(not re.fullmatch(ID_PATTERN, v) for v in value):
            raise ValueError(f"parts: ids such as 'then_now', each once (got {value})")
        return value


WRAPUP = "wrapup"


class Course(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: dict[str, str]
    default_language: str = Field(pattern=r"^[a-z]{2}$")
    languages: list[str] = Field(min_length=1)
    token_max_age_days: int = Field(gt=0, le=3650)
    timezone: str = "Europe/Stockholm"
    reflection_min_words: int = Field(default=40, ge=1, le=1000)
    # The language of the `innokraft` command's messages (default: default_language).
    facilitator_language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    start_notebook: str
    modules: list[Module] = Field(min_length=1)
    evaluation: Evaluation = Evaluation()
    # Preheated kernels per notebook under `innokraft serve` ("default" for the others).
    kernel_pools: dict[str, int] = Field(default_factory=dict)
    team_sessions: TeamSessions = TeamSessions()
    thread: Thread | None = None
    # Without it the course offers no certificate.
    certificate: Certificate | None = None
    # Without it the course ends with its last module.
    wrapup: WrapUp | None = None

    @field_validator("languages")
    @classmethod
    def _two_letter_codes(cls, value: list[str]) -> list[str]:
        for code in value:
            if not re.fullmatch(r"[a-z]{2}", code):
                raise ValueError(f"{code!r} is not a two-letter language code such as 'sv'")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone name such as 'Europe/Stockholm'") from None
        return value

    @model_validator(mode="after")
    def _every_text_in_every_language(self) -> Course:
        if self.default_language not in self.languages:
            raise ValueError(f"default_language {self.default_language!r} is not in languages")
        ids = [m.id for m in self.modules]
        if len(set(ids)) != len(ids):
            raise ValueError("module ids must be unique")
        for n, m in enumerate(self.modules):
            earlier = {e.id: e for e in self.modules[:n]}
            for r in m.retrieval:
                if r.module not in earlier or r.item not in {q.id for q in earlier[r.module].quiz}:
                    raise ValueError(f"modules[{m.id}].retrieval: {r.module}.{r.item} is not a quiz "
                                     "item of an earlier module")
        by_id = {m.id: m for m in self.modules}
        if self.thread is not None:
            for where in [self.thread.named_in, *self.thread.used_in]:
                if where not in by_id:
                    raise ValueError(f"thread: {where!r} is not a module in course.yaml")
            if self.thread.named_in in self.thread.used_in or \
                    ids.index(self.thread.named_in) > min((ids.index(m) for m in self.thread.used_in), default=99):
                raise ValueError("thread: the initiative is named in a module before every module that uses it")
        for e in self.team_sessions.exercises:
            if e.module not in by_id or e.exercise not in by_id[e.module].exercises:
                raise ValueError(f"team_sessions: {e.key} is not an exercise of a module in course.yaml")
        wanted = set(self.languages)
        maps: list[tuple[str, dict[str, str]]] = [("title", self.title)]
        if self.certificate is not None:
            maps.append(("certificate.issuer", self.certificate.issuer))
        for m in self.modules:
            maps.append((f"modules[{m.id}].title", m.title))
            for r in m.reflections:
                maps.append((f"modules[{m.id}].reflections[{r.id}].prompt", r.prompt))
                maps.append((f"modules[{m.id}].reflections[{r.id}].rubric", r.rubric))
        for where, mapping in maps:
            missing = wanted - {k for k, v in mapping.items() if v and v.strip()}
            if missing:
                raise ValueError(f"{where} has no text for {sorted(missing)}: add one per language")
        return self

    def module(self, module_id: str) -> Module:
        for m in self.modules:
            if m.id == module_id:
                return m
        raise KeyError(module_id)

    @property
    def notebooks(self) -> dict[str, str]:
        """Every page's notebook by page id: the start page, the modules, the wrap-up."""
        out = {"start": self.start_notebook, **{m.id: m.notebook for m in self.modules}}
        if self.wrapup is not None:
            out[WRAPUP] = self.wrapup.notebook
        return out



def load_course(config_dir: Path) -> Course:
    path = config_dir / "course.yaml"
    return validated(Course, read_yaml(path), str(path))
