"""Rendered template Markdown into the document tree, and the numbering of notes in reading order.

markdown-it-py reads CommonMark plus pipe tables and author footnotes (`[^x]`, `^[...]`); two small
inline rules add what briefs need on top: pandoc citation brackets (`[@id]`, `[@a; @b]`,
`[@id, para. 3]`) and `[text]{.unverified}` for a quote exported without verification. Raw HTML is
never markup: it stays literal text, so a template or a quote cannot inject any.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping, Sequence
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import mdTrim
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from briefkit.brief.model import CITATION, CITE_ID, NEAR_CITATION
from briefkit.render.document import (
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
    Strong,
    Table,
    Text,
    ThematicBreak,
    Unverified,
    append_text,
    iter_inlines,
    map_blocks,
)

__all__ = ["CiteNotes", "number_notes", "parse_document", "prose_citations"]

CiteNotes = Callable[[list[list[str]]], list[list[Block]]]
"""Formats every citation of a document at once: ids per citation in reading order -> one note body each."""


# Inline syntax rules ------------------------------------------------------------------------


_ESCAPABLE = frozenset(string.punctuation)  # what CommonMark lets a backslash escape

_UNVERIFIED_ATTR = "{.unverified}"
_UNVERIFIED_END = "]" + _UNVERIFIED_ATTR


def _escape_rule(state: StateInline, silent: bool) -> bool:
    """A backslash-escaped character joins the pending text, where the stock rule makes a token.

    Quotes inserted by templates are escaped heavily, and a token per escape made parsing twice as
    slow; no rule or plugin used here needs to tell an escaped character from plain text. A
    backslash before a newline (a hard break) or a letter is left to the stock rule.
    """
    pos = state.pos
    if state.src[pos] != "\\" or pos + 1 >= state.posMax or state.src[pos + 1] not in _ESCAPABLE:
        return False
    if not silent:
        state.pending += state.src[pos + 1]
    state.pos = pos + 2
    return True


def _citation_rule(state: StateInline, silent: bool) -> bool:
    """`[@a; @b, p. 3]` as one citation token; `[@a](url)` stays a link, as in pandoc."""
    if state.src[state.pos] != "[":
        return False
    match = CITATION.match(state.src, state.pos, state.posMax)
    if match is None or state.src.startswith("(", match.end()):
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"cite": match.group(0)}
    state.pos = match.end()
    return True


def _unverified_rule(state: StateInline, silent: bool) -> bool:
    """`[quoted text]{.unverified}` (pandoc's bracketed span) marks a quote that failed verification."""
    if state.src[state.pos] != "[" or state.src.find(_UNVERIFIED_END, state.pos) < 0:
        return False
    label_end = parseLinkLabel(state, state.pos)
    if label_end < 0 or not state.src.startswith(_UNVERIFIED_ATTR, label_end + 1):
        return False
    if not silent:
        state.push("unverified_open", "span", 1)
        old_max = state.posMax
        state.pos += 1
        state.posMax = label_end
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push("unverified_close", "span", -1)
    state.pos = label_end + 1 + len(_UNVERIFIED_ATTR)
    return True


# "{" stops markdown-it's text rule, so the marker is seen wherever it stands.
VERBATIM_OPEN, VERBATIM_CLOSE = "{\ue000", "\ue001}"


def _verbatim_rule(state: StateInline, silent: bool) -> bool:
    """`{\ue000key\ue001}` stands for text held in `env["verbatim"]`: a quote enters the tree as the
    exact source string, never through escaping and inline parsing (faster, and exact by design)."""
    if not state.src.startswith(VERBATIM_OPEN, state.pos):
        return False
    start = state.pos + len(VERBATIM_OPEN)
    end = state.src.find(VERBATIM_CLOSE, start)
    table = state.env.get("verbatim") or {}
    key = state.src[start:end] if end > 0 else None
    if key not in table:
        return False
    if not silent:
        state.push("text", "", 0).content = table[key]
    state.pos = end + len(VERBATIM_CLOSE)
    return True


# Fast paths -----------------------------------------------------------------------------------
# A 1,000-quote brief is thousands of tiny blocks and table cells; markdown-it's generic machinery
# (a token object per delimiter, cell and text run) dominated export time. For shapes that cannot
# mean anything else, the rules below build the tree's nodes directly: a block rule pushes one
# `_BLOCK` token holding a finished block, and the inline pass leaves finished nodes in an inline
# token's meta. Tests check that both parsers give the same tree.

_BLOCK = "briefkit_block"  # a token whose meta["block"] is a finished block

# The pieces of inline content built directly: a verbatim marker; a marker in `**` (strong only
# where the run is delimited by spaces or the ends, checked below); a citation (not followed by
# `(`, which would make it a link); a one-backtick code span without edge spaces; an escaped
# punctuation character; and text holding no character that any inline rule starts at (`:` and
# `-` included, since the rules that would see them, linkify and strikethrough, are off).
_MARKER = rf"{re.escape(VERBATIM_OPEN)}([^{VERBATIM_CLOSE[0]}]*){re.escape(VERBATIM_CLOSE)}"
_PLAIN_PIECE = re.compile(  # text first, the most common piece: no other can start where it does
    r"(?P<text>[^*_\[\]!<>&\\`{}^~\n\ue000\ue001]+)"
    rf"|(?P<marker>{_MARKER.replace('(', '(?P<marker_key>', 1)})"
    rf"|(?P<strong>\*\*{_MARKER.replace('(', '(?P<strong_key>', 1)}\*\*)"
    rf"|(?P<cite>{CITATION.pattern})(?!\()"
    r"|`(?P<code>[^`\s](?:[^`\n]*[^`\s])?)`(?!`)"
    r"|\\(?P<escaped>[!-/:-@\[-`{-~])"
)


_CITE_PIECE = re.compile(rf"({CITATION.pattern})(?!\()")
_NOT_TEXT = re.compile(r"[*_\[\]!<>&\\`{}^~\n\ue000\ue001]")  # what the `text` piece excludes
_NOT_PROSE = (VERBATIM_OPEN, "\\", "`", "**")  # markers, escapes, code, strong


def cite_node(citation: str) -> Cite:
    """A `Cite` for a citation's text (`[@a, para. 5; @b]`), with the locator written after each id."""
    ids, locators = [], []
    for item in citation[1:-1].split(";"):
        match = CITE_ID.search(item)
        if match is not None:
            ids.append(match.group(1))
            locators.append(item[match.end() :].strip().lstrip(",").strip())
    return Cite(ids, locators if any(locators) else [])


def _plain_nodes(content: str, table: Mapping[str, str]) -> list[Inline] | None:
    """The nodes of content made of the pieces above only (quotes with their citation, register
    items, table cells); None, to parse it in full, for anything else."""
    if _UNVERIFIED_END in content:
        return None
    if not any(mark in content for mark in _NOT_PROSE):
        return _text_and_cites(content)
    nodes: list[Inline] = []
    texts: list[str] = []  # the pieces of the text node being built, joined once it ends
    pos = 0
    for match in _PLAIN_PIECE.finditer(content):
        if match.start() != pos:
            return None
        pos = match.end()
        kind = match.lastgroup
        if kind == "text" or kind == "escaped":
            texts.append(match.group(kind))
            continue
        if kind == "marker":
            if match.group("marker_key") not in table:
                return None
            texts.append(table[match.group("marker_key")])
            continue
        append_text(nodes, "".join(texts))
        texts = []
        if kind == "code":
            nodes.append(Code(match.group("code")))
        elif kind == "cite":
            nodes.append(cite_node(match.group("cite")))
        else:  # strong: `**` runs at the ends of the content or beside spaces
            key = match.group("strong_key")
            if (key not in table or content[match.start() - 1 : match.start()].strip()
                    or content[pos : pos + 1].strip()):
                return None
            strong = Strong([])
            append_text(strong.children, table[key])
            nodes.append(strong)
    append_text(nodes, "".join(texts))
    return nodes if pos == len(content) else None


def _text_and_cites(content: str) -> list[Inline] | None:
    """`_plain_nodes` of content holding only text and citations (most prose), split in one pass
    instead of piece by piece (a 28 MB section with 600,000 citations: 5.3 s before)."""
    parts = _CITE_PIECE.split(content)
    if _NOT_TEXT.search("".join(parts[::2])) is not None:
        return None
    nodes: list[Inline] = []
    for text, cite in zip(parts[::2], parts[1::2]):
        if text:
            nodes.append(Text(text))
        nodes.append(cite_node(cite))
    if parts[-1]:
        nodes.append(Text(parts[-1]))
    return nodes


def _verbatim(state: StateBlock) -> Mapping[str, str]:
    return state.env.get("verbatim") or {}


def _push_block(state: StateBlock, block: Block, start: int, end: int) -> None:
    token = state.push(_BLOCK, "", 0)
    token.map = [start, end]
    token.meta = {"block": block}
    state.line = end


_QUOTE_LINE_START = ("> " + VERBATIM_OPEN, ">" + VERBATIM_OPEN)


def _quote_line_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """`> {marker}…` alone between blank lines (what `blockquote()` prints): a one-paragraph quote.

    A line starting with a verbatim marker can only be paragraph text, and the blank line after it
    ends both paragraph and quote, so markdown-it's nested block pass has nothing to decide.
    """
    pos = state.bMarks[start] + state.tShift[start]
    line = state.src[pos : state.eMarks[start]]
    if not line.startswith(_QUOTE_LINE_START) or state.is_code_block(start):
        return False
    after = start + 1
    if after < end and not state.isEmpty(after):
        return False
    nodes = _plain_nodes(mdTrim(line[line.index("{"):]), _verbatim(state))
    if nodes is None:
        return False
    if not silent:
        _push_block(state, BlockQuote([Paragraph(nodes)]), start, after)
    return True


_REGISTER_ITEM = re.compile(rf"(\d{{1,9}})([.)]) ((?:\*\*)?{re.escape(VERBATIM_OPEN)}.*)")
_ORDERED_MARKER = re.compile(r"\d{1,9}[.)](?:[ \t]|$)")


def _register_list_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A tight run of one-line `1. {marker}…` / `1. **{marker}**…` items (the evidence register).

    Only a run that a blank line (or the end) closes, followed by unindented text that is not an
    item, is taken: anything that could continue or loosen the list goes to the stock rule.
    """
    if state.listIndent >= 0 or state.is_code_block(start):
        return False
    src, indent, table = state.src, state.blkIndent, _verbatim(state)
    items: list[list[Block]] = []
    delimiter = first = None
    line = start
    while line < end and not state.isEmpty(line) and state.sCount[line] == indent:
        match = _REGISTER_ITEM.fullmatch(src, state.bMarks[line] + state.tShift[line], state.eMarks[line])
        if match is None or delimiter not in (None, match.group(2)):
            return False
        nodes = _plain_nodes(mdTrim(match.group(3)), table)
        if nodes is None:
            return False
        if delimiter is None:
            delimiter, first = match.group(2), int(match.group(1))
        items.append([Paragraph(nodes)])
        line += 1
    if not items or (line < end and not state.isEmpty(line)):
        return False
    after = state.skipEmptyLines(line)
    if after < end:
        text_at = state.bMarks[after] + state.tShift[after]
        if state.sCount[after] != indent or _ORDERED_MARKER.match(src, text_at, state.eMarks[after]):
            return False
    if not silent:
        _push_block(state, OrderedList(items, first or 1), start, after)
    return True


_TABLE_RULE = re.compile(r"\|(?: *:?-+:? *\|)+")
_TABLE_ALIGN = {(True, False): "left", (True, True): "center", (False, True): "right", (False, False): ""}


def _table_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A pipe table (the evidence matrix) whose every row starts and ends with `|`, with no
    backslash or backtick anywhere (so `|` always separates cells) and every cell plain."""
    if state.src[state.bMarks[start] + state.tShift[start]] != "|" or start + 1 >= end:
        return False
    if state.is_code_block(start):
        return False
    indent, table = state.blkIndent, _verbatim(state)

    def cells(line: int) -> list[str] | None:
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]].strip()
        if (state.sCount[line] != indent or len(text) < 2 or text[0] != "|" or text[-1] != "|"
                or "\\" in text or "`" in text):
            return None
        return [cell.strip() for cell in text[1:-1].split("|")]

    header, rule = cells(start), cells(start + 1)
    if header is None or rule is None or len(rule) != len(header):
        return False
    rule_line = state.src[state.bMarks[start + 1] + state.tShift[start + 1] : state.eMarks[start + 1]]
    if not _TABLE_RULE.fullmatch(rule_line.strip()):
        return False
    align = [_TABLE_ALIGN[cell.startswith(":"), cell.endswith(":")] for cell in rule]
    texts = [header]
    line = start + 2
    while line < end and not state.isEmpty(line):
        row = cells(line)
        if row is None or len(row) != len(header):
            return False
        texts.append(row)
        line += 1
    built: list[list[list[Inline]]] = []
    for row in texts:
        built.append([])
        for cell in row:
            nodes = _plain_nodes(cell, table)
            if nodes is None:
                return False
            built[-1].append(nodes)
    if not silent:
        _push_block(state, Table(built[0], built[1:], align), start, line)
    return True


