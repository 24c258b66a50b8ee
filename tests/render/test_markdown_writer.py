"""The Markdown writer and text escaping, read back by pandoc and by briefkit's own parser.

The export escapes only what pandoc would otherwise read as markup: every tricky string is written
in every inline context, read back with `pandoc -f markdown -t json` (the oracle), and must come
back as exactly the same text; strings that need no escape must be written as they are."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from typing import Any

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
)
from briefkit.render.markdown import write_markdown
from briefkit.render.markdown_text import Markdown, escape, readable
from briefkit.render.parse import number_notes, parse_document

PANDOC = shutil.which("pandoc")
needs_pandoc = pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed")

SPECIALS_QUOTE = (
    "U.S. officials said *not* _all_ [sic] options <b>remain</b> # open > 2 @smith $5 ~x~ ^y^ a|b "
    "`tick` back\\slash &amp; &#169; {.cls} well-known it’s “curly” 1. first"
)


def pandoc_json(markdown: str) -> dict[str, Any]:
    assert PANDOC is not None
    result = subprocess.run(
        [PANDOC, "-f", "markdown", "-t", "json"],
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def literal(node: Any, allow: tuple[str, ...] = ()) -> str:
    """Plain text of pandoc inlines; markup other than plain text fails the test unless allowed.

    Curly quotation marks come back as pandoc `Quoted` nodes (its smart typography), so they are
    turned back into the same characters.
    """
    if isinstance(node, list):
        return "".join(literal(child, allow) for child in node)
    kind = node["t"]
    if kind == "Str":
        return node["c"]
    if kind in ("Space", "SoftBreak"):
        return " "
    if kind in ("Para", "Plain"):
        return literal(node["c"], allow)
    if kind == "Quoted":
        kind_of_quote, inner = node["c"]
        marks = "“”" if kind_of_quote["t"] == "DoubleQuote" else "‘’"
        return marks[0] + literal(inner, allow) + marks[1]
    if kind in allow:
        return literal(node["c"], allow)
    raise AssertionError(f"pandoc read markup, not text: {kind}")


def find_all(node: Any, kind: str) -> list[Any]:
    if isinstance(node, list):
        return [found for child in node for found in find_all(child, kind)]
    if isinstance(node, dict):
        here = [node] if node.get("t") == kind else []
        return here + [found for value in node.values() for found in find_all(value, kind)]
    return []


def document(
    blocks: list[Block], notes: list[Note] | None = None, meta: Meta | None = None
) -> Document:
    return Document(meta or Meta(), blocks, notes or [])


def note_for(ids_per_cite: list[list[str]]) -> list[list[Block]]:
    return [
        [Paragraph([Text(f"Source {'+'.join(ids)}, "), Emph([Text("Title")]), Text(", para. 3.")])]
        for ids in ids_per_cite
    ]


# Escaping -----------------------------------------------------------------------------------


def test_escape_leaves_ordinary_prose_alone() -> None:
    prose = "U.S. policy, well-known, it's “quoted” and ‘single’ -- done... (e.g. 3.5%)."
    assert escape(prose) == prose


def test_escape_backslashes_every_markup_character() -> None:
    assert escape("*_[]<>#`|~^@$\\") == "\\*\\_\\[\\]\\<\\>\\#\\`\\|\\~\\^\\@\\$\\\\"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("1. item", "1\\. item"),
        ("12) item", "12\\) item"),
        ("a. item", "a\\. item"),
        ("(iv) item", "\\(iv) item"),
        ("> quoted", "\\> quoted"),
        ("# heading", "\\# heading"),
        ("---", "\\-\\-\\-"),
        (": definition", "\\: definition"),
        ("line\n2. item", "line\n2\\. item"),
        ("A. Analyst", "A. Analyst"),
    ],
)
def test_escape_neutralises_line_start_markers(text: str, escaped: str) -> None:
    assert escape(text) == escaped


def test_escape_strips_control_characters_but_keeps_newlines_and_tabs() -> None:
    assert escape("a\x00b\x07c\x1bd\x7fe\x85f\tg\r\nh") == "abcdef\tg\nh"


def test_escape_only_escapes_ampersands_that_would_start_an_entity() -> None:
    assert escape("AT&T &amp; &#169;") == "AT&T \\&amp; &\\#169;"


def test_markdown_passes_through_escape_unchanged() -> None:
    markup = Markdown("*already* markup")
    assert escape(markup) is markup


def test_escaping_twice_is_the_same_as_escaping_once() -> None:
    assert escape(escape("*x* [y]")) == escape("*x* [y]")


# Writing ------------------------------------------------------------------------------------


def test_metadata_block_comes_first_with_quoted_values_typography_and_a_readable_date() -> None:
    meta = Meta(
        title='Venezuela: "Options" for U.S. Policy \\ 2', author="A. Analyst", date="2026-11-23"
    )
    text = write_markdown(document([Paragraph([Text("Body.")])], meta=meta))
    assert text == (
        "---\n"
        'title: "Venezuela: “Options” for U.S. Policy \\\\\\\\ 2"\n'
        'author: "A. Analyst"\n'
        'date: "23 November 2026"\n'
        "---\n\n"
        "Body.\n"
    )


def test_footnotes_are_defined_after_the_body_in_order() -> None:
    doc = document(
        [Paragraph([Text("A"), NoteRef(1), Text(" b"), NoteRef(2)])],
        [
            Note(1, [Paragraph([Text("First.")])]),
            Note(2, [Paragraph([Text("One.")]), Paragraph([Text("Two.")])]),
        ],
    )
    assert write_markdown(doc) == "A[^1] b[^2]\n\n[^1]: First.\n\n[^2]: One.\n\n    Two.\n"


def test_unverified_quote_is_marked_visibly() -> None:
    text = write_markdown(document([Paragraph([Unverified([Text("not checked")])])]))
    assert text == "**\\[UNVERIFIED\\]** not checked\n"


def test_block_quote_prefixes_every_line() -> None:
    doc = document(
        [BlockQuote([Paragraph([Text("one")]), BulletList([[Paragraph([Text("two")])]])])]
    )
    assert write_markdown(doc) == "> one\n>\n> - two\n"


def test_list_items_continue_at_their_content_column() -> None:
    doc = document(
        [
            OrderedList(
                [
                    [Paragraph([Text("first")]), Paragraph([Text("more")])],
                    [Paragraph([Text("second")])],
                ],
                start=9,
            )
        ]
    )
    assert write_markdown(doc) == "9. first\n\n   more\n\n10. second\n"


def test_leading_spaces_never_turn_a_paragraph_into_code() -> None:
    assert write_markdown(document([Paragraph([Text("    indented")])])) == "indented\n"


def numbered(markdown: str) -> Document:
    doc = parse_document(markdown, Meta(title="T"))
    number_notes(doc, note_for)
    return doc


def test_output_is_deterministic_and_ends_in_one_newline() -> None:
    first = write_markdown(numbered("# T\n\nA [@a].\n\n- x\n"))
    assert first == write_markdown(numbered("# T\n\nA [@a].\n\n- x\n"))
    assert first.endswith("\n") and not first.endswith("\n\n")


# Read back by pandoc --------------------------------------------------------------------------


@needs_pandoc
def test_pandoc_reads_every_footnote_back_as_a_note() -> None:
    body = "\n\n".join(f"Claim {n} [@src-{n}] and an aside.[^a{n}]" for n in range(1, 31))
    notes = "\n\n".join(f"[^a{n}]: Aside {n}." for n in range(1, 31))
    ast = pandoc_json(write_markdown(numbered(body + "\n\n" + notes + "\n")))
    found = [literal(note["c"], allow=("Emph",)) for note in find_all(ast["blocks"], "Note")]
    expected = []
    for n in range(1, 31):
        expected += [f"Source src-{n}, Title, para. 3.", f"Aside {n}."]
    assert found == expected


@needs_pandoc
def test_pandoc_reads_multi_paragraph_notes_with_every_paragraph() -> None:
    doc = document(
        [Paragraph([Text("A"), NoteRef(1)])],
        [
            Note(
                1,
                [
                    Paragraph([Text("One.")]),
                    BulletList([[Paragraph([Text("two")])]]),
                    Paragraph([Text("Three.")]),
                ],
            )
        ],
    )
    (note,) = find_all(pandoc_json(write_markdown(doc))["blocks"], "Note")
    assert [block["t"] for block in note["c"]] == ["Para", "BulletList", "Para"]


@needs_pandoc
def test_quote_with_markdown_specials_reads_back_identical_in_pandoc() -> None:
    doc = document([BlockQuote([Paragraph([Text(SPECIALS_QUOTE)])])])
    (quote,) = pandoc_json(write_markdown(doc))["blocks"]
    assert quote["t"] == "BlockQuote"
    assert literal(quote["c"]) == SPECIALS_QUOTE


@needs_pandoc
@pytest.mark.parametrize(
    "text",
    [
        "- not a list",
        "1. not a list",
        "a) not a list",
        "# not a heading",
        "> not a quote",
        "::: not a div",
        "| not | a table |",
        "% not a title",
        "~~~ not code",
        "[^1]: not a note",
        "<div>not html</div>",
    ],
)
def test_text_that_looks_like_block_markup_stays_a_plain_paragraph_in_pandoc(text: str) -> None:
    ast = pandoc_json(write_markdown(document([Paragraph([Text(text)])])))
    assert [block["t"] for block in ast["blocks"]] == ["Para"]
    assert literal(ast["blocks"]) == text


@needs_pandoc
def test_us_abbreviation_is_written_and_read_back_unchanged() -> None:
    text = write_markdown(document([Paragraph([Text("U.S. and U.K. policy")])]))
    assert text == "U.S. and U.K. policy\n"
    assert literal(pandoc_json(text)["blocks"]) == "U.S. and U.K. policy"


@needs_pandoc
def test_metadata_with_specials_reads_back_as_plain_text_in_pandoc() -> None:
    meta = Meta(
        title="1. Venezuela: *Options* for U.S. [Policy] #2",
        subtitle="A “memo” @ <desk>",
        author="A. Analyst",
        date="2026-11-23",
        organisation="Office of $ & ~ Policy",
        audience="- Principals",
    )
    ast = pandoc_json(write_markdown(document([Paragraph([Text("x")])], meta=meta)))
    read = {key: literal(value["c"]) for key, value in ast["meta"].items()}
    assert read["title"] == meta.title
    assert read["subtitle"] == meta.subtitle
    assert read["author"] == meta.author
    assert read["organisation"] == meta.organisation
    assert read["audience"] == meta.audience


@needs_pandoc
def test_table_survives_pandoc_with_alignment_and_escaped_pipes() -> None:
    table = Table(
        header=[[Text("Position")], [Text("For | Against")]],
        rows=[
            [[Strong([Text("Pressure")])], [Text("3 "), NoteRef(1)]],
            [[Text("Talks")], [Text("1")]],
        ],
        align=["left", "right"],
    )
    ast = pandoc_json(write_markdown(document([table], [Note(1, [Paragraph([Text("Src.")])])])))
    (read,) = ast["blocks"]
    assert read["t"] == "Table"
    _, _, colspecs, head, bodies, _ = read["c"]
    assert [spec[0]["t"] for spec in colspecs] == ["AlignLeft", "AlignRight"]
    header_cells = head[1][0][1]
    assert [literal(cell[4]) for cell in header_cells] == ["Position", "For | Against"]
    rows = bodies[0][3]
    assert len(rows) == 2
    assert rows[0][1][0][4][0]["c"][0]["t"] == "Strong"
    assert len(find_all(rows, "Note")) == 1


@needs_pandoc
def test_nested_lists_and_quotes_survive_pandoc() -> None:
    doc = document(
        [
            BulletList(
                [
                    [
                        Paragraph([Text("outer")]),
                        OrderedList([[Paragraph([Text("inner")])]], start=1),
                    ],
                    [Paragraph([Text("second")])],
                ]
            ),
            OrderedList([[Paragraph([Text("five")]), Paragraph([Text("more")])]], start=5),
            BlockQuote([Paragraph([Text("said")]), BlockQuote([Paragraph([Text("nested")])])]),
        ]
    )
    bullet, ordered, quote = pandoc_json(write_markdown(doc))["blocks"]
    assert bullet["t"] == "BulletList"
    assert [block["t"] for block in bullet["c"][0]] == ["Plain", "OrderedList"]
    assert ordered["t"] == "OrderedList" and ordered["c"][0][0] == 5
    assert [block["t"] for block in ordered["c"][1][0]] == ["Para", "Para"]
    assert [block["t"] for block in quote["c"]] == ["Para", "BlockQuote"]


@needs_pandoc
def test_link_target_with_spaces_and_parentheses_reads_back_percent_encoded() -> None:
    doc = document([Paragraph([Link("https://example.org/a b (c)", [Text("see")])])])
    (link,) = find_all(pandoc_json(write_markdown(doc))["blocks"], "Link")
    assert link["c"][2][0] == "https://example.org/a%20b%20%28c%29"


@needs_pandoc
def test_unverified_mark_is_visible_in_pandoc() -> None:
    ast = pandoc_json(write_markdown(document([Paragraph([Unverified([Text("quote")])])])))
    strong = find_all(ast["blocks"], "Strong")
    assert [literal(node["c"]) for node in strong] == ["[UNVERIFIED]"]


# Read back by briefkit's parser -------------------------------------------------------------


ROUND_TRIP = document(
    [
        Heading(1, [Text("Options for "), Emph([Text("U.S.")]), Text(" policy")]),
        Heading(3, [Text("# not closing #")]),
        Paragraph(
            [
                Text("Said "),
                Strong([Text("*twice*")]),
                Text(" with "),
                Code("a `tick`"),
                Text(" and "),
                Link("https://example.org/a%20b?q=%28x%29", [Text("a [link]")]),
                Text(" or "),
                Link("https://example.org/", [Text("https://example.org/")]),
                Text(" ["),
                Cite(["a", "b.c"]),
                Text("]"),
                LineBreak(),
                Text("1. next line"),
                NoteRef(1),
            ]
        ),
        BlockQuote([Paragraph([Text(SPECIALS_QUOTE)]), BlockQuote([Paragraph([Text("> inner")])])]),
        BulletList(
            [
                [Paragraph([Text("- a")]), BulletList([[Paragraph([Text("b")])]])],
                [Paragraph([Text("c")])],
            ]
        ),
        OrderedList(
            [[Paragraph([Text("x")]), CodeBlock("```\ncode\n```")], [Paragraph([Text("y")])]],
            start=7,
        ),
        Table(
            [[Text("a|b")], [Text("c")]],
            [[[Emph([Text("d")])], [Cite(["e"])]], [[], [Text("f")]]],
            ["center", ""],
        ),
        ThematicBreak(),
        Paragraph([Text("end")]),
    ],
    [Note(1, [Paragraph([Text("Note one.")]), Paragraph([Text("* second")])])],
    Meta(title="T"),
)


def test_parsing_written_markdown_gives_back_the_same_tree() -> None:
    written = write_markdown(ROUND_TRIP)
    reparsed = parse_document(written.split("---\n", 2)[2], ROUND_TRIP.meta)
    assert reparsed.blocks == ROUND_TRIP.blocks
    assert reparsed.notes == ROUND_TRIP.notes


def test_parse_then_write_is_stable_after_one_round() -> None:
    once = write_markdown(ROUND_TRIP)
    twice = write_markdown(parse_document(once.split("---\n", 2)[2], ROUND_TRIP.meta))
    assert twice == once


def _inline_kinds(inlines: list[Inline]) -> list[str]:
    return [type(node).__name__ for node in inlines]


def test_written_quote_text_reads_back_as_one_text_node() -> None:
    written = write_markdown(document([BlockQuote([Paragraph([Text(SPECIALS_QUOTE)])])]))
    (quote,) = parse_document(written, Meta()).blocks
    assert isinstance(quote, BlockQuote)
    paragraph = quote.blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert _inline_kinds(paragraph.children) == ["Text"]
    assert paragraph.children == [Text(SPECIALS_QUOTE)]


# Readable escaping, read back by pandoc -----------------------------------------------------

# Strings that a careless writer garbles, one per trap.
TRICKY = [
    "*not* emphasis", "2*3*4 = 24", "a * b * c", "**bold?**", "_all_ of it", "snake_case_name",
    "Approve ____________________", "__init__", "[sic] was said", "[Op-ed on why], para. 2",
    "see [1](x)", "[note]: defined", "[^1] is not a note", "![not an image]", "[x]{.cls}",
    "[a] [b]", "unclosed [bracket", "closing] only", "# not a heading", "#hashtag",
    "1. not a list", "12) not a list", "a. not a list", "(iv) not a list", "A. Analyst wrote",
    "+ not a bullet", "- not a bullet", "* not a bullet", "+1 −1 and +2", "+---+---+",
    "---", "===", "* * *", ": not a definition", ": not a caption", "Table: not a caption", "::: not a div", "% not a title",
    "> not a quote", "a > b", "a < b", "<b>not html</b>", "<!-- comment -->",
    "<https://example.org>", "a|b|c", "@smith says", "see [@smith, p. 2]", "mail a@b.org",
    "$5 billion", "$5 and $6", "costs $x$ here", "back\\slash", "\\textbf{x}", "end\\",
    "AT&T &amp; &#169;", "{.cls} text", "x^2^ y", "H~2~O", "~~struck~~", "`tick`",
    "it's Russia's", "\"interim government\"", "'single'", "so -- dash --- long...", "U.S.",
    "Venezuela-U.S. talks", "50% + 1", "e.g. (see above)", "Mr. Smith and Dr. Who, i.e. both",
    "para. 2 and (p. 3, pp. 4-5), vs. them, cf. above", "Ph.D. holders", "St. Kitts", "a\\ b", "**", "_", "[", "]", "<",
]
# Strings that must be written as they are: nothing in them is markup to pandoc.
PLAIN = [
    "+1 −1", "+2 ○1", "it’s “curly”", "snake_case_name", "Approve ____________________",
    "[Op-ed on why], para. 2", "a < b", "a > b", "mail a@b.org", "$5 billion", "#hashtag",
    "50% + 1", "a * b", "Venezuela-U.S. talks", "closing] only", "U.S. and U.K.",
]


def contexts(text: str) -> list[tuple[str, Block]]:
    """`text` alone in a paragraph, beside a note, inside emphasis, in a heading, a list item and
    a table cell."""
    return [
        ("paragraph", Paragraph([Text(text)])),
        ("before a note", Paragraph([Text(text), NoteRef(1)])),
        ("after a note", Paragraph([Text("x"), NoteRef(1), Text(text)])),
        ("emphasis", Paragraph([Text("a "), Emph([Text(text)]), Text(" b")])),
        ("strong", Paragraph([Strong([Text(text)])])),
        ("heading", Heading(2, [Text(text)])),
        ("bullet", BulletList([[Paragraph([Text(text)])]])),
        ("numbered", OrderedList([[Paragraph([Text(text)])]], 10)),
        ("cell", Table([[Text("h")]], [[[Text(text)]]])),
    ]


def read_back(block: dict[str, Any], where: str) -> str:
    """The text pandoc found where `contexts` put it, markup around it peeled off as expected."""
    kind, content = block["t"], block.get("c")
    if where == "heading":
        assert kind == "Header"
        return literal(content[2])
    if where in ("bullet", "numbered"):
        assert kind == ("BulletList" if where == "bullet" else "OrderedList")
        items = content if where == "bullet" else content[1]
        (item,) = items
        (para,) = item
        return literal(para["c"])
    if where == "cell":
        assert kind == "Table"
        body = content[4][0][3]  # TableBody: attr, row head columns, head rows, rows
        return literal(body[0][1][0][4][0]["c"])  # Row attr cells -> Cell ... blocks
    assert kind == "Para", block
    inlines = content
    if where == "before a note":
        assert inlines[-1]["t"] == "Note"
        return literal(inlines[:-1])
    if where == "after a note":
        assert inlines[1]["t"] == "Note"
        return literal(inlines[2:])
    if where == "emphasis":
        (emph,) = [node for node in inlines if node["t"] == "Emph"]
        return literal(emph["c"])
    if where == "strong":
        (strong,) = inlines
        assert strong["t"] == "Strong"
        return literal(strong["c"])
    return literal(inlines)


def round_trip(texts: list[str]) -> list[tuple[str, str, str]]:
    """(context, written, read back) for every text in every context, in one pandoc run."""
    cases = [(where, block, text) for text in texts for where, block in contexts(text)]
    doc = Document(Meta(), [b for _, b, _ in cases], [Note(1, [Paragraph([Text("n")])])])
    blocks = pandoc_json(write_markdown(doc))["blocks"]
    assert len(blocks) == len(cases)
    return [(where, text, read_back(block, where)) for (where, _, text), block in zip(cases, blocks)]


def normal(text: str) -> str:
    """What pandoc is expected to give back: blank runs are one space, and edges drop theirs
    (everywhere in a block; inside emphasis the writer keeps them outside the marks)."""
    return " ".join(text.split())


def spaced(back: str) -> str:
    """pandoc's reading with the non-breaking spaces its smart typography puts after abbreviations
    it knows ("p. 2", "e.g. this") turned back into the spaces they were."""
    return back.replace("\u00a0", " ")


@needs_pandoc
def test_every_tricky_string_reads_back_as_itself_in_every_context() -> None:
    failures = [(where, text, back) for where, text, back in round_trip(TRICKY)
                if spaced(back) != normal(text)]
    assert failures == []


@needs_pandoc
def test_random_strings_of_markup_characters_read_back_as_themselves() -> None:
    """400 strings (each in 9 contexts) drawn from markup characters, letters, digits and blanks."""
    rng = random.Random(20261203)
    alphabet = "*_[]()<>#@$\\`|~^{}&;:+-=.!'\"%/ ab1 "
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))).strip() or "a"
             for _ in range(400)]
    failures = [(where, text, back) for where, text, back in round_trip(texts)
                if spaced(back) != normal(text)]
    assert failures == []


@pytest.mark.parametrize("text", PLAIN)
def test_text_without_markup_is_written_without_backslashes(text: str) -> None:
    assert readable(text, before="\n", after="\n") == text
    written = write_markdown(Document(Meta(), [Paragraph([Text(text)])], []))
    assert written == text + "\n"


def test_matrix_marks_in_table_cells_are_not_escaped() -> None:
    cells: list[list[Inline]] = [[Text("Source")], [Text("+1 −1")], [Text("+2 ○1")]]
    written = write_markdown(Document(Meta(), [Table([[Text("a")], [Text("b")], [Text("c")]], [cells])], []))
    assert "| Source | +1 −1 | +2 ○1 |" in written


def test_markup_at_the_edges_of_a_run_is_escaped_when_the_neighbour_is_unknown() -> None:
    assert readable("x_", before="\n", after="") == "x\\_"
    assert readable("[a]", before="\n", after="") == "\\[a\\]"
    assert readable("[a]", before="\n", after="\n") == "[a]"


@needs_pandoc
def test_brackets_holding_a_headings_text_are_escaped_so_pandoc_does_not_link_them() -> None:
    doc = document([Heading(2, [Text("Background")]),
                    Paragraph([Text("See [background], [Options] and [sic] here.")])])
    written = write_markdown(doc)
    assert "\\[background\\], [Options] and [sic] here." in written
    (_, paragraph) = pandoc_json(written)["blocks"]
    assert literal(paragraph) == "See [background], [Options] and [sic] here."
