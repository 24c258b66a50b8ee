"""Editorial checks: what an editor looks for in a brief beyond verified quotes, each a named rule.

A template's `checks:` header switches rules on or off and sets their parameters (see `RULES`);
rules a template does not name keep their defaults (`DEFAULT_ON`). Every finding is a warning whose
code is the rule's name: these are judgements for the analyst, not broken input.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from briefkit.brief.check import Finding
from briefkit.brief.counts import count_words, paragraphs, plain_text
from briefkit.brief.model import CITATION, Brief
from briefkit.library.library import Library

RULES: dict[str, dict[str, Any]] = {
    "expected-sections": {},
    "evidence-for-recommendation": {"sections": ["recommendation"]},
    "evidence-for-and-against": {},
    "options-with-status-quo": {
        "min_options": 2,
        "status_quo": ["status quo", "current policy", "current course", "stay the course", "no change",
                       "do nothing", "keep", "maintain", "continue"],
    },
    "source-age": {"max_years": 5},
    "source-concentration": {"max_share": 0.5, "min_citations": 4},
}
"""Each rule's parameters with their defaults (a value given in a header must have the same type;
an int may stand for a float)."""

DEFAULT_ON = ("expected-sections",)

SUPERSEDES = {"evidence-for-and-against": ("no-opposing-quote",)}
"""`check`'s own findings a rule reports more fully; dropped while the rule is on."""

Settings = Mapping[str, Mapping[str, Any]]
"""The rules switched on, by name, each with its parameters."""


def default_settings() -> dict[str, dict[str, Any]]:
    return {name: dict(RULES[name]) for name in DEFAULT_ON}


def editorial_findings(brief: Brief, library: Library, settings: Settings, *, template: str,
                       expected_sections: tuple[str, ...] = (), today: dt.date | None = None) -> list[Finding]:
    """The findings of every rule in `settings`, for a brief rendered with template `template`."""
    path = str(brief.path or "")
    findings: list[Finding] = []

    def add(rule: str, message: str, **kw: Any) -> None:
        findings.append(Finding("warning", rule, f"{message} (rule {rule})", path=path, **kw))

    if "expected-sections" in settings:
        findings += empty_sections(brief, template, expected_sections)
    if "evidence-for-recommendation" in settings:
        for name in settings["evidence-for-recommendation"]["sections"]:
            for paragraph in paragraphs(brief.sections.get(name, "")):
                if not paragraph.startswith("#") and count_words(paragraph) and not CITATION.search(paragraph):
                    add("evidence-for-recommendation",
                        f"section '{name}': a recommendation cites no evidence (“{_opening(paragraph)}”)",
                        section=name, line=brief.section_lines.get(name))
    if "evidence-for-and-against" in settings:
        for p in brief.positions:
            stances = {c.stance for c in p.citations}
            missing = [side for side, stance in (("for", "supports"), ("against", "opposes"))
                       if stance not in stances]
            if missing:
                add("evidence-for-and-against",
                    f"position '{p.id}' has no evidence {' or '.join(missing)}", position=p.id, line=p.line)
    if "options-with-status-quo" in settings:
        params = settings["options-with-status-quo"]
        if len(brief.positions) < params["min_options"]:
            add("options-with-status-quo", f"{len(brief.positions)} option(s): template '{template}' "
                f"weighs at least {params['min_options']}")
        words = [re.escape(w.casefold()) for w in params["status_quo"]]
        status_quo = re.compile(r"\b(?:" + "|".join(words) + r")\b") if words else None
        if status_quo is None or not any(
                status_quo.search(f"{p.id.replace('-', ' ')} {p.title}".casefold()) for p in brief.positions):
            add("options-with-status-quo", "no option is the status quo (a title with "
                + ", ".join(f"“{w}”" for w in params["status_quo"][:4]) + ", …)")
    cited = Counter(c.source for _, c in brief.citations() if c.source in library.entries)
    if "source-age" in settings:
        max_years = settings["source-age"]["max_years"]
        as_of = _date_of(brief.date) or today or dt.date.today()
        for source in cited:
            issued = _issued(library.entries[source].csl)
            if issued is not None and (as_of - issued).days > max_years * 365.25:
                add("source-age", f"source '{source}' is from {issued.isoformat()}, more than {max_years} "
                    f"years before the brief ({cited[source]} citation(s))")
    if "source-concentration" in settings and cited:
        params = settings["source-concentration"]
        total = sum(cited.values())
        if total >= params["min_citations"]:
            publishers: Counter[str] = Counter()
            sources_of: dict[str, set[str]] = {}
            for source, n in cited.items():
                publisher = _publisher(library.entries[source].csl) or source
                publishers[publisher] += n
                sources_of.setdefault(publisher, set()).add(source)
            for kind, counts in (("source", cited), ("publisher", publishers)):
                for name, n in counts.most_common():
                    if n / total <= params["max_share"]:
                        break
                    if kind == "publisher" and len(sources_of[name]) == 1:
                        continue  # one source's publisher: reported as the source
                    add("source-concentration", f"{n} of {total} citations ({n / total:.0%}) come from "
                        f"{kind} '{name}', more than {params['max_share']:.0%}")
    return findings


def empty_sections(brief: Brief, template: str, expected: tuple[str, ...]) -> list[Finding]:
    """Rule `expected-sections`: the sections template `template` expects that are empty."""
    return [Finding("warning", "expected-sections", f"section '{name}' is empty: template '{template}' "
                    "expects it (rule expected-sections)", path=str(brief.path or ""), section=name,
                    line=brief.section_lines.get(name))
            for name in expected if not brief.sections.get(name, "").strip()]


def _opening(paragraph: str, words: int = 6) -> str:
    shown = plain_text(paragraph).split()
    return " ".join(shown[:words]) + (" …" if len(shown) > words else "")


def _date_of(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _issued(csl: Mapping[str, Any]) -> dt.date | None:
    """The first day a CSL `issued` date can mean (a year alone is its 1 January)."""
    parts = (csl.get("issued") or {}).get("date-parts") or [[]]
    try:
        numbers = [int(x) for x in parts[0][:3]]
        return dt.date(numbers[0], *(numbers[1:] + [1, 1])[:2]) if numbers else None
    except (TypeError, ValueError, IndexError):
        return None


def _publisher(csl: Mapping[str, Any]) -> str:
    """Who put the source out: its publisher, else the journal or site, else an organisation as author."""
    for key in ("publisher", "container-title"):
        if isinstance(csl.get(key), str) and csl[key].strip():
            return str(csl[key]).strip()
    authors = csl.get("author") or []
    if authors and isinstance(authors[0], Mapping) and authors[0].get("literal"):
        return str(authors[0]["literal"])
    return ""