def _inline_core_rule(state: StateCore) -> None:
    """markdown-it's inline pass, leaving the nodes of plain content in the token's meta.

    Content without a single character any inline rule starts at is one text (most matrix cells
    and headings); other plain content goes through `_plain_nodes`; the rest is parsed in full.
    """
    md = state.md
    terminators = md.inline.terminator_re
    table = state.env.get("verbatim") or {}
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        content = token.content
        if not content:
            continue
        nodes = [Text(content)] if terminators.search(content) is None else _plain_nodes(content, table)
        if nodes is not None:
            token.meta["nodes"] = nodes
        else:
            md.inline.parse(content, md, state.env, token.children)


@cache
def _markdown_it(fast_paths: bool = True) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table").use(footnote_plugin)
    md.inline.ruler.before("escape", "escape_to_text", _escape_rule)
    md.inline.ruler.before("escape", "verbatim", _verbatim_rule)
    md.inline.ruler.before("link", "unverified", _unverified_rule)
    md.inline.ruler.before("link", "citation", _citation_rule)
    if fast_paths:
        md.block.ruler.before("table", "plain_table", _table_rule)
        md.block.ruler.before("blockquote", "quote_line", _quote_line_rule)
        md.block.ruler.before("list", "register_list", _register_list_rule)
        md.core.ruler.at("inline", _inline_core_rule)
    return md


