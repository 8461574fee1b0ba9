"""Cohort rosters as offices make them (Excel's CSV: `,` or `;`, UTF-8 with or without BOM,
or Windows-1252), and the CSV of personal links that goes back to them.

Reading checks every row first and reports every problem with its line; nothing is
written unless the whole file is right.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..core.ids import LEARNER_ID
from ..core.tokens import LinkSigner, page_url
from ..course.model import Course

COLUMNS = ("learner_id", "name", "email", "lang")
# Header names as people write them (compared lower-case, spaces and '-' ignored).
ALIASES = {
    "learner_id": {"learnerid", "id", "deltagarid", "deltagare", "användarid", "anvandarid"},
    "name": {"name", "namn", "fullname", "fulltnamn", "deltagarnamn"},
    "email": {"email", "epost", "mail", "mejl", "epostadress", "emailaddress", "mejladress"},
    "lang": {"lang", "language", "språk", "sprak"},
}
EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[A-Za-z]{2,}$")
_TRANSLITERATE = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "þ": "th", "ð": "d"})


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: `key` names the message in course_config's cli texts."""

    line: int | None
    key: str
    values: dict = field(default_factory=dict)


class RosterError(ValueError):
    def __init__(self, path: Path, problems: list[Problem]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(
            f"line {p.line}: {p.key} {p.values}" if p.line else f"{p.key} {p.values}" for p in problems))


@dataclass(frozen=True)
class Roster:
    rows: list[dict]
    encoding: str
    delimiter: str
    suggested: list[tuple[int, str, str]]  # (line, learner id made from the name, from what)


def suggest_id(text: str) -> str:
    """A learner id from a name or an id people typed: 'Åsa Lindström' -> 'asa-lindstrom'."""
    text = unicodedata.normalize("NFKD", text.strip().lower().translate(_TRANSLITERATE))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:63].strip("-")


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) if it is that, else Windows-1252 (Excel's 'CSV' on Windows)."""
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def _delimiter(header: str) -> str:
    return max((";", ",", "\t"), key=header.count)


def _column(name: str) -> str | None:
    key = re.sub(r"[\s_\-]+", "", (name or "").strip().lower())
    return next((column for column, names in ALIASES.items() if key in names), None)


def read_roster(path: Path, course: Course) -> Roster:
    """Every row validated before anything is written; all problems reported at once."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise RosterError(path, [Problem(None, "no_file")]) from None
    text, encoding = decode(data)
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip(" ,;\t")), None)
    if first is None:
        raise RosterError(path, [Problem(None, "empty")])
    delimiter = _delimiter(lines[first])
    reader = csv.reader(io.StringIO("\n".join(lines[first:])), delimiter=delimiter)
    header = next(reader)
    columns = [_column(h) for h in header]
    if "learner_id" not in columns and "name" not in columns:
        raise RosterError(path, [Problem(first + 1, "header", {"found": delimiter.join(header)})])

    problems: list[Problem] = []
    rows, suggested = [], []
    ids: dict[str, int] = {}
    emails: dict[str, tuple[int, str]] = {}
    for number, cells in enumerate(reader, start=first + 2):
        if not any(c.strip(" ,;\t") for c in cells):
            continue  # blank rows and Excel's trailing ",,," rows
        raw = {col: cells[i].strip() for i, col in enumerate(columns) if col and i < len(cells)}
        learner_id, name, email = raw.get("learner_id", ""), raw.get("name", ""), raw.get("email", "")
        lang = raw.get("lang", "").lower() or None
        if not learner_id:
            learner_id = suggest_id(name) or suggest_id(email.split("@")[0])
            if learner_id:
                suggested.append((number, learner_id, name or email))
            else:
                problems.append(Problem(number, "no_id"))
        elif not LEARNER_ID.fullmatch(learner_id):
            problems.append(Problem(number, "bad_id", {"id": learner_id,
                                                       "suggestion": suggest_id(learner_id) or suggest_id(name)}))
            learner_id = ""
        if learner_id in ids:
            problems.append(Problem(number, "duplicate_id", {"id": learner_id, "other": ids[learner_id]}))
        elif learner_id:
            ids[learner_id] = number
        if email and not EMAIL.fullmatch(email):
            problems.append(Problem(number, "bad_email", {"email": email}))
        elif email:
            if email.lower() in emails:
                other_line, other_id = emails[email.lower()]
                problems.append(Problem(number, "duplicate_email",
                                        {"email": email, "other": other_line, "other_id": other_id or "-"}))
            else:
                emails[email.lower()] = (number, learner_id)
        for column, value in (("name", name), ("email", email)):
            problem = field_problem(column, value)
            if problem:
                problems.append(Problem(number, *problem))
        if lang is not None and lang not in course.languages:
            problems.append(Problem(number, "bad_lang", {"lang": raw.get("lang"),
                                                         "languages": ", ".join(course.languages)}))
        rows.append({"learner_id": learner_id, "name": name, "email": email, "lang": lang})
    if problems:
        raise RosterError(path, problems)
    return Roster(rows, encoding, delimiter, suggested)


FIELD_LIMIT = 200  # the store's column width for names and e-mail addresses
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def field_problem(column: str, value: str) -> tuple[str, dict] | None:
    """Why a name or e-mail cannot be imported (a cli.roster text key and its values), or None.

    Control characters (NUL, escape sequences that rewrite a facilitator's terminal, line
    breaks) and bidirectional overrides (which make a name display as another) are refused;
    names in any script are fine.
    """
    if len(value) > FIELD_LIMIT:
        return "field_too_long", {"column": column, "length": len(value), "limit": FIELD_LIMIT}
    for ch in value:
        if unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS:
            return "field_control", {"column": column, "code": f"U+{ord(ch):04X}"}
    return None


def link_rows(learners, signer: LinkSigner, base_url: str, course: Course) -> list[dict]:
    out = []
    for learner in learners:
        # The current generation: `innokraft links` never hands out a revoked link.
        token = signer.issue(learner.id, learner.cohort_id, learner.link_generation)
        lang = learner.lang or course.default_language
        out.append({"learner_id": learner.id, "name": learner.name, "email": learner.email,
                    "lang": lang, "url": page_url(base_url, course.start_notebook, token, lang)})
    return out


def write_links(rows: list[dict], out, delimiter: str = ",") -> None:
    writer = csv.DictWriter(out, fieldnames=[*COLUMNS, "url"], delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
