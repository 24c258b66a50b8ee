"""Rendered Markdown into the document tree, and notes numbered in reading order."""

from __future__ import annotations

import copy

import pytest

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
)
from briefkit.render.parse import CiteNotes, number_notes, parse_document


def parse(markdown: str) -> Document:
    return parse_document(markdown, Meta(title="T"))


def first_inlines(markdown: str) -> list:
    block = parse(markdown).blocks[0]
    assert isinstance(block, Paragraph)
    return block.children


def labelled(ids_per_cite: list[list[str]]) -> list[list[Block]]:
    """A stand-in formatter with a real job: one paragraph naming the cited ids."""
    return [[Paragraph([Text("note " + "+".join(ids))])] for ids in ids_per_cite]


def numbered(markdown: str, cite_notes: CiteNotes = labelled) -> Document:
    doc = parse(markdown)
    number_notes(doc, cite_notes)
    return doc


def note_texts(doc: Document) -> list[str]:
    texts = []
    for note in doc.notes:
        paragraph = note.blocks[0]
        assert isinstance(paragraph, Paragraph)
        texts.append("".join(node.text for node in paragraph.children if isinstance(node, Text)))
    return texts


# Citations ----------------------------------------------------------------------------------


def test_single_citation_becomes_a_cite() -> None:
    assert first_inlines("Pressure failed [@smilde-failed].") == [
        Text("Pressure failed "),
        Cite(["smilde-failed"]),
        Text("."),
    ]


def test_multiple_citations_in_one_bracket_become_one_cite_with_every_id() -> None:
    assert first_inlines("See [@a; @b.2; @c:d_e]") == [Text("See "), Cite(["a", "b.2", "c:d_e"])]


def test_citation_with_locator_text_keeps_its_ids_and_locators() -> None:
    assert first_inlines("x [@fal-2021, para. 3; @b, p. 12; @c]") == [
        Text("x "),
        Cite(["fal-2021", "b", "c"], ["para. 3", "p. 12", ""]),
    ]


@pytest.mark.parametrize(
    "bracket",
    ["[see @a]", "[@a, @b]", "[@]", "[@a b]", "[@a; see]", "[ @ a]", "[@a [x]]"],
)
def test_bracket_that_is_not_a_valid_citation_stays_text(bracket: str) -> None:
    assert first_inlines(f"x {bracket} y") == [Text(f"x {bracket} y")]


def test_escaped_citation_bracket_stays_text() -> None:
    assert first_inlines("x \\[@a] y") == [Text("x [@a] y")]


def test_citation_bracket_followed_by_a_url_is_a_link() -> None:
    assert first_inlines("[@a](https://example.org)") == [Link("https://example.org", [Text("@a")])]


def test_citations_inside_table_cells_are_parsed() -> None:
    table = parse("| Position | Evidence |\n|---|---|\n| Pressure [@a] | [@b; @c] |\n").blocks[0]
    assert isinstance(table, Table)
    assert table.header == [[Text("Position")], [Text("Evidence")]]
    assert table.rows == [[[Text("Pressure "), Cite(["a"])], [Cite(["b", "c"])]]]


def test_citations_inside_nested_list_items_are_parsed() -> None:
    listing = parse("- one [@a]\n  - two [@b]\n").blocks[0]
    assert listing == BulletList(
        [
            [
                Paragraph([Text("one "), Cite(["a"])]),
                BulletList([[Paragraph([Text("two "), Cite(["b"])])]]),
            ]
        ]
    )


# Author footnotes ---------------------------------------------------------------------------


def test_author_footnote_becomes_a_reference_and_a_note_body() -> None:
    doc = parse("Claim.[^why]\n\n[^why]: Because *so*.\n\n    Second paragraph.\n")
    assert doc.blocks == [Paragraph([Text("Claim."), NoteRef(1)])]
    assert doc.notes == [
        Note(
            1,
            [
                Paragraph([Text("Because "), Emph([Text("so")]), Text(".")]),
                Paragraph([Text("Second paragraph.")]),
            ],
        )
    ]


def test_footnote_reference_without_definition_stays_text() -> None:
    assert first_inlines("Claim.[^missing]") == [Text("Claim.[^missing]")]


def test_inline_footnote_becomes_a_note() -> None:
    doc = parse("Claim.^[An aside.]")
    assert doc.blocks == [Paragraph([Text("Claim."), NoteRef(1)])]
    assert doc.notes == [Note(1, [Paragraph([Text("An aside.")])])]