# Tokens into the tree -----------------------------------------------------------------------

_ALIGN = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}


def _inlines(tokens: Sequence[Token]) -> list[Inline]:
    root: list[Inline] = []
    stack = [root]
    for token in tokens:
        out = stack[-1]
        kind = token.type
        if kind == "softbreak":
            append_text(out, " ")
        elif kind == "hardbreak":
            out.append(LineBreak())
        elif kind == "code_inline":
            out.append(Code(token.content))
        elif kind == "citation":
            out.append(cite_node(token.meta["cite"]))
        elif kind == "footnote_ref":
            out.append(NoteRef(token.meta["id"] + 1))
        elif kind == "image":  # the tree has no images: keep it as a link to the picture
            out.append(Link(str(token.attrGet("src") or ""), _inlines(token.children or [])))
        elif kind.endswith("_open"):
            container: Emph | Strong | Link | Unverified
            if kind == "em_open":
                container = Emph([])
            elif kind == "strong_open":
                container = Strong([])
            elif kind == "link_open":
                container = Link(str(token.attrGet("href") or ""), [])
            else:  # unverified_open
                container = Unverified([])
            out.append(container)
            stack.append(container.children)
        elif kind.endswith("_close"):
            stack.pop()
        else:  # text, and anything literal (raw HTML cannot occur: the html option is off)
            append_text(out, token.content)
    return root


