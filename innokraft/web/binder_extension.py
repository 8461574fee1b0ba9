"""The accessibility statement and the privacy notice on a plain Jupyter server (Binder).

Every course page links them from its footer at `<base_url>innokraft/about/<kind>`.
`innokraft serve` answers there itself; on Binder the pages run inside Jupyter Server's Voilà
extension, so binder/jupyter_server_config.py enables this extension to answer there too.
"""

from __future__ import annotations


def _jupyter_server_extension_points():
    return [{"module": "innokraft.web.binder_extension"}]


def _load_jupyter_server_extension(serverapp) -> None:
    from jupyter_server.utils import url_path_join

    from ..core.settings import Settings
    from ..course.model import load_course
    from .service_pages import AboutPage

    settings = Settings.from_env()
    pages = {"settings": settings, "course": load_course(settings.config_dir)}
    base = serverapp.web_app.settings.get("base_url", "/")
    serverapp.web_app.add_handlers(".*$", [
        (url_path_join(base, r"innokraft/about/(accessibility|privacy)"), AboutPage, pages)])
