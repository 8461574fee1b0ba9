"""The course's glossary: a term's first use on a page explains itself (issue 23).

`course_config/text/<lang>/glossary.yaml` gives each term its base form (`term`), the forms it
takes in running text (`forms`, split by |) and a one-sentence `definition`. On a page, the first use of a
term in a course text is marked with <dfn> and followed, after that text, by a disclosure
(<details>) holding the definition; later uses on the same page are left as they are. Runs in a
learner's kernel: plain string work, no imports beyond the standard library and markupsafe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from .texts import Texts

TAG = re.compile(r"(<[^>]*>)")


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    definition: str
    pattern: re.Pattern[str]


def terms(t: Texts) -> list[Term]:
    """The glossary in t's language, longest forms first so "innovationsportfölj" wins over a part."""
    out = []
    for term_id in t.ids("glossary"):
        forms = sorted((f.strip() for f in t(f"glossary.{term_id}.forms").split("|") if f.strip()),
                       key=len, reverse=True)
        if not forms:
            continue
        pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(f) for f in forms) + r")(?!\w)", re.IGNORECASE)
        out.append(Term(term_id, t(f"glossary.{term_id}.term"), t(f"glossary.{term_id}.definition"), pattern))
    return out


def explain_first_uses(html: Markup, glossary: list[Term], seen: set[str], t: Texts) -> Markup:
    """html with each term not yet in `seen` marked at its first use and explained after it.

    Only text between tags is searched, never a tag or an attribute; `seen` is updated.
    """
    parts = TAG.split(str(html))
    explained = []
    for term in glossary:
        if term.id in seen:
            continue
        for i in range(0, len(parts), 2):  # even indexes are text, odd ones tags
            found = term.pattern.search(parts[i])
            if found:
                parts[i] = (parts[i][:found.start()] + str(Markup("<dfn>{}</dfn>").format(Markup(found.group(0))))
                            + parts[i][found.end():])
                parts[i:i + 1] = TAG.split(parts[i])  # keep text and tags apart for the next term
                seen.add(term.id)
                explained.append(term)
                break
    notes = Markup("").join(
        Markup('<details class="innokraft-term"><summary>{}</summary><p>{}</p></details>').format(
            t("ui.glossary.what_is", term=term.term), term.definition) for term in explained)
    return Markup("".join(parts)) + notes