def _content(inline: Token) -> list[Inline]:
    """An inline token's nodes: left by the fast path, or made from its children."""
    nodes = inline.meta.get("nodes")
    return nodes if nodes is not None else _inlines(inline.children or [])


class _BlockReader:
    """Walks markdown-it's flat token stream (open/close pairs) into nested blocks."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.notes: list[Note] = []

    def blocks(self, until: str | None = None) -> list[Block]:
        tokens = self.tokens
        out: list[Block] = []
        while self.pos < len(tokens):
            token = tokens[self.pos]
            kind = token.type
            self.pos += 1
            if kind == until:
                return out
            if kind == _BLOCK:
                out.append(token.meta["block"])
            elif kind == "paragraph_open":
                out.append(Paragraph(_content(tokens[self.pos])))
                self.pos += 1
            elif kind == "heading_open":
                level = int(token.tag[1:])
                out.append(Heading(level, _content(tokens[self.pos])))
                self.pos += 1
            elif kind == "blockquote_open":
                out.append(BlockQuote(self.blocks("blockquote_close")))
            elif kind == "bullet_list_open":
                out.append(BulletList(self._items()))
            elif kind == "ordered_list_open":
                start = int(token.attrGet("start") or 1)
                out.append(OrderedList(self._items(), start))
            elif kind == "table_open":
                out.append(self._table())
            elif kind in ("fence", "code_block"):
                out.append(CodeBlock(token.content.removesuffix("\n")))
            elif kind == "hr":
                out.append(ThematicBreak())
            elif kind == "footnote_open":
                number = token.meta["id"] + 1
                self.notes.append(Note(number, self.blocks("footnote_close")))
            # Closing tokens of paragraphs and headings, back-reference anchors and the footnote
            # block's own open/close carry nothing of their own.
        return out

    def _items(self) -> list[list[Block]]:
        items: list[list[Block]] = []
        while self.tokens[self.pos].type == "list_item_open":
            self.pos += 1
            items.append(self.blocks("list_item_close"))
        self.pos += 1  # the list's closing token
        return items

    def _table(self) -> Table:
        header: list[list[Inline]] = []
        rows: list[list[list[Inline]]] = []
        align: list[str] = []
        row = header
        in_body = False
        while True:
            token = self.tokens[self.pos]
            self.pos += 1
            kind = token.type
            if kind == "table_close":
                return Table(header, rows, align)
            if kind == "tbody_open":
                in_body = True
            elif kind == "tr_open" and in_body:
                row = []
                rows.append(row)
            elif kind == "th_open":
                align.append(_ALIGN.get(str(token.attrGet("style") or ""), ""))
            elif kind == "inline":
                row.append(_content(token))


def parse_document(markdown: str, meta: Meta, verbatim: Mapping[str, str] | None = None) -> Document:
    """Parse rendered Markdown; citations stay `Cite`s and author notes keep markdown-it's order.

    `verbatim` maps the keys of `\ue000key\ue001` markers to the exact text they stand for.
    Call `number_notes` next: it gives citations and author notes their numbers in reading order.
    """
    env: dict[str, object] = {"verbatim": verbatim or {}}
    reader = _BlockReader(_markdown_it().parse(markdown, env))
    blocks = reader.blocks()
    return Document(meta, blocks, sorted(reader.notes, key=lambda note: note.number))


def prose_citations(markdown: str) -> tuple[list[str], list[str]]:
    """What prose cites, read as an export reads it: the cited ids in order, and the bracketed
    texts with an `@id` that are not citations (`[see @c1]`), which print as they stand."""
    doc = parse_document(markdown, Meta())
    ids: list[str] = []
    near: list[str] = []
    for node in iter_inlines(doc):
        if isinstance(node, Cite):
            ids.extend(node.ids)
        elif isinstance(node, Text):
            near.extend(NEAR_CITATION.findall(node.text))
    return ids, near


# Numbering ----------------------------------------------------------------------------------


class _Numbering:
    """One walk in reading order that rebuilds the tree with every note numbered.

    An author note is entered where it is first referenced. A citation in the body becomes a note
    of its own, its body filled in once the formatter has seen every citation; a citation inside an
    author note cannot (Word and pandoc have no notes in notes), so its formatted text later goes
    inline where it stands, as pandoc's citeproc does. The input tree is never modified.
    """

    def __init__(self, author_notes: list[Note], in_text: bool = False) -> None:
        self._author = {note.number: note.blocks for note in author_notes}
        self._numbers: dict[int, int] = {}
        self._in_text = in_text  # an author-date style: every citation goes inline, as in notes
        self._in_note = False
        self.notes: list[Note] = []
        self.cited: list[list[str]] = []  # ids of every citation, in reading order
        # Per citation: the note its body fills, or the list holding its placeholder in a note.
        self._targets: list[Note | tuple[list[Inline], Cite]] = []

    def blocks(self, blocks: list[Block]) -> list[Block]:
        return map_blocks(blocks, self._inlines)

    def fill(self, bodies: list[list[Block]]) -> None:
        """Put each citation's formatted body where its note or its placeholder is."""
        for target, body in zip(self._targets, bodies, strict=True):
            if isinstance(target, Note):
                target.blocks = body
                continue
            container, placeholder = target
            at = next(i for i, node in enumerate(container) if node is placeholder)
            spliced = [*container[:at], *_inline_body(body), *container[at + 1 :]]
            container[:] = []
            for node in spliced:  # join the texts either side, as the parser would have
                if isinstance(node, Text) and container and isinstance(container[-1], Text):
                    container[-1] = Text(container[-1].text + node.text)
                else:
                    container.append(node)

    def _new_note(self) -> Note:
        note = Note(len(self.notes) + 1, [])
        self.notes.append(note)
        return note

    def _inlines(self, inlines: list[Inline]) -> list[Inline]:
        out: list[Inline] = []
        moved = False  # the next text's first character went in front of a note reference
        for index, node in enumerate(inlines):
            if isinstance(node, Text):
                if moved:
                    moved = False
                    node = Text(node.text[1:])
                if node.text:
                    out.append(node)
            elif isinstance(node, Cite):
                # an id with the locator written after it, "c1, para. 5", as the formatter reads it
                self.cited.append(
                    [f"{i}, {loc}" if loc else i for i, loc in zip(node.ids, node.locators)]
                    if node.locators else list(node.ids)
                )
                if self._in_note or self._in_text:
                    if self._in_text and out and isinstance(out[-1], Text) and out[-1].text[-1:].strip():
                        out[-1] = Text(out[-1].text + " ")  # “quote”[@c] reads “quote” (Author)
                    placeholder = Cite(list(node.ids), list(node.locators))
                    out.append(placeholder)
                    self._targets.append((out, placeholder))
                    continue
                after = inlines[index + 1] if index + 1 < len(inlines) else None
                moved = _place_note_mark(out, after)
                note = self._new_note()
                out.append(NoteRef(note.number))
                self._targets.append(note)
            elif isinstance(node, NoteRef):
                out.append(self._author_ref(node))
            elif isinstance(node, Emph):
                out.append(Emph(self._inlines(node.children)))
            elif isinstance(node, Strong):
                out.append(Strong(self._inlines(node.children)))
            elif isinstance(node, Unverified):
                out.append(Unverified(self._inlines(node.children)))
            elif isinstance(node, Link):
                out.append(Link(node.url, self._inlines(node.children)))
            else:
                out.append(node)
        return out

    def _author_ref(self, ref: NoteRef) -> NoteRef:
        number = self._numbers.get(ref.number)
        if number is not None:
            return NoteRef(number)
        if ref.number not in self._author:
            raise ValueError(f"note reference {ref.number} has no note in the document")
        note = self._new_note()
        self._numbers[ref.number] = note.number
        was_in_note, self._in_note = self._in_note, True
        note.blocks = self.blocks(self._author[ref.number])
        self._in_note = was_in_note
        return NoteRef(note.number)