# Blocks and inlines -------------------------------------------------------------------------


def test_atx_and_setext_headings_keep_their_levels() -> None:
    assert parse("# One\n\nTwo\n---\n\nThree\n===\n\n###### Six\n").blocks == [
        Heading(1, [Text("One")]),
        Heading(2, [Text("Two")]),
        Heading(1, [Text("Three")]),
        Heading(6, [Text("Six")]),
    ]


def test_nested_block_quotes_nest() -> None:
    assert parse("> outer\n>\n> > inner\n").blocks == [
        BlockQuote([Paragraph([Text("outer")]), BlockQuote([Paragraph([Text("inner")])])])
    ]


def test_ordered_list_keeps_its_start_number() -> None:
    assert parse("3. three\n4. four\n").blocks == [
        OrderedList([[Paragraph([Text("three")])], [Paragraph([Text("four")])]], start=3)
    ]


def test_pipe_table_keeps_column_alignment() -> None:
    table = parse("| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n").blocks[0]
    assert isinstance(table, Table)
    assert table.align == ["left", "center", "right", ""]
    assert table.rows == [[[Text("1")], [Text("2")], [Text("3")], [Text("4")]]]


def test_fenced_and_indented_code_blocks_keep_their_text() -> None:
    assert parse("```python\nx = *1*\n```\n\n    indented <b>\n").blocks == [
        CodeBlock("x = *1*"),
        CodeBlock("indented <b>"),
    ]


def test_thematic_break_is_parsed() -> None:
    assert parse("a\n\n* * *\n\nb\n").blocks[1] == ThematicBreak()


def test_soft_break_becomes_a_space_and_hard_break_a_line_break() -> None:
    assert first_inlines("one\ntwo\\\nthree") == [Text("one two"), LineBreak(), Text("three")]


def test_emphasis_strong_code_and_links_are_parsed() -> None:
    assert first_inlines("*a* **b** `c` [d](https://e.org) <https://f.org>") == [
        Emph([Text("a")]),
        Text(" "),
        Strong([Text("b")]),
        Text(" "),
        Code("c"),
        Text(" "),
        Link("https://e.org", [Text("d")]),
        Text(" "),
        Link("https://f.org", [Text("https://f.org")]),
    ]


def test_inline_html_stays_literal_text() -> None:
    assert first_inlines('Say <b onclick="x()">hi</b> &amp; bye') == [
        Text('Say <b onclick="x()">hi</b> & bye')
    ]


def test_html_block_stays_literal_text() -> None:
    assert parse("<div>\n<script>alert(1)</script>\n</div>\n").blocks == [
        Paragraph([Text("<div> <script>alert(1)</script> </div>")])
    ]


def test_unverified_span_marks_its_content() -> None:
    assert first_inlines("Quote: [“Sanctions *work*”]{.unverified} [@q]") == [
        Text("Quote: "),
        Unverified([Text("“Sanctions "), Emph([Text("work")]), Text("”")]),
        Text(" "),
        Cite(["q"]),
    ]


def test_meta_is_carried_into_the_document() -> None:
    meta = Meta(title="Venezuela", author="A. Analyst")
    assert parse_document("x", meta).meta == meta


# Numbering ----------------------------------------------------------------------------------


def test_citations_and_author_notes_are_numbered_in_reading_order() -> None:
    doc = numbered(
        "# Title [@h]\n\n"
        "Body [@a] and an aside.[^n]\n\n"
        "| col |\n|---|\n| cell [@t] |\n\n"
        "- item [@l]\n\n"
        "> quote [@q; @r]\n\n"
        "[^n]: The aside.\n"
    )
    assert note_texts(doc) == [
        "note h",
        "note a",
        "The aside.",
        "note t",
        "note l",
        "note q+r",
    ]
    assert [note.number for note in doc.notes] == [1, 2, 3, 4, 5, 6]
    heading, body, table, listing, quote = doc.blocks
    assert heading == Heading(1, [Text("Title"), NoteRef(1)])
    assert body == Paragraph([Text("Body"), NoteRef(2), Text(" and an aside."), NoteRef(3)])
    assert isinstance(table, Table) and table.rows == [[[Text("cell"), NoteRef(4)]]]
    assert listing == BulletList([[Paragraph([Text("item"), NoteRef(5)])]])
    assert quote == BlockQuote([Paragraph([Text("quote"), NoteRef(6)])])


