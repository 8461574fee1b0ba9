"""Formgrader shows learners' names by default in innokraft's JupyterLab (issue 11).

nbgrader 0.9.6's formgrader shows submissions as "Submission #1, #2…" on purpose (blind
grading, jupyter/nbgrader#575) and has no setting to change that: the names are in its pages,
hidden by its CSS (`.name-shown {display: none}`) until someone presses "Show All Names" or an
eye icon. A course of a dozen leaders, whom the facilitator answers by name, is not
blind-graded, so innokraft's `lab` and `session` enable this small Jupyter server extension
(`--ServerApp.jpserver_extensions=innokraft.grading.formgrader_names=True`, see cli._lab_command).

It patches no nbgrader code. It puts innokraft's templates (formgrader_templates/) in front of
formgrader's own, through the two objects formgrader reads from the Tornado settings: the Jinja
environment of its pages and the nbconvert exporter of a submission's page. Each template
extends nbgrader's and only flips the default, so the eye icons and the toggle button still
work ("Hide All Names" hides them again).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

TEMPLATES = Path(__file__).parent / "formgrader_templates"
SUBMISSION_TEMPLATE = "innokraft_formgrade"  # conf.json: based on nbgrader's "formgrade"


def _jupyter_server_extension_points():
    return [{"module": "innokraft.grading.formgrader_names"}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Nothing yet: extensions load in alphabetical order, so nbgrader's formgrader (which puts
    its Jinja environment and exporter in the settings) loads after this one. Jupyter Server
    runs the start hook below once every extension is loaded."""


async def _start_jupyter_server_extension(serverapp) -> None:
    settings = serverapp.web_app.settings
    env, exporter = settings.get("nbgrader_jinja2_env"), settings.get("nbgrader_exporter")
    if env is None or exporter is None:
        serverapp.log.warning("innokraft.grading.formgrader_names: formgrader is not loaded; names stay hidden")
        return
    if exporter.template_name == SUBMISSION_TEMPLATE:  # started twice: already done
        return
    # The lists: ours first, then nbgrader's by plain name (its templates extend each other so),
    # and as "nbgrader/<name>", which is how ours extend the one they stand in for.
    env.loader = ChoiceLoader([FileSystemLoader(str(TEMPLATES)), env.loader, PrefixLoader({"nbgrader": env.loader})])
    # A submission's page: the same exporter, with our template based on nbgrader's "formgrade";
    # nbgrader's template folder also as a search path, for our `extends 'formgrade/index.html.j2'`.
    settings["nbgrader_exporter"] = type(exporter)(
        config=exporter.config, template_name=SUBMISSION_TEMPLATE,
        extra_template_basedirs=[str(TEMPLATES), *exporter.extra_template_basedirs],
        extra_template_paths=[*exporter.extra_template_basedirs, *exporter.extra_template_paths])
    serverapp.log.info("innokraft.grading.formgrader_names: formgrader shows learners' names by default")
