"""The course's styles and scripts, each found and gzipped once, not per visitor.

Voilà's TemplateStaticFileHandler walks the template hierarchy on disk for every file asked,
and Tornado gzips a file anew for every visitor who has not cached it: the 713 kB widget
bundle alone took ~20 ms of the server's one thread per new visitor, while that visitor's
kernel was still writing the page through it (issue 7; py-spy on `innokraft serve`). The files
do not change while the server runs (their URLs carry their content hash).

The widgets' own browser modules (widgets/front) are served the same way, so that a page
names them instead of carrying their source in every widget's state (widgets.front_files).
"""

from __future__ import annotations

import gzip
import os

import tornado.web
from tornado.web import GZipContentEncoding
from voila.paths import collect_static_paths
from voila.static_file_handler import TemplateStaticFileHandler

from .security import SecureHeaders


class GzippedOnce(tornado.web.StaticFileHandler):
    """A static file handler that keeps each file's gzip for every later visitor."""

    _gzipped: dict[tuple[str, float, int], bytes] = {}
    _gzip = False

    async def get(self, path, include_body=True):
        accepted = self.request.headers.get("Accept-Encoding", "")
        if "gzip" in accepted and "Range" not in self.request.headers:
            self._gzip = True
            # On this request only: tornado also calls get_content on the class (for the hash).
            self.get_content = self._gzipped_content
            self.get_content_size = self._gzipped_size
        return await super().get(path, include_body)

    def _compressed(self) -> bytes | None:
        ctype = self.get_content_type() or ""
        if not (ctype.startswith("text/") or ctype in GZipContentEncoding.CONTENT_TYPES):  # tornado's rule
            return None
        stat = os.stat(self.absolute_path)
        key = (self.absolute_path, stat.st_mtime, stat.st_size)
        body = self._gzipped.get(key)
        if body is None:
            with open(self.absolute_path, "rb") as file:
                body = self._gzipped[key] = gzip.compress(file.read(), GZipContentEncoding.GZIP_LEVEL, mtime=0)
        return body

    def _gzipped_size(self) -> int:
        body = self._compressed()
        return len(body) if body is not None else type(self).get_content_size(self)

    def _gzipped_content(self, abspath, start=None, end=None):
        body = self._compressed()
        if body is None:
            return type(self).get_content(abspath, start, end)
        return body[start:end]

    def set_extra_headers(self, path):
        super().set_extra_headers(path)  # tornado's gzip adds "Vary: Accept-Encoding"
        if self._gzip and self._compressed() is not None:
            self.set_header("Content-Encoding", "gzip")  # tornado's gzip then leaves it as it is


class CourseStaticFiles(GzippedOnce, TemplateStaticFileHandler):
    _roots: dict[str, list[str]] = {}

    def parse_url_path(self, path):
        template, static, _file = path.split("/", 2)
        assert static == "static"
        roots = self._roots.get(template)
        if roots is None:
            roots = self._roots[template] = collect_static_paths(["voila", "nbconvert"], template)
        self.roots = roots
        return tornado.web.StaticFileHandler.parse_url_path(self, path)


class WidgetFrontFiles(SecureHeaders, GzippedOnce):
    """widgets/front at /innokraft/front/: kept for good by the browser when asked with ?v=."""
