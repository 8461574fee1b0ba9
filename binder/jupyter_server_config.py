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
