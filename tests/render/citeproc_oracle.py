"""The citation corpus and its oracle: `pandoc --citeproc` run on the same CSL-JSON and .csl file.

`citeproc_corpus/items.json` holds the sources (the types a policy brief cites), `corpus_notes()`
the citations made of them in reading order (first, short, ibid, near and far repeats, several
sources in one citation), and `citeproc_corpus/STYLE.json` what pandoc printed for them: one text
per citation (the footnote, or the in-text citation of an author-date style) and one per
bibliography entry, in the compact notation `md` below. `python bench/bench_citeproc.py --record`
writes those fixtures where pandoc is installed; the tests read them, so CI needs no pandoc.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from briefkit.render.csl import CiteItem, NoteFormatter
from briefkit.render.document import Emph, Inline, Link, SmallCaps, Strong, Text

CORPUS = Path(__file__).resolve().parent / "citeproc_corpus"
STYLES = (
    "chicago-notes-bibliography",
    "chicago-notes-bibliography-17th-edition",
    "chicago-notes-bibliography-subsequent-ibid",
    "mhra-notes",
    "modern-language-association-notes",
    "oscola",
    "apa",
)
PAGED_TYPES = frozenset({
    "book", "chapter", "article-journal", "legislation", "legal_case", "paper-conference",
    "thesis", "article-magazine", "bill", "hearing", "entry-encyclopedia",
})
_LABELS = {"paragraph": "para.", "page": "p."}


def corpus_items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads((CORPUS / "items.json").read_text(encoding="utf-8"))
    return items


def _cite(item: dict[str, Any], locator: str | None) -> CiteItem:
    label = "page" if item["type"] in PAGED_TYPES else "paragraph"
    return CiteItem(item["id"], locator, label if locator else None)


def corpus_notes() -> list[list[CiteItem]]:
    """Every source first with a locator, then again (a range, or none), then ibid runs, repeats
    far from the first note, and several sources in one citation in an order no style sorts by."""
    items = corpus_items()
    by_id = {item["id"]: item for item in items}
    notes = [[_cite(item, "3")] for item in items]
    for index, item in enumerate(items):
        paged = item["type"] in PAGED_TYPES
        notes.append([_cite(item, ("101-108" if paged else "5-6") if index % 2 else None)])

    def c(sid: str, locator: str | None = None) -> CiteItem:
        return _cite(by_id[sid], locator)

    notes += [
        [c("nyt-smilde", "4")], [c("nyt-smilde", "4")], [c("nyt-smilde", "5")], [c("nyt-smilde")],
        [c("nyt-smilde", "7")],
        [c("book-corrales", "2"), c("book-corrales", "9")],
        [c("journal-same-b", "3"), c("nyt-smilde")],
        [c("journal-same-a", "201"), c("journal-same-b", "5")],
        [c("book-ruiz-eds", "12")], [c("book-ruiz-eds")],
        [c("hearing-noauthor", "8")], [c("case-uk", "14")], [c("case-uk", "15")],
        [c("thesis-phd", "1321-1328"), c("book-corrales", "1496-1504")],
        [c("wola-page"), c("crs-venezuela", "2"), c("book-particle", "7")],
        [c("journal-many", "1041"), c("journal-doi")],
    ]
    return notes


def cite_markdown(cites: Sequence[CiteItem]) -> str:
    return "; ".join(
        f"@{c.source_id}" + (f", {_LABELS[c.label or 'page']} {c.locator}" if c.locator else "")
        for c in cites
    )


def run_pandoc(items: list[dict[str, Any]], notes: list[list[CiteItem]], style: Path,
               folder: Path) -> dict[str, list[str]]:
    """pandoc's text for each citation and each bibliography entry, in `md` notation."""
    (folder / "items.json").write_text(json.dumps(items), encoding="utf-8")
    body = "\n".join(f"Claim {i}[{cite_markdown(note)}]\n" for i, note in enumerate(notes))
    document = folder / "notes.md"
    document.write_text(f"---\nbibliography: {folder / 'items.json'}\ncsl: {style}\n---\n\n{body}",
                        encoding="utf-8")
    result = subprocess.run(["pandoc", "--citeproc", "-t", "json", str(document)],
                            capture_output=True, text=True, check=True)
    cites: list[str] = []
    entries: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Cite":
                notes_inside: list[str] = []
                _collect_notes(node["c"][1], notes_inside)
                cites.append(notes_inside[0] if notes_inside else pandoc_md(node["c"][1]))
                return
            if node.get("t") == "Div" and node["c"][0][0].startswith("ref-"):
                # a source the style leaves out of its bibliography is an empty entry here
                entry = " ".join(pandoc_md(b["c"]) for b in node["c"][1])
                if entry:
                    entries.append(entry)
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(result.stdout)["blocks"])
    return {"notes": cites, "bibliography": entries}