def test_note_mark_takes_the_place_of_the_space_before_the_citation() -> None:
    assert numbered("Pressure failed [@a] again").blocks == [
        Paragraph([Text("Pressure failed"), NoteRef(1), Text(" again")])
    ]


@pytest.mark.parametrize("mark", [".", ",", ";", ":", "!", "?"])
def test_punctuation_after_a_citation_moves_in_front_of_its_note_mark(mark: str) -> None:
    assert numbered(f"It *failed* [@a]{mark} Then").blocks == [
        Paragraph([Text("It "), Emph([Text("failed")]), Text(mark), NoteRef(1), Text(" Then")])
    ]


def test_closing_quotation_mark_stays_before_the_note_mark() -> None:
    assert numbered("It was “a failure”[@a].").blocks == [
        Paragraph([Text("It was “a failure”."), NoteRef(1)])
    ]


def test_callback_receives_every_citation_in_reading_order_in_one_call() -> None:
    calls: list[list[list[str]]] = []

    def record(ids: list[list[str]]) -> list[list[Block]]:
        calls.append(ids)
        return labelled(ids)

    numbered("A [@x]. B [@y; @z]. C [@x].\n\n- [@w]\n", record)
    assert calls == [[["x"], ["y", "z"], ["x"], ["w"]]]


def test_repeated_citation_gets_a_note_each_time() -> None:
    doc = numbered("A [@x]. B [@x].")
    assert doc.blocks == [Paragraph([Text("A."), NoteRef(1), Text(" B."), NoteRef(2)])]
    assert note_texts(doc) == ["note x", "note x"]


def test_author_note_referenced_twice_keeps_one_number() -> None:
    doc = numbered("A[^n] [@c] B[^n]\n\n[^n]: Shared.\n")
    assert doc.blocks == [Paragraph([Text("A"), NoteRef(1), NoteRef(2), Text(" B"), NoteRef(1)])]
    assert note_texts(doc) == ["Shared.", "note c"]


def test_author_notes_are_renumbered_by_first_reference_among_citations() -> None:
    doc = numbered("[@a] one[^x] [@b] two[^y]\n\n[^y]: Why.\n\n[^x]: Ex.\n")
    assert note_texts(doc) == ["note a", "Ex.", "note b", "Why."]


def test_citation_inside_an_author_note_is_formatted_inline_at_its_place() -> None:
    calls: list[list[list[str]]] = []

    def record(ids: list[list[str]]) -> list[list[Block]]:
        calls.append(ids)
        return labelled(ids)

    doc = numbered("[@a] aside[^n] [@b]\n\n[^n]: As argued in [@in].\n", record)
    assert calls == [[["a"], ["in"], ["b"]]]
    assert doc.notes[1] == Note(2, [Paragraph([Text("As argued in note in.")])])
    assert len(doc.notes) == 3


def test_failing_formatter_leaves_the_document_as_it_was() -> None:
    doc = parse("A [@x] b[^n]\n\n[^n]: Note [@y].\n")
    before = copy.deepcopy(doc)

    def refuse(ids: list[list[str]]) -> list[list[Block]]:
        raise KeyError("unknown id")

    with pytest.raises(KeyError):
        number_notes(doc, refuse)
    assert doc == before


def test_numbering_does_not_change_the_nodes_it_replaces() -> None:
    doc = parse("A [@x] b[^n]\n\n[^n]: Note [@y] end.\n")
    old_blocks, old_notes = copy.deepcopy(doc.blocks), copy.deepcopy(doc.notes)
    original_blocks, original_notes = doc.blocks, doc.notes
    number_notes(doc, labelled)
    assert original_blocks == old_blocks and original_notes == old_notes


def test_callback_returning_the_wrong_number_of_notes_is_refused() -> None:
    with pytest.raises(ValueError, match="2 citations"):
        number_notes(parse("[@a] [@b]"), lambda ids: labelled(ids)[:1])


def _both_trees(markdown: str, verbatim: dict[str, str]) -> tuple[object, object]:
    """The blocks and notes from the parser with its fast paths, and from stock markdown-it."""
    from briefkit.render.parse import _BlockReader, _markdown_it

    def tree(fast: bool) -> object:
        reader = _BlockReader(_markdown_it(fast_paths=fast).parse(markdown, {"verbatim": dict(verbatim)}))
        return reader.blocks(), reader.notes

    return tree(True), tree(False)


