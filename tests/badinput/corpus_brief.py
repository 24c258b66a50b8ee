"""Bad brief files: YAML that does not parse, values of the wrong kind, ids the loader refuses,
YAML features a brief must not use, bytes that are not UTF-8 text, and runaway documents."""

from __future__ import annotations

from pathlib import Path

from corpus_model import ANY_LINE, BRIEF, Case, Expect, Line, Workspace, line_of, replace_with

HEAD = "briefkit: 1\ntitle: T\nlibrary: lib\n"
CITATION = BRIEF[BRIEF.index("      - id: alpha-1"):BRIEF.index("      - id: beta-relief")]


def _argv(ws: Workspace, command: str) -> list[str]:
    if command == "check":
        return ["check", str(ws.brief)]
    return ["export", str(ws.brief), "--to", "md", "-o", str(ws.root / "out.md")]


def whole(case_id: str, data: str | bytes, at: str | Line, *, command: str = "check",
          subprocess: bool = False, or_names: str = "") -> Case:
    """A brief file with exactly `data`; `at` is the text of the line the message must give.
    `or_names` is another file (relative to the workspace) the message may name instead."""
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    line = line_of(text, at) if isinstance(at, str) else at

    def build(ws: Workspace) -> Expect:
        ws.write("b.brief.yaml", data)
        where: tuple[tuple[Path, Line], ...] = ((ws.brief, line),)
        if or_names:
            where += ((ws.root / or_names, None),)
        return Expect(_argv(ws, command), where)

    return Case(f"brief-{case_id}", build, subprocess)


def edit(case_id: str, old: str, new: str, at: str | Line = "", *, command: str = "check") -> Case:
    """The valid brief with `old` replaced by `new`; the message gives the line of `at` (default:
    the first line of `new`)."""
    assert old in BRIEF, old
    text = BRIEF.replace(old, new, 1)
    return whole(case_id, text, at if at != "" else new.strip("\n").splitlines()[0], command=command)