def _collect_notes(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        if node.get("t") == "Note":
            out.append(pandoc_md(node["c"][0]["c"]))
            return
        for value in node.values():
            _collect_notes(value, out)
    elif isinstance(node, list):
        for value in node:
            _collect_notes(value, out)


def pandoc_md(inlines: list[dict[str, Any]]) -> str:
    out = []
    for node in inlines:
        kind: str = node["t"]
        content: Any = node.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind == "Emph":
            out.append(f"*{pandoc_md(content)}*")
        elif kind == "Strong":
            out.append(f"**{pandoc_md(content)}**")
        elif kind == "SmallCaps":
            out.append(f"[{pandoc_md(content)}]{{.smallcaps}}")
        elif kind == "Span":
            classes = content[0][1]
            inner = pandoc_md(content[1])
            out.append(f"[{inner}]{{.smallcaps}}" if "smallcaps" in classes else inner)
        elif kind == "Cite":
            out.append(pandoc_md(content[1]))
        elif kind == "Link":
            text, url = pandoc_md(content[1]), content[2][0]
            out.append(f"<{url}>" if text == url else f"[{text}]({url})")
        elif kind == "Quoted":
            marks = "“”" if content[0]["t"] == "DoubleQuote" else "‘’"
            out.append(marks[0] + pandoc_md(content[1]) + marks[1])
        elif kind in ("Superscript", "Subscript"):
            out.append(pandoc_md(content))
        else:
            raise AssertionError(f"unexpected pandoc inline {kind}")
    return "".join(out)


def md(nodes: Sequence[Inline]) -> str:
    """briefkit's inline nodes in the same notation as `pandoc_md`."""
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Emph):
            out.append(f"*{md(node.children)}*")
        elif isinstance(node, Strong):
            out.append(f"**{md(node.children)}**")
        elif isinstance(node, SmallCaps):
            out.append(f"[{md(node.children)}]{{.smallcaps}}")
        elif isinstance(node, Link):
            text = md(node.children)
            out.append(f"<{node.url}>" if text == node.url else f"[{text}]({node.url})")
        else:
            raise TypeError(f"unexpected node in a citation: {node!r}")
    return "".join(out)


@cache
def briefkit_output(style: str) -> dict[str, list[str]]:
    """briefkit's text for each citation of the corpus and each bibliography entry (made once
    per style and process; do not change it)."""
    items = {item["id"]: item for item in corpus_items()}
    formatter = NoteFormatter(items, style)
    notes = [md(note) for note in formatter.format_notes(corpus_notes())]
    entries = [md(entry) for entry in formatter.format_bibliography(list(items))]
    return {"notes": notes, "bibliography": entries}


def _expand_ranges(text: str) -> str:
    def expand(match: re.Match[str]) -> str:
        first, last = match.group(1), match.group(2)
        if len(last) < len(first):
            last = first[: len(first) - len(last)] + last
        return f"{first}–{last}"

    return re.sub(r"(\d+)[–-](\d+)", expand, text)


