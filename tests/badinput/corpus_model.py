"""The shape of a bad-input case: a workspace to spoil, the command to run, and where the message
must point.

Every case starts from the same small, valid workspace (a library of two sources and a brief that
checks and exports cleanly), changes one thing, and names the command that must refuse it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# The workspace every case starts from. Offsets in BRIEF point at ALPHA and BETA exactly.
ALPHA = """The delegations met in Oslo in May to discuss a framework for talks.

Sanctions were eased in stages, each step tied to a verifiable electoral reform.

The talks resumed in Mexico City in August and were suspended in October.
"""

BETA = """# Notes on leverage

Pressure works only when it is credible. Pressure works only when it is credible.

Relief offered early signals weakness to the other side.
"""

SOURCES = """# Test library
sources:
  - id: alpha
    file: alpha.txt
    type: report
    title: Talks in Oslo
    author:
      - family: Smilde
        given: David
    issued:
      date-parts: [[2021, 8, 6]]
  - id: beta
    file: beta.md
    type: webpage
    title: Notes on leverage
"""

BRIEF = """briefkit: 1
title: Test brief
date: '2026-12-03'
library: lib
sections:
  summary: Talks matter [@alpha-1].
positions:
  - id: talks
    title: Talks
    citations:
      - id: alpha-1
        source: alpha
        stance: supports
        quote: Sanctions were eased in stages
        prefix: "discuss a framework for talks.\\n\\n"
        suffix: ', each step tied to a verifiable'
        start: 70
        end: 100
      - id: beta-relief
        source: beta
        stance: opposes
        quote: Relief offered early signals weakness
        prefix: "orks only when it is credible.\\n\\n"
        suffix: ' to the other side.'
        start: 102
        end: 139
"""


class AnyLine:
    """The message must give a line in the named file, whichever it is (syntax errors are found
    where the parser gives up, which is the parser's business)."""

    def __repr__(self) -> str:
        return "ANY_LINE"


ANY_LINE = AnyLine()
Line = int | AnyLine | None


class Workspace:
    """One case's folder: `lib/` (sources.yaml, alpha.txt, beta.md) and `b.brief.yaml` beside it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lib = root / "lib"
        self.brief = root / "b.brief.yaml"
        self.sources = self.lib / "sources.yaml"
        self.alpha = self.lib / "alpha.txt"
        self.beta = self.lib / "beta.md"
        self.templates = root / "templates"

    def populate(self) -> None:
        self.lib.mkdir(parents=True)
        self.write("lib/alpha.txt", ALPHA)
        self.write("lib/beta.md", BETA)
        self.write("lib/sources.yaml", SOURCES)
        self.write("b.brief.yaml", BRIEF)

    def write(self, rel: str, data: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path


def replace_with(path: Path, kind: str) -> None:
    """Put what is not a regular file where `path` was: nothing ("missing"), a "folder", a
    symlink to itself ("loop") or a "fifo" (which blocks whoever opens it to read)."""
    path.unlink()
    if kind == "folder":
        path.mkdir()
    elif kind == "loop":
        path.symlink_to(path.name)
    elif kind == "fifo":
        os.mkfifo(path)


CACHE_LIMIT = 1 << 20  # bytes a case may leave in caches (the 394-byte alias bomb once wrote 39 MB)


@dataclass(frozen=True)
class Expect:
    """What running `argv` must give: `status`, and (for status 2) one message naming one of the
    `where` places: a file, with the line where one is given, or (text) a command-line option.
    `cache_limit` bounds what the run may leave in caches (None: a real index is expected)."""

    argv: list[str]
    where: tuple[tuple[Path | str, Line], ...]
    status: int = 2
    cache_limit: int | None = CACHE_LIMIT


@dataclass(frozen=True)
class Case:
    """`build` spoils a fresh workspace and returns what to run; `subprocess` cases are the ones
    where runaway work (or a blocking read) is the point, run in a child with a timeout."""

    id: str
    build: Callable[[Workspace], Expect]
    subprocess: bool = False


def line_of(text: str, at: str) -> int:
    """1-based number of the first line of `text` containing `at` (how cases name lines)."""
    index = text.index(at)
    return text.count("\n", 0, index) + 1
