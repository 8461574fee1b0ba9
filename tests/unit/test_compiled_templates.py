"""Voilà makes a new exporter (a new Jinja environment) for every page: the course's server
compiles its page templates once, and a template changed on disk anew."""

import inspect

from voila import notebook_renderer
from voila.exporter import VoilaExporter
from voila.paths import collect_template_paths

from innokraft.web.templates import CourseExporter, use_in_voila
from tests.conftest import REPO


def compiles(exporter, name: str) -> int:
    env = exporter.environment
    calls = []
    compile_ = env.compile
    env.compile = lambda *args, **kwargs: calls.append(args) or compile_(*args, **kwargs)
    env.get_template(name)
    return len(calls)


def test_voila_makes_the_course_exporter():
    # Voilà's page renderer makes its exporter by the module-level name that use_in_voila
    # replaces: if an upgrade makes it otherwise, the pages lose the cache and this fails.
    source = inspect.getsource(notebook_renderer.NotebookRenderer)
    assert "self.exporter = VoilaExporter(" in source
    assert notebook_renderer.VoilaExporter in (VoilaExporter, CourseExporter)
    use_in_voila()
    assert notebook_renderer.VoilaExporter is CourseExporter


def test_the_page_template_is_compiled_for_the_first_page_only(monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(REPO / "course_config"))
    paths = collect_template_paths(["voila", "nbconvert"], "innokraft")
    CourseExporter(template_paths=paths, template_name="innokraft").environment.get_template("index.html.j2")
    assert compiles(CourseExporter(template_paths=paths, template_name="innokraft"), "index.html.j2") == 0


def test_a_template_changed_on_disk_is_compiled_anew(tmp_path):
    (tmp_path / "page.j2").write_text("{{ 1 + 1 }}")
    assert compiles(CourseExporter(template_paths=[str(tmp_path)]), "page.j2") == 1
    assert compiles(CourseExporter(template_paths=[str(tmp_path)]), "page.j2") == 0
    (tmp_path / "page.j2").write_text("{{ 2 + 2 }}")
    exporter = CourseExporter(template_paths=[str(tmp_path)])
    assert compiles(exporter, "page.j2") == 1
    assert exporter.environment.get_template("page.j2").render() == "4"
