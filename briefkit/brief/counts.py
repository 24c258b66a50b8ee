"""Word counts of a brief's prose, and the length budgets a template declares.

One counting rule everywhere (`briefkit summary`, `check`, the TUI, page estimates): a word is a run
of text between spaces or dashes (— –) holding at least one letter or digit, read from the prose as
it prints: `[@citation]` references (they print as footnote numbers), Markdown markup, link targets
and list numbers are not words. This is how LibreOffice counts an exported document's words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from briefkit.brief.model import CITATION, Brief

BRIEF_KEYS = ("pages", "max_words")
"""Keys of a template's `budgets:` that budget the whole brief; any other key names a section."""

_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()\s]*(?:\s+\"[^\"]*\")?\)")
_LINE_MARKUP = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+)+")
_CITED = re.compile(r"[ \t]*" + CITATION.pattern)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_WORD = re.compile(r"[^\s\u2013\u2014]*[^\W_][^\s\u2013\u2014]*")  # a run between separators, with a letter or digit
_INLINE_MARKUP = re.compile(r"[*_`]+")


@dataclass(frozen=True, slots=True)
class SectionBudget:
    """A template's limits for one prose section (None: no limit)."""

    max_words: int | None = None
    max_lines: int | None = None


@dataclass(frozen=True, slots=True)
class Budgets:
    """A template's `budgets:` header: per-section limits and the whole brief's pages and words."""

    sections: Mapping[str, SectionBudget] = field(default_factory=dict)
    pages: int | None = None
    max_words: int | None = None

    def __bool__(self) -> bool:
        return bool(self.sections) or self.pages is not None or self.max_words is not None


@dataclass(frozen=True, slots=True)
class SectionCount:
    words: int
    lines: int  # printed lines, estimated at `chars_per_line`


def paragraphs(markdown: str) -> list[str]:
    """The blocks of Markdown prose as written, each on one line: a blank line ends a paragraph, and
    a list item, heading or quoted line starts one."""
    blocks: list[list[str]] = [[]]
    for line in markdown.splitlines():
        if not line.strip() or _LINE_MARKUP.match(line):
            blocks.append([])
        blocks[-1].append(line.strip())
    joined = (" ".join(" ".join(b).split()) for b in blocks)
    return [b for b in joined if b]


def plain_text(markdown: str) -> str:
    """Prose as it prints: no citation references, markup or link targets (one paragraph a line)."""
    printed = []
    for block in paragraphs(markdown):
        text = _TAG.sub("", _LINK.sub(r"\1", _CITED.sub("", block)))
        marked = _LINE_MARKUP.match(text)
        text = " ".join(_INLINE_MARKUP.sub("", text[marked.end():] if marked else text).split())
        if text:
            printed.append(text)
    return "\n".join(printed)


def words_in(text: str) -> int:
    """Words of plain text (see the module docstring for what a word is)."""
    return len(_WORD.findall(text))


def count_words(markdown: str) -> int:
    """Words of a Markdown prose section as it prints."""
    return words_in(plain_text(markdown))


def printed_lines(markdown: str, chars_per_line: int) -> int:
    """Lines the prose takes in print at `chars_per_line`: each paragraph or list item starts a
    line and wraps at word boundaries."""
    lines = 0
    for paragraph in plain_text(markdown).splitlines():
        width = 0
        lines += 1
        for word in paragraph.split(" "):
            if width and width + 1 + len(word) > chars_per_line:
                lines += 1
                width = len(word)
            else:
                width += (1 if width else 0) + len(word)
    return lines


def section_counts(brief: Brief, chars_per_line: int) -> dict[str, SectionCount]:
    """Words and printed lines of each prose section, in the brief's order."""
    return {name: SectionCount(count_words(text), printed_lines(text, chars_per_line))
            for name, text in brief.sections.items()}


def prose_words(brief: Brief) -> int:
    """Words the analyst wrote: the prose sections and the positions' titles, holders and summaries."""
    total = sum(count_words(text) for text in brief.sections.values())
    for p in brief.positions:
        total += count_words(p.title) + count_words(p.holder) + count_words(p.summary)
    return total


def of_budget(count: int, limit: int | None, unit: str) -> str:
    """`112/150 words`, or `112 words` without a limit."""
    return f"{count}/{limit} {unit}" if limit is not None else f"{count} {unit}"


CHARS_PER_LINE = 80
"""Characters of 11 pt body text on a line of the DOCX writer's page (468 pt at the page
estimate's measured 0.53 em a character): what `max_lines` budgets count."""


@dataclass(frozen=True, slots=True)
class SectionLength:
    """One prose section's words and printed lines, against its budget."""

    name: str
    words: int
    lines: int
    budget: SectionBudget

    @classmethod
    def of(cls, name: str, text: str, budget: SectionBudget) -> SectionLength:
        return cls(name, count_words(text), printed_lines(text, CHARS_PER_LINE), budget)

    def over(self) -> list[str]:
        """What exceeds the budget, said as `180 words, over its budget of 150`."""
        over = []
        if self.budget.max_words is not None and self.words > self.budget.max_words:
            over.append(f"{self.words} words, over its budget of {self.budget.max_words}")
        if self.budget.max_lines is not None and self.lines > self.budget.max_lines:
            over.append(f"about {self.lines} printed lines, over its budget of {self.budget.max_lines}")
        return over

    def shown(self) -> str:
        """`112/150 words`, with `, 3/4 lines` when lines are budgeted."""
        text = of_budget(self.words, self.budget.max_words, "words")
        if self.budget.max_lines is not None:
            text += ", " + of_budget(self.lines, self.budget.max_lines, "lines")
        return text
