# Voilà inside Binder's Jupyter server: the course template, no code, no tracebacks.
# The README's Binder badge opens urlpath=voila/render/notebooks/00_start.ipynb.
c = get_config()  # noqa: F821
c.VoilaConfiguration.template = "innokraft"
c.VoilaConfiguration.theme = "light"
c.VoilaConfiguration.strip_sources = True
c.VoilaConfiguration.show_tracebacks = False
c.VoilaConfiguration.extension_allowlist = [
    "@jupyter-widgets/jupyterlab-manager",
    "@voila-dashboards/widgets-manager8",
    "anywidget",
]
c.HTMLExporter.language_code = "sv"
# No MathJax from a CDN (Voilà's front-end loads it from cdnjs unless both are null): as under `innokraft serve`,
# a page makes no request off its own server. The course has no formulas.
c.ServerApp.tornado_settings = {"mathjax_url": None, "mathjax_config": None}
# The accessibility statement and privacy notice that every page's footer links to.
c.ServerApp.jpserver_extensions = {"innokraft.web.binder_extension": True}
# The page template's words (skip link, loading note) from course_config, in every language.
from innokraft.web.templates import binder_page_config  # noqa: E402

c.VoilaConfiguration.page_config_hook = binder_page_config
