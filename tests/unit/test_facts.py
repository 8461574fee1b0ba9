"""The facts registry and how the Texts layer renders {fact:id} and {cite:id}."""

from __future__ import annotations

import shutil

import pytest
import yaml

from innokraft.course.facts import load_registry
from innokraft.course.load import course_and_texts, module_fact_ids
from innokraft.course.text_files import load_texts
from innokraft.course.yaml_io import ConfigError
from tests.conftest import REPO

CONFIG = REPO / "course_config"


@pytest.fixture(scope="module")
def words():
    return {lang: load_texts(CONFIG, lang) for lang in ("sv", "en")}


def test_every_fact_has_a_source_with_a_link():
    reg = load_registry(CONFIG)
    assert reg.facts
    for fact in reg.facts.values():
        assert str(reg.sources[fact.source].url).startswith("http")


def test_more_than_half_is_never_fifty(words):
    reg = load_registry(CONFIG)
    assert reg.phrase("dk_spread", words["sv"]) == "mer än hälften"
    assert reg.phrase("dk_spread", words["en"]) == "more than half"
    assert reg.short("dk_spread", words["en"]) == "> 50 %"


@pytest.mark.parametrize("fact,sv,en", [
    ("se_orgs_strategy", "79 procent", "79 per cent"),
    ("se_workplaces_innovative", "ungefär 8 av 10", "about 8 in 10"),
    ("se_over_80_growth", "nästan 50 procent", "nearly 50 per cent"),
    ("se_respondents", "mer än 1\u00a0800", "more than 1,800"),
])
def test_phrases_per_language(words, fact, sv, en):
    reg = load_registry(CONFIG)
    assert (reg.phrase(fact, words["sv"]), reg.phrase(fact, words["en"])) == (sv, en)


def test_the_texts_layer_renders_placeholders():
    _course, texts = course_and_texts(CONFIG)
    assert "{fact:" not in "".join(texts["sv"].values()) and "{cite:" not in "".join(texts["en"].values())
    assert texts["sv"]["m1.quiz.share_innovative.options.1"] == "Ungefär 8 av 10"
    assert "(SKL/SKR 2019a)" in texts["sv"]["m1.quiz.strategy_effect.explanation"]


def test_a_chart_source_line_names_country_and_year(words):
    reg = load_registry(CONFIG)
    line = reg.source_line(["se_orgs_strategy", "dk_spread", "se_workplaces_innovative"], words["sv"])
    assert line == "Källa: SKL/SKR 2019a, Sverige 2018; COI 2015, Danmark 2013–14"


def test_module_sources_are_collected_from_texts_and_exercises():
    ids = module_fact_ids(CONFIG, "m1")
    assert "se_over_80_growth" in ids and "dk_spread" in ids and "skr_barometer_2022" in ids


def test_a_served_page_reads_its_sources_compiled_and_they_are_the_same(tmp_path, monkeypatch):
    from innokraft.course.load import compile_config

    modules = [m.id for m in course_and_texts(CONFIG)[0].modules]
    read = {m: module_fact_ids(CONFIG, m) for m in modules}
    assert all(read.values())
    monkeypatch.setenv("INNOKRAFT_COMPILED_CONFIG", str(compile_config(CONFIG.resolve(), tmp_path / "course.json")))
    module_fact_ids.cache_clear()
    try:
        monkeypatch.setattr("innokraft.course.load.raw_texts", lambda _dir: pytest.fail("texts parsed again"))
        assert {m: module_fact_ids(CONFIG.resolve(), m) for m in modules} == read
    finally:
        module_fact_ids.cache_clear()


@pytest.mark.parametrize("change,message", [
    (lambda d: d["facts"]["dk_spread"].update(value=150), "a percentage must be 0-100"),
    (lambda d: d["facts"]["dk_spread"].update(comparator="="), 'style "half"'),
    (lambda d: d["facts"]["dk_spread"].update(source="nowhere"), "'nowhere' is not under sources"),
    (lambda d: d["sources"]["coi_spread"].update(url="not a url"), "url"),
])
def test_a_bad_fact_is_refused_with_its_place(tmp_path, change, message):
    config = tmp_path / "course_config"
    shutil.copytree(CONFIG, config)
    path = config / "facts.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(ConfigError, match=message):
        load_registry(config)


def test_an_unchecked_edition_year_stays_off_the_page(words):
    """D9: a year inferred, not read in the source, is not printed; the country is."""
    reg = load_registry(CONFIG)
    assert reg.fact("dk_staff_helped").year_checked is False
    assert reg.where("dk_staff_helped", words["sv"]) == "Danmark"
    assert reg.source_line(["dk_staff_helped"], words["sv"]) == "Källa: CO-PI 2017a, Danmark"
    assert reg.where("dk_spread", words["sv"]) == "Danmark 2013–14"


def test_two_publications_never_cite_alike():
    """D9: one publisher's two publications of a year are told apart (a, b), in text and sources."""
    reg = load_registry(CONFIG)
    cites = {sid: reg.cite(sid) for sid in reg.sources}
    assert len(set(cites.values())) == len(cites), cites
    assert (cites["copi_barriers"], cites["copi_collaboration"]) == ("CO-PI 2017a", "CO-PI 2017b")
    assert "- CO-PI (2017b). *Innovationsbarometeret: samarbejde" in reg.sources_markdown(["copi_collaboration"])
