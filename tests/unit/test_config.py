from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from innokraft.course.model import load_course
from innokraft.course.text_files import check_texts, flatten, load_texts
from innokraft.course.yaml_io import ConfigError
from tests.conftest import REPO

CONFIG = REPO / "course_config"


@pytest.fixture
def config_copy(tmp_path) -> Path:
    target = tmp_path / "course_config"
    shutil.copytree(CONFIG, target)
    return target


def edit_course(folder: Path, change) -> None:
    path = folder / "course.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


def test_the_shipped_course_is_valid():
    course = load_course(CONFIG)
    assert course.default_language == "sv"
    assert course.languages == ["sv", "en"]
    assert [m.id for m in course.modules][0] == "m1"
    assert check_texts(CONFIG, course) == []


def test_every_text_exists_in_every_language():
    course = load_course(CONFIG)
    keys = {lang: set(load_texts(CONFIG, lang)) for lang in course.languages}
    assert keys["sv"] == keys["en"]
    for lang in course.languages:
        assert all(v.strip() for v in load_texts(CONFIG, lang).values()), lang


def test_missing_translation_is_named(config_copy):
    path = config_copy / "text" / "en" / "ui.yaml"
    data = yaml.safe_load(path.read_text())
    del data["saved"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    problems = check_texts(config_copy, load_course(config_copy))
    assert any("text/en" in p and "'ui.saved'" in p and "translate" in p for p in problems)


def test_error_names_file_key_and_fix(config_copy):
    edit_course(config_copy, lambda d: d["modules"][0].update(minutes=-5))
    with pytest.raises(ConfigError) as exc:
        load_course(config_copy)
    message = str(exc.value)
    assert "course.yaml" in message and "modules.0.minutes" in message and "change this value" in message


def test_a_prompt_missing_a_language_is_refused(config_copy):
    edit_course(config_copy, lambda d: d["modules"][0]["reflections"][0]["prompt"].pop("en"))
    with pytest.raises(ConfigError, match=r"reflections\[latest_change\]\.prompt has no text for \['en'\]"):
        load_course(config_copy)


def test_unknown_keys_and_bad_default_language_are_refused(config_copy):
    edit_course(config_copy, lambda d: d.update(colour="blue", default_language="fi"))
    with pytest.raises(ConfigError) as exc:
        load_course(config_copy)
    assert "colour" in str(exc.value) and "remove this key" in str(exc.value)


def test_quiz_answer_must_be_an_option(config_copy):
    edit_course(config_copy, lambda d: d["modules"][0]["quiz"][0].update(correct=7))
    with pytest.raises(ConfigError, match="only 3 options"):
        load_course(config_copy)


def test_broken_yaml_is_reported_with_its_file(config_copy):
    (config_copy / "course.yaml").write_text("id: [unclosed\n")
    with pytest.raises(ConfigError, match="course.yaml: not valid YAML"):
        load_course(config_copy)


def test_flatten_lists_and_nesting():
    assert flatten({"a": {"b": "x"}, "l": ["y", "z"]}) == {"a.b": "x", "l.0": "y", "l.1": "z"}


def test_quiz_option_counts_match_the_config():
    course = load_course(CONFIG)
    for lang in course.languages:
        texts = load_texts(CONFIG, lang)
        for module in course.modules:
            for item in module.quiz:
                options = [k for k in texts if k.startswith(f"{module.id}.quiz.{item.id}.options.")]
                assert len(options) == item.options, (lang, item.id)


def test_the_template_takes_its_own_words_from_course_config_in_every_language(tmp_path):
    from innokraft.core.settings import Settings
    from innokraft.web.templates import KEYS, template_texts

    template = (CONFIG / "voila" / "templates" / "innokraft" / "index.html.j2").read_text()
    assert "Hoppa till" not in template and "Sidan laddas" not in template  # no words of its own
    assert all(f"t.{key}" in template for key in KEYS)
    course = load_course(CONFIG)
    texts = template_texts(Settings.from_env(home=tmp_path), course)
    assert list(texts) == [course.default_language] + [x for x in course.languages if x != course.default_language]
    for lang in course.languages:
        table = load_texts(CONFIG, lang)
        assert texts[lang] == {key: table[f"ui.{key}"] for key in KEYS} and all(texts[lang].values())
