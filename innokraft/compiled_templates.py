"""The page templates compiled once per server, not once per page.

Voilà makes a new nbconvert exporter, and with it a new Jinja environment, for every page it
writes: each preheated kernel's page, each visitor's. Jinja keeps compiled templates per
environment, so every page compiled the course template and the templates it extends anew, on
the thread that also relays every learner's kernel messages (issue 7: py-spy found it; the
server's CPU per M1 visit, with its pool refill, fell from 227-278 ms to 205 ms). Jinja's
bytecode cache, one per server and in memory, keeps them across environments (CourseExporter,
the pages' exporter); a template whose source changed is compiled anew (the cache compares the
source's checksum).
"""

from __future__ import annotations

import jinja2
from voila.exporter import VoilaExporter


class _InMemory(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[tuple, bytes] = {}

    @staticmethod
    def _key(bucket: jinja2.bccache.Bucket) -> tuple:
        # Compiled code depends on the environment's settings as well as on the source.
        env = bucket.environment
        return (bucket.key, env.is_async, tuple(sorted(env.extensions)),
                env.block_start_string, env.variable_start_string)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(self._key(bucket))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[self._key(bucket)] = bucket.bytecode_to_string()


SHARED = _InMemory()


class CourseExporter(VoilaExporter):
    """Voilà's exporter, with the server's one bytecode cache in every environment it makes."""

    @property
    def environment(self):
        env = super().environment
        env.bytecode_cache = SHARED
        return env


def use_in_voila() -> None:
    """Voilà has no setting for the exporter its page renderer makes: the renderer's module
    names VoilaExporter, and from now on that name is ours."""
    import voila.notebook_renderer

    voila.notebook_renderer.VoilaExporter = CourseExporter