_NOTE_PUNCTUATION = frozenset(".,;:!?")


def _place_note_mark(out: list[Inline], after: Inline | None) -> bool:
    """Set a note mark as pandoc's citeproc does for note styles: `text [@a].` reads "text.¹".

    The space before the citation goes, and one punctuation mark just after it moves in front of
    the mark. Returns whether that mark was moved, so the caller drops it from the next text.
    """
    if out and isinstance(out[-1], Text):
        kept = out[-1].text.rstrip()
        if kept:
            out[-1] = Text(kept)
        else:
            out.pop()
    if not (isinstance(after, Text) and after.text[:1] in _NOTE_PUNCTUATION and after.text):
        return False
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text + after.text[0])
    else:
        out.append(Text(after.text[0]))
    return True


def _inline_body(body: list[Block]) -> list[Inline]:
    """A formatted citation as inline text, for a citation that stands inside an author note."""
    inline: list[Inline] = []
    for block in body:
        if not isinstance(block, Paragraph):
            raise TypeError("a citation inside a footnote must format as paragraphs")
        if inline:
            inline.append(Text(" "))
        inline.extend(block.children)
    return inline


def number_notes(doc: Document, cite_notes: CiteNotes, *, in_text: bool = False) -> None:
    """Number every citation and author note in order of first appearance, in place.

    Each `Cite` in the body becomes a note of its own (Chicago shortens repeats, it does not merge
    them); an author note keeps one number however often it is referenced. `cite_notes` gets every
    citation's ids in reading order in one call, so a formatter can choose first and short forms,
    and it reports ids it does not know: this function never judges ids. The new tree is built
    aside and swapped in only at the end, so a failing `cite_notes` leaves `doc` as it was.

    Args:
        doc: a document from `parse_document`, citations still unnumbered; afterwards its blocks
            hold `NoteRef`s in place of `Cite`s and its notes are in number order.
        cite_notes: formats all citations at once; returns one list of blocks per citation.
        in_text: the style cites in the text (author-date): each citation's formatted text
            stands where the citation is, and only author notes are footnotes.
    """
    numbering = _Numbering(doc.notes, in_text)
    blocks = numbering.blocks(doc.blocks)
    bodies = cite_notes(numbering.cited)
    if len(bodies) != len(numbering.cited):
        raise ValueError(
            f"cite_notes returned {len(bodies)} note bodies for {len(numbering.cited)} citations"
        )
    numbering.fill(bodies)
    doc.blocks = blocks
    doc.notes = numbering.notes
