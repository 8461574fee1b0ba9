"""The facts registry, course_config/facts.yaml: every learner-visible number, with its source.

Texts refer to facts by id, and the Texts layer renders them per language:

    {fact:se_orgs_strategy}   ->  "79 procent" / "79 per cent"
    {fact:dk_spread}          ->  "mer än hälften" / "more than half"   (never "50")
    {cite:se_orgs_strategy}   ->  "SKL/SKR 2019" (write it inside brackets)

The words ("procent", "ungefär", country names) live in text/<lang>/facts.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from .text_files import exercise_refs
from .yaml_io import read_yaml, validated

# {fact:id} the number in words, {Fact:id} the same starting with a capital ("Mer än hälften"),
# {cite:id} "SKR (2019)" for a fact id or a source id.
PLACEHOLDER = re.compile(r"\{(fact|Fact|cite):([a-z][a-z0-9_]*)\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    publisher: str
    title: str
    year: int = Field(ge=1900, le=2100)
    url: HttpUrl


class Fact(_Strict):
    value: float
    unit: Literal["percent", "count", "sek"]
    comparator: Literal["=", "~", ">", "<", "nearly"] = "="
    style: Literal["number", "of_ten", "half"] = "number"
    population: str
    country: Literal["SE", "DK", "NO", "NORDIC", "INT"]
    year: str = Field(min_length=4, description="fieldwork year or edition, e.g. 2018 or 2015–16")
    n: int | None = Field(default=None, gt=0, description="sample size where the source gives one")
    # False while the edition is inferred, not read in the source: the page then names the
    # country without a year, so no reader takes the guess for a fact (content review D9).
    year_checked: bool = True
    source: str
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Fact:
        if self.unit == "percent" and not 0 <= self.value <= 100:
            raise ValueError(f"a percentage must be 0-100, not {self.value}")
        if self.style == "half" and (self.value != 50 or self.comparator not in (">", "<")):
            raise ValueError('style "half" is for "more/less than half": value 50 and comparator > or <')
        if self.style == "of_ten" and (self.unit != "percent" or self.value % 10):
            raise ValueError('style "of_ten" needs a percentage that is a multiple of 10')
        return self

    @property
    def lower_bound(self) -> bool:
        """True when the source gives only a bound ("more than half"), not a point value."""
        return self.comparator in (">", "<")


class Registry(_Strict):
    sources: dict[str, Source]
    facts: dict[str, Fact]

    @model_validator(mode="after")
    def _sources_exist(self) -> Registry:
        for fact_id, fact in self.facts.items():
            if fact.source not in self.sources:
                raise ValueError(f"facts.{fact_id}.source {fact.source!r} is not under sources:")
        return self

    def fact(self, fact_id: str) -> Fact:
        try:
            return self.facts[fact_id]
        except KeyError:
            raise KeyError(f"no fact {fact_id!r} in course_config/facts.yaml") from None

    # -- words -------------------------------------------------------------------------------
    def phrase(self, fact_id: str, words: Mapping[str, str]) -> str:
        """The fact as a learner reads it in running text, in the language of `words`."""
        fact = self.fact(fact_id)
        if fact.style == "half":
            return words["facts.more_than_half" if fact.comparator == ">" else "facts.less_than_half"]
        if fact.style == "of_ten":
            number = words["facts.of_ten"].format(value=int(fact.value // 10))
        else:
            number = words[f"facts.unit.{fact.unit}"].format(value=number_text(fact.value, words))
        if fact.comparator == "=":
            return number
        return words[f"facts.comparator.{fact.comparator}"].format(value=number)

    def short(self, fact_id: str, words: Mapping[str, str]) -> str:
        """A chart label: "79 %", "> 50 %", "~80 %"."""
        fact = self.fact(fact_id)
        mark = {"=": "", "~": "~", ">": "> ", "<": "< ", "nearly": "~"}[fact.comparator]
        unit = " %" if fact.unit == "percent" else ""
        return f"{mark}{number_text(fact.value, words)}{unit}"

    def cite(self, fact_or_source: str) -> str:
        sid = fact_or_source if fact_or_source in self.sources else self.fact(fact_or_source).source
        source = self.sources[sid]
        return f"{source.publisher} {self.year_of(sid)}"

    def year_of(self, sid: str) -> str:
        """The source's year, with a, b … (in facts.yaml's order) when one publisher has several
        that year, so two different publications never cite alike (content review D9)."""
        source = self.sources[sid]
        twins = [k for k, s in self.sources.items() if (s.publisher, s.year) == (source.publisher, source.year)]
        return f"{source.year}{'abcdefghij'[twins.index(sid)]}" if len(twins) > 1 else str(source.year)

    def known(self, kind: str, ref: str) -> bool:
        return ref in self.facts or (kind == "cite" and ref in self.sources)

    def where(self, fact_id: str, words: Mapping[str, str]) -> str:
        """Country and year: "Danmark 2013–14" (the country alone while the year is unchecked)."""
        fact = self.fact(fact_id)
        country = words[f"facts.country.{fact.country}"]
        return f"{country} {fact.year}" if fact.year_checked else country

    def source_line(self, fact_ids: Iterable[str], words: Mapping[str, str]) -> str:
        """The line a chart carries on its image: "Källa: SKL/SKR 2019, Sverige 2018; …"."""
        seen: dict[str, list[str]] = {}
        for fact_id in fact_ids:
            seen.setdefault(self.cite(fact_id), [])
            where = self.where(fact_id, words)
            if where not in seen[self.cite(fact_id)]:
                seen[self.cite(fact_id)].append(where)
        parts = [f"{cite}, {', '.join(wheres)}" for cite, wheres in seen.items()]
        return words["facts.source_line"].format(sources="; ".join(parts))

    def render(self, text: str, words: Mapping[str, str]) -> str:
        """Replace {fact:id} and {cite:id} placeholders in one text."""

        def one(match: re.Match) -> str:
            kind, ref = match.groups()
            if kind == "cite":
                return self.cite(ref)
            phrase = self.phrase(ref, words)
            return phrase[:1].upper() + phrase[1:] if kind == "Fact" else phrase

        return PLACEHOLDER.sub(one, text)

    def sources_markdown(self, refs: Iterable[str]) -> str:
        """A Markdown list of the sources behind these facts or source ids, with links, in first-use order."""
        lines, done = [], set()
        for ref in refs:
            sid = ref if ref in self.sources else self.fact(ref).source
            if sid in done:
                continue
            done.add(sid)
            s = self.sources[sid]
            lines.append(f"- {s.publisher} ({self.year_of(sid)}). *{s.title}*. <{s.url}>")
        return "\n".join(lines)


def number_text(value: float, words: Mapping[str, str]) -> str:
    """1800 -> "1 800" (sv) or "1,800" (en); 2.5 -> "2,5" / "2.5"."""
    whole = float(value).is_integer()
    text = f"{int(value):,}" if whole else f"{value:,.1f}"
    sep, dec = words["facts.thousands_separator"], words["facts.decimal_mark"]
    sep = {"nbsp": "\u00a0"}.get(sep, sep)  # YAML and .strip() would lose a bare no-break space
    return text.replace(",", "\0").replace(".", dec).replace("\0", sep)


def placeholders_in(text: str) -> list[tuple[str, str]]:
    """[("fact", "se_orgs_strategy"), ("cite", "skr_innovationsguiden"), ...]"""
    return [(m.group(1), m.group(2)) for m in PLACEHOLDER.finditer(text)]


def fact_ids_in(text: str) -> list[str]:
    """Ids of the facts and sources a text refers to."""
    return [ref for _kind, ref in placeholders_in(text)]


def load_registry(config_dir: Path) -> Registry:
    path = config_dir / "facts.yaml"
    return validated(Registry, read_yaml(path), str(path))


@cache
def registry(config_dir: str) -> Registry:
    return load_registry(Path(config_dir))


def fact_ids_for(module_id: str, texts: dict[str, dict[str, str]], exercises: dict) -> tuple[str, ...]:
    """Facts and sources a module refers to, in first-use order: its texts (per language in
    name order), then its exercise file's parameters."""
    ids: list[str] = []
    for lang in sorted(texts):
        for key, text in texts[lang].items():
            if key.startswith(f"{module_id}."):
                ids += fact_ids_in(text)
    ids += [ref for _key, ref in exercise_refs(exercises.get(module_id) or {})]
    return tuple(dict.fromkeys(ids))