# What pandoc 2.17 prints differently where it is the one that is wrong, each as a rewrite of
# briefkit's text into pandoc's; a difference these explain is pandoc's, any other is briefkit's.
PANDOC_2_17: list[tuple[str, Any]] = [
    ("formats no page-range locator and knows no chicago-16 page ranges (CSL 1.0.2)",
     _expand_ranges),
    ("its locale lacks the newer terms 'no.', 'Hearing on', 'testimony of', 'on', 'with'",
     lambda t: re.sub(r"\b(?:[Nn]os?\.? (?=[A-Z0-9])|Hearing on |testimony of |(?<=, )on "
                      r"|(?<=[Ii]nterview )with (?![^‘“]*[’”]))", "", t)),  # not a title's "with"
    ("labels a page range 'p.' in MHRA (CSL: plural for a range)",
     lambda t: re.sub(r"\bpp\. (?=\d+–\d+)", "p. ", t)),
    ("knows no CSL 1.0.2 event-title (prints only the place)",
     lambda t: re.sub(r"\((?:Lima Group Meeting|Mexico Negotiations), ", "(", t)),
    ("its locale abbreviates June, July and September as 'Jun.', 'Jul.', 'Sep.'",
     lambda t: re.sub(r"\b(June|July|Sept\.)(?= \d)",
                      lambda m: {"June": "Jun.", "July": "Jul.", "Sept.": "Sep."}[m.group(1)], t)),
    ("uses en-US short terms in en-GB styles (MHRA, OSCOLA: 'edn', 'eds', 'dirs')",
     lambda t: t.replace("edn", "ed.").replace("(eds)", "(eds.)").replace("(dirs)", "(dirs.)")),
    (("its locale lacks the CSL 1.0.2 terms 'personal-communication', 'number-of-volumes' and the "
      "type terms ('dataset', 'map', 'motion_picture'), and has 'tran.' for one translator (now "
      "'trans.'); a style with these terms tried in pandoc 2.17.1.1 prints nothing, and 'tran.'"),
     lambda t: re.sub(r", personal communication(?=,)| \[(?:Dataset|Map|Video recording)\]"
                      r"|\bVols\. (?=1–)|(?<=\d) vols\b", "", t).replace("Trans.)", "Tran.)")),
    (("takes a cite without a locator for a page locator (`locator=\"page\"` holds; CSL 1.0.2 "
      "tests the locator's type, and there is none): Chicago's short note prints a lone volume "
      "'8' for 'vol. 8'"), lambda t: re.sub(r", vol\. (\w+)\.$", r", \1.", t)),
]

# Where pandoc 2.17 orders the bibliography wrongly, per style: why, and which entries (by their
# source's type) it moves ahead of which others.
PANDOC_2_17_ORDER: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {
    "oscola": (("files an empty sort key first, not last (CSL 1.0.2, Sorting: 'Items with an "
                "empty sort key value are placed at the end'): OSCOLA's author-bib key is empty "
                "for cases and legislation, which pandoc puts before the bills, hearings and "
                "treaties"),
               frozenset({"legal_case", "legislation"}),
               frozenset({"bill", "hearing", "regulation", "treaty"})),
}


def pandoc_order(style: str, entries: list[str]) -> list[str]:
    """briefkit's bibliography entries in the order pandoc 2.17 gives them (PANDOC_2_17_ORDER):
    the entries of the moved types go, in their order, before the first of the others."""
    if style not in PANDOC_2_17_ORDER:
        return entries
    _, moved, ahead_of = PANDOC_2_17_ORDER[style]
    items = corpus_items()
    formatter = NoteFormatter({item["id"]: item for item in items}, style)
    types = {md(entry): item["type"]
             for item in items for entry in formatter.format_bibliography([item["id"]])}
    movers = [e for e in entries if types.get(e) in moved]
    rest = [e for e in entries if types.get(e) not in moved]
    at = next((i for i, e in enumerate(rest) if types.get(e) in ahead_of), len(rest))
    return rest[:at] + movers + rest[at:]


def pandoc_reasons(ours: str, theirs: str) -> list[str] | None:
    """The pandoc shortcomings that turn `ours` into `theirs`, or None if they do not."""
    for size in range(1, len(PANDOC_2_17) + 1):
        for combo in itertools.combinations(PANDOC_2_17, size):
            text = ours
            for _, rewrite in combo:
                text = rewrite(text)
            if text == theirs or text.replace("ed.", "ed") == theirs:  # OSCOLA drops the stop
                return [reason for reason, _ in combo]
    return None
