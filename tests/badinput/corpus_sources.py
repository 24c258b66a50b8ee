"""Bad libraries: a `sources.yaml` that does not parse or validate, entries that reach outside the
library folder, CSL fields the notes cannot use, and source texts that are not text."""

from __future__ import annotations

from collections.abc import Callable

from corpus_brief import BOMB, bomb
from corpus_model import ANY_LINE, SOURCES, Case, Expect, Line, Workspace, line_of, replace_with

Setup = Callable[[Workspace], None]


def _argv(ws: Workspace, command: str) -> list[str]:
    if command == "list":
        return ["sources", "--library", str(ws.lib)]
    if command == "show":
        return ["show", "alpha", "--library", str(ws.lib)]
    return ["export", str(ws.brief), "--to", "md", "-o", str(ws.root / "out.md")]


def whole(case_id: str, data: str | bytes, at: str | Line, *, command: str = "list",
          setup: Setup | None = None, subprocess: bool = False) -> Case:
    """A `sources.yaml` holding exactly `data`; the message gives the line of `at`."""
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    line = line_of(text, at) if isinstance(at, str) else at

    def build(ws: Workspace) -> Expect:
        ws.write("lib/sources.yaml", data)
        if setup is not None:
            setup(ws)
        return Expect(_argv(ws, command), ((ws.sources, line),))

    return Case(f"sources-{case_id}", build, subprocess)


def edit(case_id: str, old: str, new: str, at: str | Line = "", *, command: str = "list",
         setup: Setup | None = None, subprocess: bool = False) -> Case:
    """The valid `sources.yaml` with `old` replaced by `new` (default line: the first of `new`)."""
    assert old in SOURCES, old
    text = SOURCES.replace(old, new, 1)
    return whole(case_id, text, at if at != "" else new.strip("\n").splitlines()[0], command=command,
                 setup=setup, subprocess=subprocess)


def _outside(ws: Workspace) -> None:
    """A text outside the library folder, which no entry may reach."""
    ws.write("outside.txt", "A private note that is not part of the library.\n")
    ws.write("outdir/x.txt", "Another private note.\n")


def _link(name: str, target: str) -> Setup:
    def setup(ws: Workspace) -> None:
        _outside(ws)
        (ws.lib / name).symlink_to(target)

    return setup


FILE = "    file: alpha.txt\n"
HEAD = "sources:\n  - id: alpha\n    file: alpha.txt\n"

