"""Every environment variable is declared once (innokraft.core.settings), read nowhere else, and
the README's table of them is the one `innokraft info --env` prints."""

from __future__ import annotations

import re

from innokraft.core.settings import Settings, declared
from tests.conftest import REPO, innokraft

START, END = "<!-- settings:start -->", "<!-- settings:end -->"


def readme_table() -> str:
    lines = ["| variable | group | default | what it does |", "|---|---|---|---|"]
    lines += [f"| `{name}` | {group} | {default or '–'} | {text} |" for group, name, default, text in declared()]
    return "\n".join(lines)


def test_the_readme_lists_every_setting_as_the_code_declares_it():
    readme = (REPO / "README.md").read_text()
    table = readme.split(START)[1].split(END)[0].strip()
    assert table == readme_table(), "README's settings table differs from the code: " \
        "run `python -m tests.unit.test_settings` to write it"


def test_info_lists_every_setting(home):
    printed = innokraft("info", "--env").stdout
    for _group, name, _default, _text in declared():
        assert name in printed


# A variable read by name: os.environ["X"] (not set), os.environ.get("X"), os.getenv("X").
READ = re.compile(r"""(?:environ(?:\.get)?\s*[\[(]|getenv\()\s*["']((?:INNOKRAFT|VOILA)_[A-Z_]+|QUERY_STRING|"""
                  r"""SCRIPT_NAME)["'][\])](?!\s*=[^=])""")


def test_no_module_reads_a_variable_behind_the_settings_back():
    readers = []
    for folder in ("innokraft", "widgets", "benchmarks", "tests", "notebooks"):
        for path in (REPO / folder).rglob("*"):
            if path.suffix not in (".py", ".ipynb") or "node_modules" in path.parts:
                continue
            for match in READ.finditer(path.read_text(errors="ignore")):
                readers.append(f"{path.relative_to(REPO)}: {match.group(1)}")
    assert readers == []


def test_empty_values_count_as_unset_and_paths_are_resolved(tmp_path):
    settings = Settings.from_env({"INNOKRAFT_HOME": str(tmp_path / "h"), "INNOKRAFT_DB_URL": ""})
    assert settings.db_url == f"sqlite:///{tmp_path / 'h' / 'innokraft.db'}"
    assert settings.home.is_absolute() and settings.cull_idle_s == 90


if __name__ == "__main__":
    path = REPO / "README.md"
    text = path.read_text()
    head, rest = text.split(START)
    _old, tail = rest.split(END)
    path.write_text(f"{head}{START}\n{readme_table()}\n{END}{tail}")
