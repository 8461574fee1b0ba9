"""The course's design holds across modules (issue 23, content review D2, D10): retrieval builds
on earlier modules in new words, and each of the six skills has one name wherever it appears."""

from __future__ import annotations

import re

import pytest

from innokraft.course.load import course_and_texts
from tests.conftest import REPO

COURSE, TEXTS = course_and_texts(REPO / "course_config")
LANGS = sorted(TEXTS)


def listed(t: dict, prefix: str) -> list[str]:
    return [t[f"{prefix}.{i}"] for i in range(len(t)) if f"{prefix}.{i}" in t]


def plain(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


@pytest.mark.parametrize("lang", LANGS)
def test_no_retrieval_item_repeats_its_quiz_item_word_for_word(lang):
    t = TEXTS[lang]
    asked = 0
    for module in COURSE.modules:
        for r in module.retrieval:
            mine = f"{module.id}.retrieval.{r.item}"
            source = f"{r.module}.quiz.{r.item}"
            assert plain(t[f"{mine}.question"]) != plain(t[f"{source}.question"]), mine
            options = [plain(o) for o in listed(t, f"{mine}.options")]
            assert options != [plain(o) for o in listed(t, f"{source}.options")], mine
            asked += 1
    assert asked >= 6


def test_every_module_from_m3_on_retrieves_from_two_earlier_modules():
    ids = [m.id for m in COURSE.modules]
    for index, module in enumerate(COURSE.modules):
        sources = {r.module for r in module.retrieval}
        assert sources <= set(ids[:index]), module.id  # only what the leader has met
        if index >= 2:
            assert len(sources) >= 2, (module.id, sources)


@pytest.mark.parametrize("lang", LANGS)
def test_every_skill_has_one_name_in_every_module_and_instrument(lang):
    t = TEXTS[lang]
    skills = COURSE.evaluation.skills
    places = ["evaluation.skills.names", "evaluation.skills.groups", "m2.skills_profile.groups",
              "m2.team_coverage.items", "m2.team_coverage.groups"]
    concepts = t["m2.concepts"]
    for skill in skills:
        names = {t[f"{place}.{skill}"] for place in places if f"{place}.{skill}" in t}
        assert len(names) == 1, (skill, names)
        assert f"**{names.pop()}**" in concepts, skill  # M2 introduces it by the same name
