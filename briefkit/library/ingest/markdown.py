"""Markdown: the reading text without its markup, and the metadata of its YAML front matter.

The reading text has one line per block, on the line where the block starts in the file, so a
line number in clean-up records still points at the file's line. Front matter is metadata, not
text; a table row is one paragraph with its cells in order ("a | b"), the `|---|` delimiter row
is markup; footnote markers (`[^1]`) are dropped and each footnote definition is a paragraph of
its own on its own line.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from briefkit.library.model import Removal

__all__ = ["front_matter", "markdown_to_text", "markup_removed"]

_CELL_SEPARATOR = " | "


@functools.cache
def _parser() -> MarkdownIt:
    # Imported on first use: most libraries hold no Markdown, and the TUI's start waits for this.
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(footnote_plugin)


def markdown_to_text(source: str) -> str:
    """The reading text of Markdown: one line per block, on the line where the block starts.

    Headings, list items, table rows and footnote definitions become paragraphs of their own;
    front matter, link targets, emphasis markers, images, HTML, rules and footnote markers are
    dropped.
    """
    lines = [""] * (source.count("\n") + 1)
    row: list[str] | None = None
    row_line = 0
    for token in _parser().parse(source):
        if token.type == "tr_open" and token.map is not None:
            row, row_line = [], token.map[0]
        elif token.type == "tr_close" and row is not None:
            lines[row_line] = _CELL_SEPARATOR.join(cell for cell in row if cell)
            row = None
        elif token.type == "inline" and row is not None:
            row.append(_inline_text(token))
        elif token.map is None or token.type == "front_matter":
            continue
        elif token.type == "inline":
            first = token.map[0]
            lines[first] = " ".join(filter(None, (lines[first], _inline_text(token))))
        elif token.type in ("fence", "code_block"):
            start = token.map[0] + 1 if token.type == "fence" else token.map[0]
            for i, code_line in enumerate(token.content.splitlines()):
                if start + i < len(lines):
                    lines[start + i] = code_line
    return "\n".join(lines)


def markup_removed(source: str) -> list[Removal]:
    """What of a Markdown file is not reading text and not mere markup: its front matter (its
    metadata went to sources.yaml) and raw HTML blocks, each by the line where it starts."""
    from briefkit.library.model import Removal

    if not source.startswith("---") and "<" not in source:
        return []  # neither can be there: no parse
    out: list[Removal] = []
    for token in _parser().parse(source):
        if token.map is not None and token.type in ("front_matter", "html_block"):
            text = " ".join(token.content.split())
            if text:
                kind = "front-matter" if token.type == "front_matter" else "html"
                out.append(Removal(kind, token.map[0] + 1, text))
    return out


def _inline_text(token: Token) -> str:
    """Text and code spans of an inline run; images, HTML, link targets and footnote markers
    are left out."""
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def front_matter(source: str) -> dict[str, Any]:
    """CSL fields from a leading YAML front matter block: title, author(s), date.

    A block that is not a mapping, or not valid YAML, gives nothing: the file is still a source.
    """
    import yaml

    from briefkit.library.csl import csl_date, csl_names

    token = next((t for t in _parser().parse(source) if t.type == "front_matter"), None)
    if token is None:
        return {}
    try:
        data = yaml.safe_load(token.content)
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    csl: dict[str, Any] = {}
    title = data.get("title")
    if isinstance(title, str) and title.strip():
        csl["title"] = " ".join(title.split())
    authors = data.get("author", data.get("authors"))
    names = [a for a in (authors if isinstance(authors, list) else [authors])
             if isinstance(a, str) and a.strip()]
    if names:
        csl["author"] = [name for a in names for name in csl_names(a)]
    date = data.get("date")
    if isinstance(date, (str, dt.date)):
        issued = csl_date(date)
        if issued is not None:
            csl["issued"] = issued
    return csl