CASES: list[Case] = [
    # YAML that does not parse
    whole("unclosed-flow-list", HEAD + "    author: [oops\n", ANY_LINE),
    whole("unclosed-quote", HEAD + '    title: "oops\n', ANY_LINE),
    whole("tab-indentation", HEAD + "\ttitle: x\n", ANY_LINE),
    whole("bad-indentation", HEAD + "     title: x\n", ANY_LINE),
    whole("two-documents", HEAD + "---\n" + HEAD, ANY_LINE),
    edit("duplicate-key", "    type: report\n", "    type: report\n    type: book\n", "type: book"),
    # Not a library
    whole("empty-file", "", None),
    whole("only-comments", "# no sources yet\n", None),
    whole("list-at-top", "- id: alpha\n  file: alpha.txt\n", 1),
    whole("text-at-top", "alpha.txt\n", 1),
    whole("unknown-top-key", HEAD + "version: 2\n", "version: 2"),
    whole("sources-mapping", "sources:\n  alpha: alpha.txt\n", "sources:"),
    whole("sources-text", "sources: alpha.txt\n", "sources:"),
    whole("entry-is-text", "sources:\n  - alpha.txt\n", "- alpha.txt"),
    whole("entry-is-list", "sources:\n  - [alpha, alpha.txt]\n", "- [alpha"),
    # Ids
    edit("id-missing", "  - id: alpha\n    file: alpha.txt\n", "  - file: alpha.txt\n", ANY_LINE),
    edit("id-bad", "  - id: alpha\n", "  - id: 'bad id!'\n"),
    edit("id-with-slash", "  - id: alpha\n", "  - id: a/../b\n"),
    edit("id-number", "  - id: alpha\n", "  - id: 5\n"),
    edit("id-list", "  - id: alpha\n", "  - id: [alpha]\n"),
    edit("id-empty", "  - id: alpha\n", "  - id: ''\n"),
    edit("duplicate-id", "  - id: beta\n", "  - id: alpha\n", "  - id: alpha\n    file: beta.md"),
    # file: and original:
    edit("file-missing-key", FILE, "", ANY_LINE),
    edit("file-number", FILE, "    file: 5\n"),
    edit("file-empty", FILE, "    file: ''\n"),
    edit("file-list", FILE, "    file: [alpha.txt]\n"),
    edit("file-not-found", FILE, "    file: gone.txt\n"),
    edit("file-is-a-folder", FILE, "    file: .\n"),
    edit("file-absolute-etc-passwd", FILE, "    file: /etc/passwd\n", command="show"),
    edit("file-dotdot-etc-passwd", FILE, "    file: ../../../../../../../../etc/passwd\n", command="show"),
    edit("file-dotdot-outside", FILE, "    file: ../outside.txt\n", command="show", setup=_outside),
    edit("file-dotdot-via-inside", FILE, "    file: sub/../../outside.txt\n", command="show",
         setup=lambda ws: (_outside(ws), (ws.lib / "sub").mkdir())),
    edit("file-symlink-out-relative", FILE, "    file: link.txt\n", command="show",
         setup=_link("link.txt", "../outside.txt")),
    edit("file-symlink-out-absolute", FILE, "    file: link.txt\n", command="show",
         setup=_link("link.txt", "/etc/passwd")),
    edit("file-in-symlinked-folder-out", FILE, "    file: sub/x.txt\n", command="show",
         setup=_link("sub", "../outdir")),
    edit("original-absolute", FILE, FILE + "    original: /etc/passwd\n", "original:"),
    edit("original-dotdot-outside", FILE, FILE + "    original: ../outside.txt\n", "original:",
         setup=_outside),
    edit("original-symlink-out", FILE, FILE + "    original: originals/link.pdf\n", "original:",
         setup=lambda ws: (_outside(ws), (ws.lib / "originals").mkdir(),
                           (ws.lib / "originals/link.pdf").symlink_to("../../outside.txt"))),
    edit("original-number", FILE, FILE + "    original: 7\n", "original:"),
    # briefkit's own keys
    edit("format-unknown", FILE, FILE + "    format: epub\n", "format:"),
    edit("sha256-number", FILE, FILE + "    sha256: 12345\n", "sha256:"),
    edit("page-labels-mapping", FILE, FILE + "    page-labels: {1: i}\n", "page-labels:"),
    edit("page-labels-empty-label", FILE, FILE + "    page-labels: [i, '', '1']\n", "page-labels:"),
    edit("page-labels-nested-list", FILE, FILE + "    page-labels: [[i, ii]]\n", "page-labels:"),
    # CSL dates and names
    edit("issued-invalid-timestamp", "    issued:\n      date-parts: [[2021, 8, 6]]\n",
         "    issued: 2021-13-45\n"),
    edit("accessed-february-30", "    type: report\n", "    type: report\n    accessed: 2026-02-30\n",
         "accessed:"),
    edit("title-invalid-timestamp", "    title: Talks in Oslo\n", "    title: 2021-13-45\n"),
    edit("issued-text", "    issued:\n      date-parts: [[2021, 8, 6]]\n", "    issued: last year\n"),
    edit("issued-four-parts", "date-parts: [[2021, 8, 6]]", "date-parts: [[2021, 8, 6, 9]]", "    issued:"),
    edit("issued-letters", "date-parts: [[2021, 8, 6]]", "date-parts: [[twenty, 8, 6]]", "    issued:"),
    edit("author-text", "    author:\n      - family: Smilde\n        given: David\n", "    author: Smilde\n"),
    edit("author-list-of-text", "    author:\n      - family: Smilde\n        given: David\n",
         "    author: [Smilde, David]\n"),
    # CSL fields that pass the library but reach the notes
    edit("issued-month-13", "date-parts: [[2021, 8, 6]]", "date-parts: [[2021, 13, 45]]", "    issued:",
         command="export"),
    edit("title-list", "    title: Talks in Oslo\n", "    title: [Talks, Oslo]\n", command="export"),
    edit("title-mapping", "    title: Talks in Oslo\n", "    title: {main: Talks}\n", command="export"),
    edit("type-list", "    type: report\n", "    type: [report]\n", command="export"),
    edit("url-number", "    type: report\n", "    type: report\n    URL: 12345\n", "URL:", command="export"),
    edit("author-family-list", "      - family: Smilde\n", "      - family: [Smilde]\n", "family:",
         command="export"),
    # YAML features a library must not use
    edit("python-object-tag", "    title: Talks in Oslo\n",
         "    title: !!python/object/apply:os.system ['true']\n"),
    edit("local-tag", "    title: Talks in Oslo\n", "    title: !oslo Talks\n"),
    whole("merge-key", "base: &b {file: alpha.txt}\nsources:\n  - id: alpha\n    <<: *b\n", ANY_LINE),
    edit("recursive-alias-author", "    author:\n      - family: Smilde\n        given: David\n",
         "    author: &a [*a]\n"),
    edit("recursive-alias-mapping", "    type: report\n", "    type: report\n    note: &n {a: *n}\n", "note:"),
    edit("alias-bomb-in-note", "    type: report\n", "    type: report\n    note: " + BOMB + "\n", "note:",
         subprocess=True),
    edit("alias-bomb-in-author", "    author:\n      - family: Smilde\n        given: David\n",
         "    author: " + bomb(9, "n").replace("lol", "{family: lol}") + "\n", subprocess=True),
    edit("flow-lists-600-deep", "    title: Talks in Oslo\n", "    note: " + "[" * 600 + "]" * 600 + "\n",
         ANY_LINE, subprocess=True),
    edit("flow-mappings-600-deep", "    title: Talks in Oslo\n",
         "    note: " + "{a: " * 600 + "b" + "}" * 600 + "\n", ANY_LINE, subprocess=True),
    # Characters and bytes that are not YAML text
    edit("control-char-in-title", "Talks in Oslo", "Talks\x01in Oslo", "    title:"),
    edit("form-feed-in-title", "Talks in Oslo", "Talks\x0cin Oslo", "    title:"),
    whole("nul-byte", (HEAD + "    title: a\x00b\n").encode(), None),
    whole("latin-1-bytes", (HEAD + "    title: Caf\xe9\n").encode("latin-1"), "    title:"),
    whole("truncated-utf-8", HEAD.encode() + b"    title: caf\xc3", "    title:"),
    whole("utf-16-le-with-bom", b"\xff\xfe" + HEAD.encode("utf-16-le"), None),
    whole("png-image", b"\x89PNG\r\n\x1a\n" + bytes(64), None),
]


