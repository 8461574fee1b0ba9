"""The grammar of every id Innokraft accepts from outside: learners, cohorts, pages, answer keys.

Ids become nbgrader student ids, folder names and database keys; each is checked once, here.
"""

from __future__ import annotations

import re

# Learner and cohort ids become nbgrader student ids and folder names: keep them plain.
LEARNER_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
# Ids in course_config (modules, exercises, quiz items, reflections).
CONFIG_ID = r"^[a-z][a-z0-9_]{0,31}$"
# A page's id (a module id or "start") and an answer key '<page>.<exercise>[.<part>]'.
PAGE = re.compile(r"^[a-z0-9_]{1,63}$")
ANSWER_KEY = re.compile(r"^[a-z0-9_]{1,63}(\.[a-z0-9_]{1,63}){1,4}$")
# A team session's id: random, made by the store (innokraft.teams.sessions).
TEAM_SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
REFLECTION_KEY = re.compile(r"^[a-z0-9_]{1,63}\.reflection\.[a-z0-9_]{1,63}$")


class InvalidId(ValueError):
    """An id that may not be used; `what` is "learner id" or "cohort id" (the CLI says it in words)."""

    def __init__(self, message: str, what: str = "learner id", value: str = ""):
        super().__init__(message)
        self.what, self.value = what.replace(" ", "_"), value


def validate_id(value: str, what: str = "learner id") -> str:
    value = (value or "").strip()
    if not LEARNER_ID.fullmatch(value):
        raise InvalidId(
            f"{what} {value!r} is not allowed: use 1-63 lowercase letters a-z, digits, '-' or '_',"
            " starting with a letter or digit", what, value
        )
    return value