def _marker(key: str) -> str:
    from briefkit.render.parse import VERBATIM_CLOSE, VERBATIM_OPEN

    return f"{VERBATIM_OPEN}{key}{VERBATIM_CLOSE}"


_VERBATIM = {"0": "quoted *text* [x]", "1": "another `one`"}


def test_fast_paths_give_exactly_the_tree_markdown_it_gives() -> None:
    m = _marker
    markdown = "\n".join([
        "# Title", "", f"> {m('0')}[@a]", "", f">{m('1')}", "", f"> {m('0')}[@a](url)", "",
        f"> {m('1')}", "lazy continuation", "", "| A | B |", "|:--|:-:|", "| plain | +1 |", "|  | *x* |", "",
        "| Source | Option \\| 1 | B |", "|---|:-:|--:|", "| A report | +1 −2 | |", "| Two | | ○1 |", "",
        "| Short | row |", "|:--|:--|", "| one |", "",
        "| Source | Option 1 | Option 2 |", "|:--|:-:|:-:|", "| A report | +1 −2 | |", "| Two | | ○1 |", "", "|x|y|", "|-|-|", "|1|2|", "text after", "",
        f"1. **{m('0')}** text `code`", f"1. {m('1')}", "", "After the list.", "",
        f"3) {m('0')}", "", "   indented continuation", "", f"1. {m('1')}", "", f"2. {m('0')}",
        "", f"- {m('0')}", f"  > {m('1')}[@b; @c, p. 3]", "", f"{m('9')} unknown key", "",
        f"1. **{m('0')}** (opposes, U.S. \\[pressure\\]). A report, para. 2: “{m('1')}” — verified `ab`",
        f"2. **{m('1')}** (context, x). B, p. 3: “{m('0')}” — NOT VERIFIED against SHA-256 `cd`", "",
        "- a", "  | A | B |", "  |---|---|", "  | 1 | 2 |", "",
    ])
    fast, stock = _both_trees(markdown, _VERBATIM)
    assert fast == stock
    assert str(fast).count("BlockQuote(") == 5 and str(fast).count("Table(") == 6
    # The shapes exports are made of took the fast paths (the rest went to markdown-it's rules).
    from briefkit.render.parse import _BLOCK, _markdown_it

    built = [type(t.meta["block"]).__name__
             for t in _markdown_it().parse(markdown, {"verbatim": dict(_VERBATIM)}) if t.type == _BLOCK]
    assert built == ["BlockQuote", "BlockQuote", "Table", "OrderedList", "BlockQuote", "OrderedList", "Table"]


@pytest.mark.parametrize("content", [
    f"**{_marker('0')}** (supports, Option 1). A report, para. 8: “{_marker('1')}” — verified against SHA-256 `ab12`",
    f"**{_marker('0')}** text `code`", f"a **{_marker('0')}**", f"[@a] **{_marker('0')}** x", f"`c` **{_marker('1')}**",
    f"{_marker('0')}{_marker('1')}", f"{_marker('0')}[@a]{_marker('1')}", f"x **{_marker('0')}**y",
    f"x**{_marker('0')}** y", f"(**{_marker('0')}**)", f"** {_marker('0')}**", f"{_marker('9')} unknown key",
    "a: b - c # d @e $ % + = , ; ' \" ( ) / | x", "`` `a` ``", "` a `", "`a``b`", "`a` `b`", "`x`y", "[@a](x)",
    "[@a, p. 3]", "[@a;@b]", "a &amp; b", "a\\*b \\[c\\] \\\\ \\_", "trailing \\", "\\a", "x ~~y~~",
    "[@a]{.unverified}", f"[{_marker('0')}]{{.unverified}}", "ünïcödé “quotes” — dash…", "a_b_c", "__s__",
    "foo@bar.com", "<http://x>", "a]b", "^[inline note]", "x[^1]",
])
def test_plain_inline_fast_path_gives_exactly_the_nodes_markdown_it_gives(content: str) -> None:
    for markdown in (content, f"> {content}", f"1. {content}", f"| {content} |\n|---|\n| {content} |"):
        fast, stock = _both_trees(markdown, _VERBATIM)
        assert fast == stock, markdown
