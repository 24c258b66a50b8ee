"""Bad `export -o` targets: the export's own inputs (under any spelling), things that are not
regular files, names the filesystem refuses, read-only files and missing folders."""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path

from corpus_model import SOURCES, Case, Expect, Workspace
from corpus_render import CSL, real_docx

Target = Callable[[Workspace], Path]


def output(case_id: str, target: Target, *, fmt: str = "md", extra: tuple[str, ...] = (),
           subprocess: bool = False, or_parent: bool = False) -> Case:
    """`export BRIEF --to FMT -o TARGET EXTRA`; the message names the target (or its folder)."""

    def build(ws: Workspace) -> Expect:
        path = target(ws)
        where = ((path, None),) + (((path.parent, None),) if or_parent else ())
        argv = ["export", str(ws.brief), "--to", fmt, "-o", str(path),
                *(a.replace("{root}", str(ws.root)) for a in extra)]
        return Expect(argv, where)

    return Case(f"output-{case_id}", build, subprocess)


def _with_original(ws: Workspace) -> Path:
    ws.write("lib/sources.yaml", SOURCES.replace("    file: alpha.txt\n",
                                                 "    file: alpha.txt\n    original: originals/alpha.html\n"))
    return ws.write("lib/originals/alpha.html", "<html><body><p>Original capture.</p></body></html>\n")


def _house_docx(ws: Workspace) -> Path:
    return ws.write("house.docx", real_docx())


def _house_template(ws: Workspace) -> Path:
    return ws.write("templates/house.md.j2", "## {{ brief.title }}\n{% for c in citations %}\n"
                    "{{ blockquote(c) }}\n{% endfor %}\n")


def _symlink_to_brief(ws: Workspace) -> Path:
    link = ws.root / "link.md"
    link.symlink_to(ws.brief.name)
    return link


def _hardlink_to_brief(ws: Workspace) -> Path:
    link = ws.root / "hard.md"
    os.link(ws.brief, link)
    return link


def _fifo(ws: Workspace) -> Path:
    path = ws.root / "pipe.md"
    os.mkfifo(path)
    return path


def _socket(ws: Workspace) -> Path:
    """A listening socket's file, made under a short name (socket paths are limited to ~108 bytes)."""
    short = Path(tempfile.mkdtemp(prefix="bk")) / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(short))
    path = ws.root / "sock.md"
    os.rename(short, path)
    short.parent.rmdir()
    return path


def _read_only(name: str) -> Target:
    def target(ws: Workspace) -> Path:
        path = ws.write(name, "An earlier export the analyst protected.\n")
        os.chmod(path, 0o444)
        return path

    return target


def _default_output_is_the_brief(ws: Workspace) -> Expect:
    """A brief named `b.md`: the default output beside it (`b.md`) is the brief itself."""
    brief = ws.root / "b.md"
    os.rename(ws.brief, brief)
    return Expect(["export", str(brief), "--to", "md"], ((brief, None),))


CASES: list[Case] = [
    # The export's own inputs
    output("the-brief-itself", lambda ws: ws.brief),
    output("the-brief-itself-as-docx", lambda ws: ws.brief, fmt="docx"),
    output("sources-yaml", lambda ws: ws.sources),
    output("sources-yaml-dotdot-spelling", lambda ws: ws.lib / ".." / "lib" / "sources.yaml"),
    output("a-source-text", lambda ws: ws.alpha),
    output("a-markdown-source", lambda ws: ws.beta),
    output("an-original", _with_original),
    output("the-reference-doc", _house_docx, fmt="docx", extra=("--reference-doc", "{root}/house.docx")),
    output("the-template", _house_template, extra=("--template", "house")),
    output("the-csl-style", lambda ws: ws.write("house.csl", CSL), extra=("--style", "{root}/house.csl")),
    output("a-symlink-to-the-brief", _symlink_to_brief),
    output("a-hard-link-to-the-brief", _hardlink_to_brief),
    Case("output-default-is-the-brief", _default_output_is_the_brief),
    # Not a regular file or a new path
    output("a-folder", lambda ws: ws.root),
    output("the-library-folder", lambda ws: ws.lib),
    output("a-fifo", _fifo, subprocess=True),
    output("a-socket", _socket),
    # Names and places the filesystem refuses
    output("a-300-character-name", lambda ws: ws.root / ("x" * 300 + ".md")),
    output("a-300-character-name-docx", lambda ws: ws.root / ("x" * 300 + ".docx"), fmt="docx"),
    output("in-a-missing-folder", lambda ws: ws.root / "missing" / "out.md", or_parent=True),
    output("below-a-file", lambda ws: ws.alpha / "out.md", or_parent=True),
    output("a-read-only-file", _read_only("out.md")),
    output("a-read-only-docx", _read_only("out.docx"), fmt="docx"),
]
