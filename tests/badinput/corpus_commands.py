"""Bad input to the other commands that read or write files: metadata imports, `new`,
`templates copy` and `search` options. An import reports a bad file and goes on (status 1)."""

from __future__ import annotations

import os
from collections.abc import Callable

from corpus_model import ANY_LINE, Case, Expect, Line, Workspace


def command(case_id: str, build: Callable[[Workspace], Expect], *, subprocess: bool = False) -> Case:
    """`subprocess`: where only a real process shows the output (pytest captures log records)."""
    return Case(f"command-{case_id}", build, subprocess)


def _import(kind: str, name: str, data: str | bytes, line: Line = None) -> Callable[[Workspace], Expect]:
    def build(ws: Workspace) -> Expect:
        path = ws.write(name, data)
        return Expect(["sources", kind, str(path), "--library", str(ws.lib)], ((path, line),), status=1)

    return build


def _new(name: str, *extra: str) -> Callable[[Workspace], Expect]:
    """`new PATH EXTRA`: the message names the path, its folder, or the option in EXTRA."""

    def build(ws: Workspace) -> Expect:
        path = ws.root / name
        option = ((extra[0], None),) if extra else ()
        return Expect(["new", str(path), "--library", str(ws.lib), "--no-open", *extra],
                      ((path, None), (path.parent, None), *option))

    return build


def _copy_into_a_file(ws: Workspace) -> Expect:
    """DEST not ending in .md.j2 is a folder to copy into; here it is a file."""
    return Expect(["templates", "copy", "options-memo", str(ws.alpha)], ((ws.alpha, None),))


def _copy_over_a_template(ws: Workspace) -> Expect:
    path = ws.write("templates/mine.md.j2", "## Mine\n")
    return Expect(["templates", "copy", "options-memo", str(path)], ((path, None),))


def _search_limit(limit: str) -> Callable[[Workspace], Expect]:
    def build(ws: Workspace) -> Expect:
        return Expect(["search", "talks", "--limit", limit, "--library", str(ws.lib)],
                      (("--limit", None),))

    return build


def _brief_command(name: str, data: str) -> Callable[[Workspace], Expect]:
    """`NAME BRIEF` on a brief that does not load: the message comes before anything starts."""

    def build(ws: Workspace) -> Expect:
        ws.write("b.brief.yaml", data)
        return Expect([name, str(ws.brief)], ((ws.brief, ANY_LINE),))

    return build


def _edit_read_only_sources(ws: Workspace) -> Expect:
    os.chmod(ws.sources, 0o444)
    return Expect(["sources", "edit", "alpha", "--title", "New", "--library", str(ws.lib)],
                  ((ws.sources, None),))


def _fix_read_only_brief(ws: Workspace) -> Expect:
    """A quote that moved (a paragraph added before it), so `check --fix` has offsets to save."""
    ws.alpha.write_text("A new first paragraph.\n\n" + ws.alpha.read_text(encoding="utf-8"), encoding="utf-8")
    os.chmod(ws.brief, 0o444)
    return Expect(["check", str(ws.brief), "--fix"], ((ws.brief, None),))


CASES: list[Case] = [
    # `open` runs in a child: were the brief accepted, the terminal UI would start
    command("open-invalid-yaml", _brief_command("open", "briefkit: 1\ntitle: [oops\n"), subprocess=True),
    command("open-invalid-date", _brief_command("open", "briefkit: 1\ntitle: T\ndate: 2026-13-45\n"),
            subprocess=True),
    command("summary-invalid-date", _brief_command("summary", "briefkit: 1\ntitle: T\ndate: 2026-13-45\n")),
    command("import-csl-not-json", _import("import-csl", "items.json", "[{\n", ANY_LINE)),
    command("import-csl-not-a-list", _import("import-csl", "items.json", '"just text"\n')),
    command("import-csl-list-of-numbers", _import("import-csl", "items.json", "[1, 2]\n")),
    command("import-csl-nested-100000-deep",
            _import("import-csl", "items.json", "[" * 100000 + "]" * 100000 + "\n")),
    command("import-csl-binary", _import("import-csl", "items.json", b"\x00\xff" * 10)),
    command("import-bib-unclosed-entry",
            _import("import-bib", "refs.bib", "@article{x, title = {unclosed\n", ANY_LINE), subprocess=True),
    command("import-bib-binary", _import("import-bib", "refs.bib", b"\x00\x01\xff")),
    command("new-300-character-name", _new("x" * 300 + ".brief.yaml")),
    command("new-in-a-missing-folder", _new("missing/x.brief.yaml")),
    command("new-unknown-template", _new("x.brief.yaml", "--template", "nope")),
    command("templates-copy-into-a-file", _copy_into_a_file),
    command("templates-copy-over-a-template", _copy_over_a_template),
    command("search-limit-beyond-int64", _search_limit(str(10**30))),
    command("sources-edit-read-only-sources-yaml", _edit_read_only_sources),
    command("check-fix-read-only-brief", _fix_read_only_brief),
]
