"""Bad inputs to an export: templates that do not parse or run away, reference documents that are
not Word files, and CSL styles that are not usable."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from corpus_model import ANY_LINE, BRIEF, Case, Expect, Line, Workspace, line_of

Setup = Callable[[Workspace], None]


def _export(ws: Workspace, fmt: str, *extra: str) -> list[str]:
    return ["export", str(ws.brief), "--to", fmt, "-o", str(ws.root / f"out.{fmt}"), *extra]


# Templates ---------------------------------------------------------------------------------------

HEADER = "{#- briefkit-template\ntitle: Bad\n-#}\n"


def template_file(case_id: str, data: str | bytes, at: str | Line, *, fmt: str = "md",
                  partials: dict[str, str] | None = None, subprocess: bool = False,
                  or_names: str = "") -> Case:
    """`templates/bad.md.j2` beside the brief holding `data`, exported with `--template bad`; the
    message names the template and the line of `at` (or `or_names`, another file in templates/)."""
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    line = line_of(text, at) if isinstance(at, str) else at

    def build(ws: Workspace) -> Expect:
        path = ws.write("templates/bad.md.j2", data)
        for name, partial in (partials or {}).items():
            ws.write(f"templates/{name}", partial)
        where: tuple[tuple[Path, Line], ...] = ((path, line),)
        if or_names:
            where += ((ws.templates / or_names, None),)
        return Expect(_export(ws, fmt, "--template", "bad"), where)

    return Case(f"template-{case_id}", build, subprocess)


def template(case_id: str, body: str, at: str | Line, *, partials: dict[str, str] | None = None,
             subprocess: bool = False) -> Case:
    """A template with a valid header and `body`."""
    return template_file(case_id, HEADER + body, at, partials=partials, subprocess=subprocess)


def brief_field(case_id: str, line_text: str, *extra: str) -> Case:
    """The brief names a template or style that cannot be found: the message names the brief and
    the line of that field."""
    text = BRIEF.replace("library: lib\n", f"library: lib\n{line_text}\n")

    def build(ws: Workspace) -> Expect:
        ws.write("b.brief.yaml", text)
        return Expect(_export(ws, "md", *extra), ((ws.brief, line_of(text, line_text)),))

    return Case(case_id, build)


TEMPLATES: list[Case] = [
    template("unclosed-for", "{% for p in positions %}\n{{ p.title }}\n", ANY_LINE),
    template("bad-expression", "## A\n{{ 1 + }}\n", "{{ 1 + }}"),
    template("unknown-filter", "## A\n{{ brief.title | shout }}\n", "shout"),
    template("unknown-test", "## A\n{% if brief is shouting %}x{% endif %}\n", "shouting"),
    template("unknown-tag", "## A\n{% frobnicate %}\n", "frobnicate"),
    template("undefined-variable", "## A\n{{ nope }}\n", "{{ nope }}"),
    template("undefined-attribute", "## A\n{{ brief.nope }}\n", "brief.nope"),
    template("undefined-call", "## A\n{{ nope() }}\n", "nope()"),
    template("zero-division", "## A\n{{ 1 / 0 }}\n", "1 / 0"),
    template("dunder-access", "## A\n{{ brief.__class__.__mro__ }}\n", "__class__"),
    template("format-string-escape", "## A\n{{ '{0.__class__.__init__.__globals__}'.format(brief) }}\n",
             "format(brief)"),
    template("cite-unknown-citation", "## A\n{{ cite('ghost') }}\n", "ghost"),
    template("missing-include", "## A\n{% include '_nope.md.j2' %}\n", "_nope"),
    template("include-absolute-path", "## A\n{% include '/etc/passwd' %}\n", "/etc/passwd"),
    template("include-dotdot-brief", "## A\n{% include '../b.brief.yaml' %}\n", "../b.brief"),
    template("extends-missing", "{% extends 'nope.md.j2' %}\n", "nope.md.j2"),
    template_file("header-invalid-yaml", "{#- briefkit-template\ntitle: [oops\n-#}\n## A\n", ANY_LINE),
    template_file("header-is-a-list", "{#- briefkit-template\n- a\n- b\n-#}\n## A\n", "- a"),
    template_file("header-sections-text", "{#- briefkit-template\nsections: summary\n-#}\n## A\n",
                  "sections:"),
    template_file("header-invalid-timestamp", "{#- briefkit-template\ntitle: 2021-13-45\n-#}\n## A\n",
                  "title:"),
    template_file("header-reference-docx-missing", "{#- briefkit-template\nreference-docx: house.docx\n-#}\n",
                  "reference-docx:", fmt="docx", or_names="house.docx"),
    template_file("binary", b"## A\n\x00\x01\x02" * 20, None),
    template_file("latin-1-bytes", b"## Caf\xe9\n", "## Caf"),
    brief_field("template-unknown-in-brief", "template: nope"),
    brief_field("template-path-in-brief", "template: ../../etc/passwd"),
    # Runaway work: each must stop with a message, within the limits
    template("huge-power", "## A\n{{ 10 ** 1000000000 }}\n", None, subprocess=True),
    template("huge-string-repeat", "## A\n{{ 'a' * 300000000 }}\n", None, subprocess=True),
    template("huge-range", "## A\n{% for i in range(10**9) %}x{% endfor %}\n", None, subprocess=True),
    template("nested-loops", "## A\n{% for i in range(100000) %}{% for j in range(100000) %}"
             "{% endfor %}{% endfor %}\n", None, subprocess=True),
    template("huge-center", "## A\n{{ 'x' | center(1000000000) }}\n", None, subprocess=True),
    template("huge-percent-width", "## A\n{{ '%0999999999d' % 1 }}\n", None, subprocess=True),
    template("huge-lipsum", "## A\n{{ lipsum(1000000) }}\n", None, subprocess=True),
    template("self-include", "## A\n{% include 'bad.md.j2' %}\n", None, subprocess=True),
    template("self-extends", "{% extends 'bad.md.j2' %}\n", None, subprocess=True),
    template("mutual-include", "## A\n{% include '_b.md.j2' %}\n", None,
             partials={"_b.md.j2": "{% include 'bad.md.j2' %}\n"}, subprocess=True),
    template("recursive-macro", "{% macro m() %}{{ m() }}{% endmacro %}\n## A\n{{ m() }}\n", None,
             subprocess=True),
]


# Reference documents ---------------------------------------------------------------------------

def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def real_docx() -> bytes:
    """A reference document as python-docx writes it (a producer other than briefkit's writer)."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def _docx_members(change: Callable[[dict[str, bytes]], None]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(real_docx())) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    change(members)
    return _zip(members)


_TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


def reference(case_id: str, make: Callable[[], bytes] | str) -> Case:
    """`--reference-doc house.docx` holding `make()`'s bytes (or "folder", "missing")."""

    def build(ws: Workspace) -> Expect:
        path = ws.root / "house.docx"
        if make == "folder":
            path.mkdir()
        elif callable(make):
            path.write_bytes(make())
        return Expect(_export(ws, "docx", "--reference-doc", str(path)), ((path, None),))

    return Case(f"refdoc-{case_id}", build)


REFERENCE_DOCS: list[Case] = [
    reference("not-a-zip", lambda: b"This is a plain text file, not a Word document.\n"),
    reference("empty-file", lambda: b""),
    reference("folder", "folder"),
    reference("missing", "missing"),
    reference("zip-without-document-xml", lambda: _zip({"hello.txt": b"hello"})),
    reference("zip-without-content-types",
              lambda: _docx_members(lambda m: m.pop("[Content_Types].xml"))),
    reference("document-xml-not-xml",
              lambda: _docx_members(lambda m: m.update({"word/document.xml": b"<w:document>not closed"}))),
    reference("word-template-dotx",
              lambda: _docx_members(lambda m: m.update({"[Content_Types].xml": m["[Content_Types].xml"].replace(
                  b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                  _TEMPLATE_TYPE)}))),
    reference("truncated-docx", lambda: real_docx()[: len(real_docx()) // 2]),
    reference("pdf-bytes", lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
]


# CSL styles ------------------------------------------------------------------------------------

CSL = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0" default-locale="en-US">
  <info>
    <title>Test notes</title>
    <id>http://example.org/test-notes</id>
    <updated>2026-01-01T00:00:00+00:00</updated>
  </info>
  <macro name="title">
    <text variable="title" font-style="italic"/>
  </macro>
  <citation>
    <layout suffix="." delimiter="; ">
      <text macro="title"/>
    </layout>
  </citation>
</style>
"""


def style(case_id: str, data: str | bytes | None, at: str | Line, *, subprocess: bool = False) -> Case:
    """`--style house.csl` holding `data` (None: a folder of that name); the message names the
    style and the line of `at`."""
    line = line_of(data, at) if isinstance(at, str) and isinstance(data, str) else at

    def build(ws: Workspace) -> Expect:
        path = ws.root / "house.csl"
        if data is None:
            path.mkdir()
        else:
            ws.write("house.csl", data)
        return Expect(_export(ws, "md", "--style", str(path)), ((path, line),))

    return Case(f"csl-{case_id}", build, subprocess)


def csl_edit(case_id: str, old: str, new: str, at: str | Line = "") -> Case:
    assert old in CSL, old
    text = CSL.replace(old, new, 1)
    return style(case_id, text, at if at != "" else new.strip().splitlines()[0])


def _missing_style(ws: Workspace) -> Expect:
    path = ws.root / "house.csl"
    return Expect(_export(ws, "md", "--style", str(path)), ((path, None),))


STYLES: list[Case] = [
    style("not-xml", "this is not XML at all\n", ANY_LINE),
    style("empty-file", "", None),
    style("truncated-xml", CSL[: len(CSL) // 2], ANY_LINE),
    style("wrong-root", '<?xml version="1.0"?>\n<bibliography xmlns="http://purl.org/net/xbiblio/csl"/>\n',
          ANY_LINE),
    style("html-file", "<!doctype html>\n<html><body><p>not a style</p></body></html>\n", ANY_LINE),
    csl_edit("no-citation", CSL[CSL.index("  <citation>"):CSL.index("</style>")], "", ANY_LINE),
    csl_edit("citation-without-layout", '    <layout suffix="." delimiter="; ">\n      <text macro="title"/>\n'
             "    </layout>\n", "", ANY_LINE),
    csl_edit("near-note-distance-not-a-number", "  <citation>", '  <citation near-note-distance="abc">'),
    csl_edit("et-al-min-not-a-number", "  <citation>", '  <citation et-al-min="abc" et-al-use-first="1">'),
    csl_edit("missing-macro", '<text macro="title"/>', '<text macro="nope"/>'),
    csl_edit("unknown-element", '<text macro="title"/>', '<text macro="title"/>\n      <sparkle/>', "<sparkle/>"),
    csl_edit("recursive-macro", '<text variable="title" font-style="italic"/>', '<text macro="title"/>',
             ANY_LINE),
    csl_edit("dependent-style-file", CSL[CSL.index("  <macro"):CSL.index("</style>")],
             '  <link rel="independent-parent" href="http://www.zotero.org/styles/nope"/>\n', ANY_LINE),
    style("binary", b"\x00\x01\x02\x03" * 50, None),
    style("utf-16-without-declaration", "<style/>".encode("utf-16-le"), None),
    style("folder", None, None),
    Case("csl-missing-file", _missing_style),
    brief_field("csl-unknown-in-brief", "style: chicago-notes-bibliograph"),
    brief_field("csl-file-missing-in-brief", "style: house.csl"),
]

CASES: list[Case] = [*TEMPLATES, *REFERENCE_DOCS, *STYLES]