def _sources_path(case_id: str, make: str) -> Case:
    """A `sources.yaml` that is not a regular file: a folder, a symlink loop, a FIFO."""

    def build(ws: Workspace) -> Expect:
        replace_with(ws.sources, make)
        return Expect(_argv(ws, "list"), ((ws.sources, None),))

    return Case(f"sources-{case_id}", build, subprocess=make == "fifo")


def text(case_id: str, data: bytes | None, *, name: str = "alpha.txt", subprocess: bool = False) -> Case:
    """A source text that is not readable text (`data` None: a FIFO in its place); the message must
    name the text, or its entry in `sources.yaml` with the line."""

    def build(ws: Workspace) -> Expect:
        path = ws.lib / name
        if data is None:
            replace_with(path, "fifo")
        else:
            path.write_bytes(data)
        source = "alpha" if name == "alpha.txt" else "beta"
        entry = line_of(SOURCES, f"file: {name}")
        return Expect(["show", source, "--library", str(ws.lib)], ((path, None), (ws.sources, entry)))

    return Case(f"text-{case_id}", build, subprocess)


def extracted(case_id: str, data: bytes) -> Case:
    """The stored reading text of an extracted source (a PDF's, with `original:`) spoiled: it is
    read as it is, without the decoding a plain text gets, and must still be text."""

    def build(ws: Workspace) -> Expect:
        ws.write("lib/sources.yaml", SOURCES.replace(FILE, FILE + "    original: originals/alpha.pdf\n"
                                                     "    format: pdf\n"))
        ws.write("lib/originals/alpha.pdf", b"%PDF-1.4\n")
        ws.alpha.write_bytes(data)
        return Expect(_argv(ws, "show"), ((ws.alpha, None),))

    return Case(f"text-extracted-{case_id}", build)


def _folder_in_place(ws: Workspace) -> Expect:
    replace_with(ws.alpha, "folder")
    return Expect(_argv(ws, "show"), ((ws.alpha, None), (ws.sources, line_of(SOURCES, FILE.strip()))))


def _one_long_line(ws: Workspace) -> Expect:
    """Not bad input: a 4 MB source on a single line must be searchable within the time limit."""
    words = ("sanctions relief talks oslo mexico election reform leverage pressure snapback " * 52000)
    ws.write("lib/alpha.txt", words.strip() + " needle.\n")
    return Expect(["search", "needle", "--library", str(ws.lib)], (), status=0, cache_limit=None)


CASES += [
    _sources_path("is-a-folder", "folder"),
    _sources_path("symlink-loop", "loop"),
    _sources_path("is-a-fifo", "fifo"),
    text("binary", bytes(range(256)) * 8),
    text("png-image", b"\x89PNG\r\n\x1a\n" + bytes(64)),
    text("zip-archive", b"PK\x03\x04" + bytes(200)),
    text("empty", b""),
    text("whitespace-only", b"  \n\n\t \n"),
    text("markdown-markup-only", b"#\n\n---\n", name="beta.md"),
    text("utf-16-odd-length", b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8"),
    text("utf-16-be-lone-surrogate", b"\xfe\xff" + "ok".encode("utf-16-be") + b"\xdc\x00"),
    text("utf-8-bom-then-invalid-bytes", b"\xef\xbb\xbfCaf\xe9 au lait.\n"),
    text("fifo-in-place", None, subprocess=True),
    Case("text-folder-in-place", _folder_in_place),
    extracted("nul-bytes", b"Page one.\x00\x00\x01\x02 more.\n"),
    extracted("binary", bytes(range(256)) * 4),
    extracted("latin-1-bytes", b"Caf\xe9 au lait.\n"),
    extracted("empty", b""),
    extracted("form-feeds-only", b"\f\n\f\n"),
    Case("text-4mb-single-line-search", _one_long_line, subprocess=True),
]
