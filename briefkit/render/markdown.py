"""The Markdown writer: pandoc-flavoured Markdown with a YAML title block and `[^n]` footnotes.

Every piece of text goes through `markdown_text.readable`, so a quote prints literally whatever it
holds; the output reads back with `pandoc -f markdown` (and markdown-it-py) into the same structure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from briefkit.render.document import (
    Bibliography,
    Block,
    BlockQuote,
    BulletList,
    Cite,
    Code,
    CodeBlock,
    Document,
    Emph,
    Heading,
    Inline,
    LineBreak,
    Link,
    Meta,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    SmallCaps,
    Strong,
    Table,
    Text,
    ThematicBreak,
    Unverified,
)
from briefkit.render.inline_text import plain_text
from briefkit.render.markdown_text import escape, label_key, readable
from briefkit.render.typography import reading_date, smart_text

__all__ = ["write_markdown"]

_UNVERIFIED_MARK = "**\\[UNVERIFIED\\]** "
_NOTE_INDENT = "    "
_BACKTICKS = re.compile(r"`+")
_AUTOLINK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>\x00-\x1f]*")
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
# Characters a link destination cannot hold bare; percent-encoding them keeps the same URL.
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C"}
_URL_UNSAFE_RE = re.compile("[" + re.escape("".join(_URL_UNSAFE)) + "]")


# Inlines --------------------------------------------------------------------------------------


def _delimited(mark: str, inner: str) -> str:
    """Wrap in emphasis marks, keeping edge spaces outside (`* a*` would not be emphasis)."""
    core = inner.strip()
    if not core:
        return inner
    start = len(inner) - len(inner.lstrip())
    return f"{inner[:start]}{mark}{core}{mark}{inner[start + len(core) :]}"


def _code(text: str) -> str:
    text = text.replace("\n", " ")
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _link(link: Link, inner: str) -> str:
    children = link.children
    if len(children) == 1 and isinstance(children[0], Text):
        label = children[0].text
        if label == link.url and _AUTOLINK.fullmatch(label):
            return f"<{label}>"
        if link.url == f"mailto:{label}" and _EMAIL.fullmatch(label):
            return f"<{label}>"
    url = _URL_UNSAFE_RE.sub(lambda match: _URL_UNSAFE[match.group(0)], link.url)
    return f"[{inner}]({url})"


# pandoc's `smart` extension (on by default) would turn straight quotes, "--" and "..." into curly
# quotes, dashes and an ellipsis, altering quotes that must match their source byte for byte. (It
# also binds the space after an abbreviation it knows, "p. 2", with a non-breaking one; that is
# left to it: the words are the same, and "p\. 2" would read badly.)
_SMART = re.compile(r"[\"']|-(?=-)|\.(?=\.\.)")


# Blocks ---------------------------------------------------------------------------------------


def _indent(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    head = (first + lines[0]) if lines[0] else first.rstrip()
    return "\n".join([head] + [rest + line if line else "" for line in lines[1:]])


def _is_tight(items: list[list[Block]]) -> bool:
    """A list stays tight when each item is one paragraph, optionally followed by a sub-list.

    An ordered sub-list must start at 1: CommonMark lets only "1." interrupt a paragraph.
    """
    for item in items:
        if len(item) > 2 or (item and not isinstance(item[0], Paragraph)):
            return False
        if len(item) == 2:
            sub = item[1]
            if not (
                isinstance(sub, BulletList) or (isinstance(sub, OrderedList) and sub.start == 1)
            ):
                return False
    return True


def _code_block(text: str) -> str:
    fence = "`" * max(3, max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    return f"{fence}\n{text}\n{fence}" if text else f"{fence}\n{fence}"


def _yaml_string(value: str) -> str:
    """A YAML double-quoted scalar (JSON's syntax is a subset); the value itself is Markdown to pandoc."""
    quoted = json.dumps(str(escape(value)), ensure_ascii=False)
    return quoted.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _metadata(meta: Meta) -> str:
    fields = [
        ("title", smart_text(meta.title)),
        ("subtitle", smart_text(meta.subtitle)),
        ("author", smart_text(meta.author)),
        ("date", reading_date(meta.date)),
        ("organisation", smart_text(meta.organisation)),
        ("audience", smart_text(meta.audience)),
    ]
    lines = [f"{key}: {_yaml_string(value)}" for key, value in fields if value.strip()]
    return "---\n" + "\n".join(lines) + "\n---" if lines else ""


def _heading_labels(blocks: list[Block]) -> Iterator[str]:
    """The label keys of every heading, nested ones too (pandoc gives each an implicit reference)."""
    for block in blocks:
        if isinstance(block, Heading):
            yield label_key(plain_text(block.children))
        elif isinstance(block, BlockQuote):
            yield from _heading_labels(block.blocks)
        elif isinstance(block, (BulletList, OrderedList)):
            for item in block.items:
                yield from _heading_labels(item)


class _Writer:
    """The recursive part of the writer, holding what every text needs to know about the whole
    document: the texts of its headings, which pandoc links a bare `[Heading text]` to."""

    def __init__(self, headings: frozenset[str]) -> None:
        self.headings = headings

    def _inlines(
        self, inlines: list[Inline], breaks: bool, before: str = "", after: str = "",
        in_stars: bool = False,
    ) -> str:
        """Render inlines; `breaks=False` where a line break cannot stand (headings, table cells).

        `before` and `after` are what the output holds around these inlines ("\\n" at a block's own
        edges, "*" inside emphasis, "" when unknown), so text at the edges escapes only what it must;
        `in_stars`: they are inside emphasis.
        """
        parts: list[str] = []
        texts: list[str] = []  # neighbouring texts are escaped as one ("1" + ". x" is "1. x")
        left = before  # what stands before the text being gathered
        for node in inlines:
            if isinstance(node, Text):
                texts.append(node.text)
                continue
            if texts:
                parts.append(self._text("".join(texts), left, "", in_stars))
                texts = []
            left = ""
            if isinstance(node, NoteRef):
                parts.append(f"[^{node.number}]")
            elif isinstance(node, Emph):
                parts.append(_delimited("*", self._inlines(node.children, breaks, "*", "*", True)))
            elif isinstance(node, Strong):
                parts.append(_delimited("**", self._inlines(node.children, breaks, "*", "*", True)))
            elif isinstance(node, SmallCaps):  # pandoc's bracketed span
                parts.append(f"[{self._inlines(node.children, breaks, '[', ']', in_stars)}]{{.smallcaps}}")
            elif isinstance(node, Code):
                parts.append(_code(node.text))
            elif isinstance(node, Link):
                parts.append(_link(node, self._inlines(node.children, breaks, "[", "]", in_stars)))
            elif isinstance(node, LineBreak):
                parts.append("\\\n" if breaks else " ")
                left = "\n" if breaks and before == "\n" else ""
            elif isinstance(node, Unverified):
                parts.append(_UNVERIFIED_MARK + self._inlines(node.children, breaks, " ", after))
            elif isinstance(node, Cite):  # an unnumbered document: pandoc's own citation syntax
                parts.append("[" + "; ".join(f"@{cite_id}" for cite_id in node.ids) + "]")
        if texts:
            parts.append(self._text("".join(texts), left, after, in_stars))
        return "".join(parts)

    def _text(self, text: str, before: str, after: str, in_stars: bool) -> str:
        return _SMART.sub(
            lambda m: "\\" + m.group(),
            readable(text, before=before, after=after, in_stars=in_stars, headings=self.headings),
        )

    def _lines(self, inlines: list[Inline], breaks: bool = True) -> str:
        """Inline content of one block: parsers drop spaces at line edges, and leading ones could
        open an indented code block, so they go."""
        text = self._inlines(inlines, breaks, "\n", "\n")
        if "\n" not in text:
            return text.strip(" \t")
        return "\n".join(line.strip(" \t") for line in text.split("\n"))

    def _list(self, items: list[list[Block]], markers: list[str]) -> str:
        tight = _is_tight(items)
        rendered = []
        for marker, item in zip(markers, items):
            body = self._blocks(item, "\n" if tight else "\n\n")
            rendered.append(_indent(body, marker, " " * len(marker)))
        return ("\n" if tight else "\n\n").join(rendered)

    def _table(self, table: Table) -> str:
        width = max([len(table.header), *(len(row) for row in table.rows)])

        def row_line(cells: list[list[Inline]]) -> str:
            texts = [self._lines(cell, breaks=False) for cell in cells]
            texts += [""] * (width - len(texts))
            return "| " + " | ".join(texts) + " |"

        rules = {"left": ":---", "center": ":---:", "right": "---:"}
        align = list(table.align) + [""] * (width - len(table.align))
        rule = "| " + " | ".join(rules.get(value, "---") for value in align) + " |"
        return "\n".join([row_line(table.header), rule, *(row_line(row) for row in table.rows)])

    def _block(self, block: Block) -> str:
        if isinstance(block, Paragraph):
            return self._lines(block.children)
        if isinstance(block, Heading):
            return ("#" * block.level + " " + self._lines(block.children, breaks=False)).rstrip()
        if isinstance(block, BlockQuote):
            return "\n".join(f"> {line}" if line else ">" for line in self._blocks(block.blocks).split("\n"))
        if isinstance(block, BulletList):
            return self._list(block.items, ["- "] * len(block.items))
        if isinstance(block, OrderedList):
            count = len(block.items)
            return self._list(block.items, [f"{block.start + i}. " for i in range(count)])
        if isinstance(block, Table):
            return self._table(block)
        if isinstance(block, CodeBlock):
            return _code_block(block.text)
        if isinstance(block, ThematicBreak):
            return "* * *"
        if isinstance(block, Bibliography):
            entries = [self._lines(entry) for entry in block.entries]
            return "\n\n".join([f"## {self._lines([Text(block.title)], breaks=False)}", *entries])
        raise TypeError(f"not a block: {block!r}")

    def _blocks(self, blocks: list[Block], separator: str = "\n\n") -> str:
        return separator.join(text for text in map(self._block, blocks) if text)


    # The document -------------------------------------------------------------------------------

    def _note(self, note: Note) -> str:
        rendered = [(block, text) for block in note.blocks if (text := self._block(block))]
        label = f"[^{note.number}]:"
        if not rendered:
            return label
        body = "\n\n".join(text for _, text in rendered)
        if isinstance(rendered[0][0], Paragraph):
            return _indent(body, label + " ", _NOTE_INDENT)
        # Any other first block starts on its own line, where it cannot be mistaken for note text.
        return label + "\n\n" + _indent(body, _NOTE_INDENT, _NOTE_INDENT)


def write_markdown(doc: Document) -> str:
    """Render the document as pandoc-flavoured Markdown, ending in exactly one newline.

    Args:
        doc: a document whose notes are numbered (`parse.number_notes`); a `Cite` still in the tree
            is written back as pandoc citation syntax.

    Returns:
        The Markdown text: YAML metadata, the body, then the footnote definitions in number order.
    """
    writer = _Writer(frozenset(_heading_labels(doc.blocks)))
    sections = [
        _metadata(doc.meta), writer._blocks(doc.blocks), "\n\n".join(map(writer._note, doc.notes))
    ]
    return "\n\n".join(section for section in sections if section) + "\n"
