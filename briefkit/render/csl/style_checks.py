"""A CSL style checked before citeproc-py runs it: citeproc-py trusts the file, so an unknown
element, a missing or self-calling macro, or `near-note-distance="abc"` surfaced as a traceback
in the middle of an export. Each problem here is one message naming the .csl file and line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from briefkit.errors import BriefkitError

CSL_NS = "http://purl.org/net/xbiblio/csl"

# CSL 1.0.2 elements outside cs:info (whose children are free-form metadata).
ELEMENTS = frozenset({
    "style", "locale", "style-options", "date", "date-part", "terms", "term", "single", "multiple",
    "citation", "bibliography", "macro", "layout", "sort", "key", "text", "number", "label", "names",
    "name", "name-part", "et-al", "substitute", "group", "choose", "if", "else-if", "else", "info",
})
# Attributes CSL 1.0.2 defines as non-negative integers (citeproc-py calls int() on them).
INTEGER_ATTRIBUTES = frozenset({
    "near-note-distance", "et-al-min", "et-al-use-first", "et-al-subsequent-min",
    "et-al-subsequent-use-first", "line-spacing", "entry-spacing", "names-min", "names-use-first",
})
# What each rendering element needs to know what to print (CSL 1.0.2, "Rendering Elements").
NEEDS_ONE_OF = {
    "text": ("variable", "macro", "term", "value"),
    "number": ("variable",),
    "label": ("variable",),
    "names": ("variable",),
    "key": ("variable", "macro"),
    "date": ("variable",),  # except the date formats a cs:locale defines
}
# The `form` values each element accepts; citeproc-py fails on any other.
FORMS = {
    "date": {"text", "numeric"},
    "name": {"long", "short", "count"},
    "text": {"long", "short", "symbol", "verb", "verb-short"},
    "label": {"long", "short", "symbol", "verb", "verb-short"},
    "number": {"numeric", "ordinal", "long-ordinal", "roman"},
}


def check_style(root: Any, path: Path) -> None:
    """Raise BriefkitError naming `path` and the line of the first thing citeproc-py cannot run."""
    if root.tag != f"{{{CSL_NS}}}style":
        raise BriefkitError(f"not a CSL style: the root element is <{_local(root.tag)}>, not <style>",
                            path=path, line=root.sourceline)
    macros: dict[str, Any] = {}
    for element in _elements(root):
        tag = _local(element.tag)
        if not element.tag.startswith(f"{{{CSL_NS}}}") or tag not in ELEMENTS:
            raise BriefkitError(f"unknown CSL element <{tag}>", path=path, line=element.sourceline)
        for name in INTEGER_ATTRIBUTES.intersection(element.attrib):
            if not element.get(name).strip().isdigit():
                raise BriefkitError(f"{name}=\"{element.get(name)}\" must be a whole number", path=path,
                                    line=element.sourceline, field=f"<{tag}>")
        needs = NEEDS_ONE_OF.get(tag)
        parent = _local(element.getparent().tag) if element.getparent() is not None else ""
        implied = (tag, parent) in {("label", "names"), ("date", "locale")}  # the names' variable; a format
        if needs and not implied and all(element.get(a) is None for a in needs):
            raise BriefkitError(f"<{tag}> needs a {' or '.join(needs)} attribute", path=path,
                                line=element.sourceline)
        form = element.get("form")
        if form is not None and tag in FORMS and form not in FORMS[tag]:
            raise BriefkitError(f"form=\"{form}\" is not one of {', '.join(sorted(FORMS[tag]))}", path=path,
                                line=element.sourceline, field=f"<{tag}>")
        if tag == "macro":
            if not element.get("name"):
                raise BriefkitError("<macro> has no name", path=path, line=element.sourceline)
            macros[element.get("name")] = element
    for element in _elements(root):
        name = element.get("macro")
        if name is not None and name not in macros:
            raise BriefkitError(f"unknown macro '{name}'", path=path, line=element.sourceline,
                                field=f"<{_local(element.tag)}>")
    _check_no_cycles(macros, path)


def _elements(root: Any) -> Iterator[Any]:
    """Every element except comments, processing instructions and what cs:info holds."""
    stack = [root]
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        yield element
        if element.tag != f"{{{CSL_NS}}}info":
            stack.extend(reversed(element))


def _check_no_cycles(macros: dict[str, Any], path: Path) -> None:
    """A macro that calls itself, directly or through others, would recurse without end."""
    calls = {
        name: [(e.get("macro"), e.sourceline) for e in macro.iter() if e.get("macro") is not None]
        for name, macro in macros.items()
    }
    done: set[str] = set()
    for start in calls:
        if start in done:
            continue
        trail: list[str] = []
        stack: list[tuple[str, Iterator[tuple[str, int]]]] = [(start, iter(calls[start]))]
        on_trail = {start}
        trail.append(start)
        while stack:
            name, pending = stack[-1]
            step = next(pending, None)
            if step is None:
                stack.pop()
                on_trail.discard(trail.pop())
                done.add(name)
                continue
            callee, line = step
            if callee in on_trail:
                cycle = " -> ".join([*trail[trail.index(callee):], callee])
                raise BriefkitError(f"macro '{callee}' calls itself ({cycle})", path=path, line=line)
            if callee not in done:
                stack.append((callee, iter(calls[callee])))
                on_trail.add(callee)
                trail.append(callee)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]