def bomb(levels: int, name: str = "a") -> str:
    """A flow list whose last item expands to 9**levels strings (9 levels: 387 million) though
    the text is under 400 bytes: each level is nine aliases of the one before."""
    items = [f"&{name}0 [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    items += [f"&{name}{n} [" + ",".join([f"*{name}{n - 1}"] * 9) + "]" for n in range(1, levels)]
    return "[" + ", ".join(items) + "]"


BOMB = bomb(9)

CASES: list[Case] = [
    # YAML that does not parse
    whole("unclosed-flow-list", HEAD.replace("title: T", "title: [oops"), ANY_LINE),
    whole("unclosed-flow-mapping", HEAD + "sections: {summary: x\n", ANY_LINE),
    whole("unclosed-double-quote", HEAD.replace("title: T", 'title: "oops'), ANY_LINE),
    whole("unclosed-single-quote", HEAD.replace("title: T", "title: 'oops"), ANY_LINE),
    whole("bad-indentation", HEAD + "sections:\n  summary: a\n   background: b\n", ANY_LINE),
    whole("tab-indentation", HEAD + "sections:\n\tsummary: a\n", ANY_LINE),
    whole("mapping-value-in-plain-text", HEAD.replace("title: T", "title: a: b"), "title: a: b"),
    whole("unknown-alias", HEAD + "author: *nobody\n", "author: *nobody"),
    whole("block-scalar-bad-indicator", HEAD + "author: |x\n  A\n", ANY_LINE),
    whole("two-documents", HEAD + "---\n" + HEAD, ANY_LINE),
    whole("stray-document-end", HEAD + "...\ntitle: U\n", ANY_LINE),
    whole("key-is-a-list", HEAD + "[a, b]: c\n", "[a, b]: c"),
    whole("key-is-a-mapping", HEAD + "{a: b}: c\n", "{a: b}: c"),
    # Not a brief at all
    whole("empty-file", "", None),
    whole("only-comments", "# nothing here\n# at all\n", None),
    whole("list-at-top", "- briefkit: 1\n- title: T\n", 1),
    whole("text-at-top", "just some words\n", 1),
    whole("number-at-top", "42\n", 1),
    # Format version
    whole("version-missing", "title: T\nlibrary: lib\n", ANY_LINE),
    whole("version-2", HEAD.replace("briefkit: 1", "briefkit: 2"), "briefkit: 2"),
    whole("version-as-text", HEAD.replace("briefkit: 1", "briefkit: '1'"), "briefkit: '1'"),
    whole("version-true", HEAD.replace("briefkit: 1", "briefkit: true"), "briefkit: true"),
    whole("version-null", HEAD.replace("briefkit: 1", "briefkit:"), "briefkit:"),
    # Top-level fields
    whole("unknown-top-key", HEAD + "titel: typo\n", "titel: typo"),
    whole("title-missing", "briefkit: 1\nlibrary: lib\n", ANY_LINE),
    whole("title-empty", HEAD.replace("title: T", "title: ''"), "title: ''"),
    whole("title-list", HEAD.replace("title: T", "title: [a, b]"), "title: [a, b]"),
    whole("title-mapping", HEAD.replace("title: T", "title: {a: b}"), "title: {a: b}"),
    whole("title-two-lines", HEAD.replace("title: T", 'title: "one\\ntwo"'), "title: "),
    whole("title-boolean", HEAD.replace("title: T", "title: yes"), "title: yes"),
    whole("author-list", HEAD + "author: [A. Analyst, B. Analyst]\n", "author: ["),
    whole("date-month-13", HEAD + "date: 2026-13-45\n", "date: 2026-13-45"),
    whole("date-february-30", HEAD + "date: 2026-02-30\n", "date: 2026-02-30"),
    whole("date-hour-25", HEAD + "date: 2026-01-01 25:00:00\n", "date: 2026-01-01"),
    whole("title-invalid-timestamp", HEAD.replace("title: T", "title: 2021-13-45"), "title: 2021-13-45"),
    whole("audience-invalid-timestamp", HEAD + "audience: 2026-00-00\n", "audience: 2026-00-00"),
    whole("template-list", HEAD + "template: [a]\n", "template: [a]"),
    whole("style-mapping", HEAD + "style: {name: apa}\n", "style: {name: apa}"),
    whole("library-list", HEAD.replace("library: lib", "library: [lib]"), "library: [lib]"),
    whole("library-missing-folder", HEAD.replace("library: lib", "library: nowhere"),
          "library: nowhere"),
    whole("library-is-a-file", HEAD.replace("library: lib", "library: lib/alpha.txt"),
          "library: lib/alpha.txt"),
    whole("library-without-sources-yaml", HEAD.replace("library: lib", "library: ."), "library: .",
          or_names="sources.yaml"),
    # Sections
    whole("sections-list", HEAD + "sections: [a, b]\n", "sections: [a, b]"),
    whole("sections-text", HEAD + "sections: some text\n", "sections: some text"),
    whole("section-name-with-space", HEAD + "sections:\n  'bad name': x\n", "'bad name'"),
    whole("section-value-list", HEAD + "sections:\n  summary: [a, b]\n", "summary: [a, b]"),
    whole("section-value-mapping", HEAD + "sections:\n  summary: {a: b}\n", "summary: {a: b}"),
    whole("section-invalid-timestamp", HEAD + "sections:\n  summary: 2026-13-45\n", "summary: 2026"),
    edit("section-cites-unknown-citation", "[@alpha-1]", "[@ghost]", "summary:", command="export"),
    # Positions
    whole("positions-mapping", HEAD + "positions: {id: a}\n", "positions: {id: a}"),
    whole("positions-text", HEAD + "positions: many\n", "positions: many"),
    whole("position-is-text", HEAD + "positions:\n  - just text\n", "- just text"),
    edit("position-unknown-key", "    title: Talks\n", "    title: Talks\n    owner: me\n", "owner: me"),
    edit("position-id-missing", "  - id: talks\n    title: Talks\n", "  - title: Talks\n", ANY_LINE),
    edit("position-id-bad", "  - id: talks", "  - id: 'bad id!'"),
    edit("position-id-ends-with-dot", "  - id: talks", "  - id: talks."),
    edit("position-id-empty", "  - id: talks", "  - id: ''"),
    edit("position-id-list", "  - id: talks", "  - id: [talks]"),
    edit("position-title-missing", "    title: Talks\n", "", ANY_LINE),
    whole("position-duplicate-id",
          HEAD + "positions:\n  - id: a\n    title: A\n  - id: a\n    title: B\n", 7),
    # Citations
    whole("citations-mapping", HEAD + "positions:\n  - id: a\n    title: A\n    citations: {a: b}\n",
          "citations: {a: b}"),
    edit("citation-is-text", "      - id: beta-relief\n", "      - just text\n      - id: beta-relief\n",
         "- just text"),
    edit("citation-unknown-key", "        stance: supports\n", "        stance: supports\n        page: 4\n",
         "page: 4"),
    edit("citation-id-missing", "      - id: alpha-1\n        source: alpha\n", "      - source: alpha\n",
         ANY_LINE),
    edit("citation-id-bad", "      - id: alpha-1", "      - id: 'alpha 1!'"),
    edit("citation-id-slash", "      - id: alpha-1", "      - id: alpha/../1"),
    edit("citation-duplicate-id", "      - id: beta-relief", "      - id: alpha-1",
         line_of(BRIEF, "- id: beta-relief")),
    edit("citation-stance-unknown", "stance: supports", "stance: maybe"),
    edit("citation-stance-list", "stance: supports", "stance: [supports]"),
    edit("citation-source-missing", "        source: alpha\n", "", ANY_LINE),
    edit("citation-source-list", "        source: alpha\n", "        source: [alpha]\n"),
    edit("citation-source-unknown", "        source: alpha\n", "        source: gamma\n",
         "- id: alpha-1", command="export"),
    edit("citation-quote-missing", "        quote: Sanctions were eased in stages\n", "", ANY_LINE),
    edit("citation-quote-empty", "quote: Sanctions were eased in stages", "quote: ''"),
    edit("citation-quote-list", "quote: Sanctions were eased in stages", "quote: [Sanctions]"),
    edit("citation-prefix-mapping", 'prefix: "discuss a framework for talks.\\n\\n"', "prefix: {a: b}"),
    edit("citation-note-list", "        end: 100\n", "        end: 100\n        note: [a, b]\n", "note: [a, b]"),
    edit("citation-start-missing", "        start: 70\n", "", ANY_LINE),
    edit("citation-start-negative", "start: 70", "start: -5"),
    edit("citation-start-fraction", "start: 70", "start: 70.5"),
    edit("citation-start-text", "start: 70", "start: seventy"),
    edit("citation-start-boolean", "start: 70", "start: true"),
    edit("citation-start-infinite", "start: 70", "start: .inf"),
    edit("citation-start-not-a-number", "start: 70", "start: .nan"),
    edit("citation-start-5000-digits", "start: 70", "start: 1" + "0" * 5000, "start: 1"),
    edit("citation-end-before-start", "end: 100", "end: 60"),
    edit("citation-huge-end-before-start", "start: 70\n        end: 100",
         "start: 100000000000000000000000000001\n        end: 100000000000000000000000000000",
         "end: 1000"),
    # YAML features a brief must not use
    whole("python-object-tag", HEAD + "author: !!python/object/apply:os.system ['true']\n", "author:"),
    whole("python-name-tag", HEAD + "author: !!python/name:os.system\n", "author:"),
    whole("local-tag", HEAD + "author: !analyst A\n", "author:"),
    whole("binary-tag", HEAD + "author: !!binary aGVsbG8=\n", "author:"),
    whole("set-tag", HEAD + "sections: !!set {a, b}\n", "sections:"),
    whole("timestamp-tag-invalid", HEAD + "date: !!timestamp 2026-13-45\n", "date:"),
    whole("int-tag-on-text", HEAD + "positions:\n  - id: a\n    title: A\n    citations:\n"
          "      - id: c\n        source: alpha\n        quote: q\n        start: !!int seventy\n"
          "        end: 3\n", "start: !!int"),
    whole("merge-key", HEAD + "base: &b {title: X}\nmerged:\n  <<: *b\n", ANY_LINE),
    whole("duplicate-top-key", HEAD + "title: Again\n", "title: Again"),
    edit("duplicate-position-key", "    title: Talks\n", "    title: Talks\n    title: Again\n",
         "title: Again"),
    edit("duplicate-citation-key", "        end: 100\n", "        end: 100\n        end: 101\n", "end: 101"),
    whole("recursive-alias-sections", HEAD + "sections: &s {summary: *s}\n", "sections:"),
    whole("recursive-alias-positions", HEAD + "positions: &p [*p]\n", "positions:"),
    whole("alias-bomb-in-sections", HEAD + "sections: {summary: " + BOMB + "}\n", "sections:",
          subprocess=True),
    whole("flow-lists-600-deep", HEAD + "author: " + "[" * 600 + "]" * 600 + "\n", ANY_LINE,
          subprocess=True),
    whole("flow-mappings-600-deep", HEAD + "author: " + "{a: " * 600 + "b" + "}" * 600 + "\n",
          ANY_LINE, subprocess=True),
    whole("block-mappings-600-deep",
          HEAD + "sections:\n" + "".join(" " * (n + 1) + f"k{n}:\n" for n in range(600)) + " " * 601 + "x\n",
          ANY_LINE, subprocess=True),
    # Characters and bytes that are not YAML text
    whole("control-char-soh-in-title", HEAD.replace("title: T", "title: a\x01b"), "title:"),
    whole("control-char-bell-in-quotes", HEAD + 'author: "a\x07b"\n', "author:"),
    whole("control-char-escape", HEAD + "author: \x1b[31mred\n", "author:"),
    whole("control-char-delete", HEAD + "author: a\x7fb\n", "author:"),
    whole("control-char-form-feed-in-section", HEAD + "sections:\n  summary: |\n    a\x0c\n    b\n", "    a"),
    whole("c1-control-char", HEAD + "author: a\u009bb\n", "author:"),
    whole("nul-byte", (HEAD + "author: a\x00b\n").encode(), None),
    whole("latin-1-bytes", (HEAD + "author: Caf\xe9\n").encode("latin-1"), "author:"),
    whole("truncated-utf-8", HEAD.encode() + b"author: caf\xc3", "author:"),
    whole("utf-8-surrogate-bytes", HEAD.encode() + b"author: \xed\xa0\x80\n", "author:"),
    whole("utf-16-le-with-bom", b"\xff\xfe" + HEAD.encode("utf-16-le"), None),
    whole("utf-16-be-with-bom", b"\xfe\xff" + HEAD.encode("utf-16-be"), None),
    whole("utf-32-le-with-bom", b"\xff\xfe\x00\x00" + HEAD.encode("utf-32-le"), None),
    whole("png-image", b"\x89PNG\r\n\x1a\n" + bytes(64), None),
    whole("gzip-bytes", b"\x1f\x8b\x08\x00" + bytes(range(256)), None),
]


def _special(case_id: str, make: str) -> Case:
    """A brief path that is not a regular file: missing, a folder, a symlink loop, a FIFO."""

    def build(ws: Workspace) -> Expect:
        replace_with(ws.brief, make)
        return Expect(["check", str(ws.brief)], ((ws.brief, None),))

    return Case(f"brief-{case_id}", build, subprocess=make == "fifo")


CASES += [
    _special("file-missing", "missing"),
    _special("is-a-folder", "folder"),
    _special("symlink-loop", "loop"),
    _special("is-a-fifo", "fifo"),
]
