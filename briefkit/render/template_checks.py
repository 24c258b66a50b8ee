"""A template's length budgets and editorial checks applied to one brief: the counts `summary` and the
TUI show ("112/150 words") and the findings `check`, the TUI's problems and export raise.

The counting and the rules live in the brief layer (`brief.counts`, `brief.editorial`); what needs
the template (its header, a rendering to estimate pages) is here.
"""

from __future__ import annotations

from collections.abc import Iterable

from briefkit.brief.check import CheckReport, Finding
from briefkit.brief.counts import Budgets, SectionBudget, SectionLength, of_budget
from briefkit.brief.editorial import SUPERSEDES, editorial_findings, empty_sections
from briefkit.brief.model import Brief
from briefkit.errors import BriefkitError
from briefkit.library.library import Library
from briefkit.render.page_estimate import Length, measure
from briefkit.render.templates import TemplateInfo, Templates


def section_lengths(brief: Brief, info: TemplateInfo) -> list[SectionLength]:
    """Every section the template expects or budgets, then the brief's others, in that order."""
    names = dict.fromkeys([*info.sections, *info.budgets.sections, *brief.sections])
    lengths = []
    for name in names:
        lengths.append(SectionLength.of(name, brief.sections.get(name, ""),
                                        info.budgets.sections.get(name, SectionBudget())))
    return lengths


def measure_rendered(brief: Brief, library: Library, info: TemplateInfo) -> Length | None:
    """Words and estimated pages of the brief as exported through `info`, quotes unverified or not;
    None when the brief cannot be rendered (its other findings say why)."""
    from briefkit.render.export import render_brief  # citeproc loads only when pages are asked for

    try:
        rendered = render_brief(brief, library, template=info.name, allow_unverified=True, copy="principal")
    except BriefkitError:
        return None
    return measure(rendered.document)


def whole_shown(length: Length, budgets: Budgets, *, notes: bool = True) -> str:
    """`2094/1500 words (and 412 in notes), about 6.8/2 pages`: body words, the notes' apart."""
    words = of_budget(length.words, budgets.max_words, "words")
    pages = f"{length.pages:.1f}" + (f"/{budgets.pages}" if budgets.pages is not None else "")
    return words + (f" (and {length.note_words} in notes)" if notes else "") + f", about {pages} pages"


def template_findings(brief: Brief, library: Library, info: TemplateInfo, length: Length | None = None,
                      *, measure_whole: bool = True) -> list[Finding]:
    """Budget and editorial-rule findings for `brief` with template `info`; `length` is the
    rendered brief's (measured here, if `measure_whole`, when the template budgets the whole brief
    and none is given; else the whole brief's budgets wait for a length)."""
    path = str(brief.path or "")
    findings = [
        Finding("warning", "budget", f"section '{s.name}' has {'; '.join(s.over())} "
                f"(template '{info.name}')", path=path, line=brief.section_lines.get(s.name), section=s.name)
        for s in section_lengths(brief, info) if s.over()
    ]
    budgets = info.budgets
    if length is None and measure_whole and (budgets.pages is not None or budgets.max_words is not None):
        length = measure_rendered(brief, library, info)
    if length is not None and budgets.max_words is not None and length.words > budgets.max_words:
        findings.append(Finding("warning", "budget", f"the brief has {length.words} words, over the "
                                f"budget of {budgets.max_words} (template '{info.name}')", path=path))
    if length is not None and budgets.pages is not None and length.pages > budgets.pages:
        findings.append(Finding("warning", "budget", f"the brief takes about {length.pages:.1f} pages, "
                                f"over the budget of {budgets.pages} (template '{info.name}')", path=path))
    findings += editorial_findings(brief, library, info.checks, template=info.name,
                                   expected_sections=info.sections)
    return findings


def superseded(findings: Iterable[Finding], info: TemplateInfo) -> list[Finding]:
    """`findings` without those a rule of `info` that is on reports more fully."""
    dropped = {code for rule in info.checks for code in SUPERSEDES.get(rule, ())}
    return [f for f in findings if f.code not in dropped]


def add_template_findings(report: CheckReport, brief: Brief, library: Library, *, template: str | None = None,
                          with_length: bool = False) -> tuple[TemplateInfo | None, Length | None]:
    """Add the findings of the brief's template (or `template`) to `report`; a template that cannot
    be read is a warning saying its checks were skipped. Returns the template and, when the
    template budgets the whole brief or `with_length` asks, the rendered brief's length."""
    try:
        info = Templates(brief.path.parent if brief.path else None).get(template or brief.template)
    except BriefkitError as exc:
        line = brief.key_lines.get("template") if exc.path is None else None  # else the message names it
        report.findings.append(Finding("warning", "template", f"{exc}: budgets and editorial checks skipped",
                                       path=str(brief.path or ""), line=line))
        return None, None
    length = measure_rendered(brief, library, info) if with_length else None
    report.findings = superseded(report.findings, info) + template_findings(brief, library, info, length)
    return info, length


def export_warnings(brief: Brief, info: TemplateInfo) -> list[Finding]:
    """What an export through `info` warns of: the sections it expects that are empty (rule
    `expected-sections`, when the template has it on)."""
    return empty_sections(brief, info.name, info.sections) if "expected-sections" in info.checks else []
