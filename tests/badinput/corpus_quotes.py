"""Bad `briefkit cite` requests: quotes the source does not hold exactly once, ranges outside it,
ids the loader would refuse, and briefs that cannot be written."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from corpus_model import ANY_LINE, Case, Expect, Line, Workspace

Setup = Callable[[Workspace], None]


def cite(case_id: str, *args: str, source: str = "alpha", position: str = "talks",
         setup: Setup | None = None, names_sources: bool = False, option: str = "") -> Case:
    """`cite BRIEF --position P --source S ARGS`; the message names the brief or the source text
    (or `sources.yaml`, for an unknown source), or else the command-line `option` at fault."""

    def build(ws: Workspace) -> Expect:
        if setup is not None:
            setup(ws)
        text = ws.beta if source == "beta" else ws.alpha
        where: tuple[tuple[Path | str, Line], ...] = ((ws.brief, None), (text, None))
        if names_sources:
            where += ((ws.sources, None),)
        if option:
            where += ((option, None),)
        return Expect(["cite", str(ws.brief), "--position", position, "--source", source, *args], where)

    return Case(f"cite-{case_id}", build)


def _read_only(ws: Workspace) -> None:
    os.chmod(ws.brief, 0o444)


def _broken_brief(ws: Workspace) -> None:
    ws.write("b.brief.yaml", "briefkit: 1\ntitle: [oops\n")


def _missing_library(ws: Workspace) -> None:
    ws.write("b.brief.yaml", ws.brief.read_text(encoding="utf-8").replace("library: lib", "library: gone"))


def _binary_source(ws: Workspace) -> None:
    ws.alpha.write_bytes(bytes(range(256)) * 4)


def _missing_brief(ws: Workspace) -> Expect:
    ws.brief.unlink()
    return Expect(["cite", str(ws.brief), "--position", "talks", "--create-position", "--source", "alpha",
                   "--quote", "Sanctions were eased"], ((ws.brief, None),))


def _broken_brief_line(ws: Workspace) -> Expect:
    _broken_brief(ws)
    return Expect(["cite", str(ws.brief), "--position", "talks", "--source", "alpha", "--quote",
                   "Sanctions were eased"], ((ws.brief, ANY_LINE),))


QUOTE = ("--quote", "The talks resumed in Mexico City")

CASES: list[Case] = [
    # Quotes the source does not hold exactly once
    cite("quote-not-in-source", "--quote", "Sanctions always work"),
    cite("quote-ambiguous", "--quote", "Pressure works only when it is credible", source="beta"),
    cite("quote-empty", "--quote", ""),
    cite("quote-whitespace-only", "--quote", "  \t "),
    cite("quote-differs-in-case", "--quote", "sanctions were eased in stages"),
    cite("quote-with-control-char", "--quote", "Sanctions\x07 were eased"),
    cite("quote-longer-than-source", "--quote", "The delegations met in Oslo " * 40),
    # Ranges
    cite("range-beyond-end", "--start", "10", "--end", "99999999"),
    cite("range-beyond-int64", "--start", "0", "--end", str(10**30)),
    cite("range-negative-start", "--start", "-5", "--end", "10"),
    cite("range-end-before-start", "--start", "20", "--end", "10"),
    cite("range-empty", "--start", "5", "--end", "5"),
    cite("range-start-only", "--start", "5", option="--end"),
    cite("neither-quote-nor-range", option="--quote"),
    # Ids the loader would refuse
    cite("id-bad", *QUOTE, "--id", "bad id!", option="--id"),
    cite("id-trailing-dot", *QUOTE, "--id", "alpha-2.", option="--id"),
    cite("id-with-slash", *QUOTE, "--id", "../x", option="--id"),
    cite("id-with-newline", *QUOTE, "--id", "a\nb", option="--id"),
    cite("id-with-form-feed", *QUOTE, "--id", "a\x0cb", option="--id"),
    cite("id-with-line-separator", *QUOTE, "--id", "a\u2028b", option="--id"),
    cite("id-already-used", *QUOTE, "--id", "alpha-1", option="--id"),
    cite("position-bad", *QUOTE, "--create-position", position="bad pos/..", option="--position"),
    cite("position-empty", *QUOTE, "--create-position", position="", option="--position"),
    cite("position-with-space", *QUOTE, "--create-position", position="a b", option="--position"),
    cite("position-trailing-colon", *QUOTE, "--create-position", position="p:", option="--position"),
    cite("position-unknown", *QUOTE, position="nope", option="--position"),
    cite("source-unknown", *QUOTE, source="gamma", names_sources=True),
    cite("source-empty", *QUOTE, source="", names_sources=True),
    # Briefs and sources that cannot be used
    cite("brief-read-only", *QUOTE, setup=_read_only),
    cite("brief-library-missing", *QUOTE, setup=_missing_library),
    cite("source-text-binary", *QUOTE, setup=_binary_source),
    Case("cite-brief-missing", _missing_brief),
    Case("cite-brief-invalid", _broken_brief_line),
]
