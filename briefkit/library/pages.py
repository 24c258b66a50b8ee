"""Page numbers of paged sources (PDF): a form feed on its own line separates pages in the stored
reading text, so the page map travels with the text and cannot drift from it.

A form feed is whitespace to `segment`, so a page break never becomes a paragraph, and a
paragraph never spans two pages: every passage has exactly one page for its "p. N" locator.
Pages are counted physically here; a PDF's printed labels ("iii", "12") are kept in its
sources.yaml entry (`page-labels`), since a footnote cites the page as printed.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from briefkit.library.model import Paragraph

__all__ = ["PAGE_BREAK", "assign_pages", "join_pages", "printed_labels"]

PAGE_BREAK = "\n\f\n"


def join_pages(pages: list[str]) -> str:
    """The reading text of a paged source: each page's paragraphs, pages separated by form feeds."""
    return PAGE_BREAK.join(pages)


def assign_pages(text: str, paragraphs: list[Paragraph], first: int = 1) -> None:
    """Set `page` on each paragraph from the form feeds before it (the first page is `first`)."""
    breaks: list[int] = []
    at = text.find("\f")
    while at >= 0:
        breaks.append(at)
        at = text.find("\f", at + 1)
    for para in paragraphs:
        para.page = first + bisect.bisect_left(breaks, para.start)


def printed_labels(labels: Sequence[str]) -> tuple[str, ...]:
    """The labels to record for a paged source, one per page in page order, or () when they say
    nothing the physical numbers do not: a page without a label is cited by its physical number."""
    printed = tuple(" ".join("".join(c if c.isprintable() else " " for c in label).split())
                    or str(number) for number, label in enumerate(labels, 1))
    physical = tuple(str(number) for number in range(1, len(printed) + 1))
    return () if printed == physical else printed
