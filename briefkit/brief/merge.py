"""Three-way merge of briefs by element, so a save never drops what someone else wrote meanwhile.

`base` is the brief as this editor last read or wrote it, `mine` the editor's brief now, `theirs`
the file on disk now. Each element merges on its own: a metadata field, a section by name, a
position's title, holder and summary by position id, and a citation's place, anchor, stance and
note by citation id (a citation may move between positions), and a review entry's fields by its
id (replies are a set: both sides' new replies are kept, one either side removed goes). An element only one side changed
takes that side's value; one both sides changed alike is taken once; one both changed
differently (or one side deleted while the other changed it) is a `Conflict`, settled by
`choices` ("mine" or "theirs" per conflict key) and otherwise left unresolved for the analyst.
A citation both sides added under the same id with different content keeps both: mine is
renamed, and mine's prose references to it with it. Order follows mine unless only theirs
reordered; an element one side added goes before its successor on that side, or last.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from briefkit.brief.model import CITATION, META_FIELDS, Brief, Citation, Position, Reply, ReviewItem

__all__ = ["BRIEF_FIELDS", "Conflict", "Merge", "merge_briefs"]

BRIEF_FIELDS = ("id", *META_FIELDS, "template", "style", "library")
_POSITION_FIELDS = ("title", "holder", "summary")
_REVIEW_FIELDS = ("kind", "author", "date", "element", "quoted", "text", "status")
_GONE = object()  # an element absent on one side


@dataclass(frozen=True, slots=True)
class Conflict:
    """One element both sides changed differently; `mine`/`theirs` describe each side's value."""

    key: str
    label: str
    mine: str
    theirs: str


@dataclass(slots=True)
class Merge:
    """The merged brief (built on theirs, so its file's comments and layout stay) and what it took."""

    brief: Brief
    theirs: Brief  # the other side, as it was given
    taken: list[str] = field(default_factory=list)  # changes taken from theirs, as phrases
    taken_keys: list[str] = field(default_factory=list)  # the keys of those elements
    conflicts: list[Conflict] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # mine's citation ids given new ones
    choices: Mapping[str, str] = field(default_factory=dict)

    def from_theirs(self) -> list[str]:
        """The keys of every element whose value came from theirs, chosen or not contested."""
        return self.taken_keys + [c.key for c in self.conflicts if self.choices.get(c.key) == "theirs"]

    @property
    def unresolved(self) -> list[Conflict]:
        return [c for c in self.conflicts if self.choices.get(c.key) not in ("mine", "theirs")]


def merge_briefs(base: Brief, mine: Brief, theirs: Brief,
                 choices: Mapping[str, str] | None = None) -> Merge:
    """Merge `mine` and `theirs`, both changed from `base`; `theirs` itself is left as it was.

    An unresolved conflict takes theirs' value in `Merge.brief`: save it only when
    `Merge.unresolved` is empty.
    """
    mine, renamed = _rename_collisions(base, mine, theirs)
    result = replace(theirs, positions=[], sections={}, document=None)
    merge = Merge(result, theirs, renamed=renamed, choices=dict(choices or {}))
    pick = _Picker(merge)
    for name in BRIEF_FIELDS:
        value = pick(name, name, getattr(base, name), getattr(mine, name), getattr(theirs, name))
        setattr(result, name, value)
    names = _order(list(base.sections), list(mine.sections), list(theirs.sections))
    for name in names:
        text = pick(f"sections.{name}", f"section “{name}”", base.sections.get(name, _GONE),
                    mine.sections.get(name, _GONE), theirs.sections.get(name, _GONE))
        if text is not _GONE:
            result.sections[name] = text
    result.positions = _merge_positions(base, mine, theirs, pick)
    result.review = _merge_review(base, mine, theirs, pick)
    return merge


class _Picker:
    """Chooses each element's merged value and records what was taken and what conflicts."""

    def __init__(self, merge: Merge) -> None:
        self.merge = merge

    def __call__(self, key: str, label: str, base: Any, mine: Any, theirs: Any,
                 show: Callable[[Any], str] | None = None) -> Any:
        if _same(mine, theirs) or _same(theirs, base):
            return mine
        if _same(mine, base):
            self.merge.taken.append(_phrase(label, base, theirs))
            self.merge.taken_keys.append(key)
            return theirs
        shown = show or _shown
        self.merge.conflicts.append(Conflict(key, label, shown(mine), shown(theirs)))
        return mine if self.merge.choices.get(key) == "mine" else theirs


def _merge_positions(base: Brief, mine: Brief, theirs: Brief, pick: _Picker) -> list[Position]:
    sides = [{p.id: p for p in b.positions} for b in (base, mine, theirs)]
    kept: dict[str, Position] = {}
    whole_from: dict[str, int] = {}  # positions kept whole from one side (the other deleted them)
    contested: set[str] = set()  # positions deleted on one side and changed on the other
    for pid in _order(*(list(s) for s in sides)):
        pb, pm, pt = (s.get(pid, _GONE) for s in sides)
        label = f"position “{_title(pm, pt, pb)}”"
        if pm is not _GONE and pt is not _GONE:
            fields = {name: pick(f"positions.{pid}.{name}", f"{label}: {name}",
                                 *(getattr(p, name, _GONE) for p in (pb, pm, pt)))
                      for name in _POSITION_FIELDS}
            kept[pid] = Position(id=pid, **{k: "" if v is _GONE else v for k, v in fields.items()})
            continue
        before = len(pick.merge.conflicts)
        chosen = pick(f"positions.{pid}", label, *(_whole(p) for p in (pb, pm, pt)), show=_shown_position)
        if len(pick.merge.conflicts) > before:
            contested.add(pid)
        if chosen is not _GONE:
            side = 1 if pm is not _GONE else 2
            whole_from[pid] = side
            kept[pid] = replace(pm if side == 1 else pt, citations=[])
    cite_sides = [_placed(b) for b in (base, mine, theirs)]
    placed: dict[str, tuple[str, Citation]] = {}
    for cid in _order(*(list(s) for s in cite_sides)):
        cb, cm, ct = (s.get(cid, _GONE) for s in cite_sides)
        label = f"citation {cid}"
        if cm is not _GONE and ct is not _GONE:
            where = pick(f"citations.{cid}.position", f"{label}: position", *(_at(c) for c in (cb, cm, ct)))
            values = {name: pick(f"citations.{cid}.{name}", f"{label}: {name}",
                                 *(_cite_field(c, name) for c in (cb, cm, ct)))
                      for name in ("anchor", "stance", "note")}
            source, anchor = values["anchor"]
            citation = Citation(cid, source, copy.deepcopy(anchor), values["stance"], values["note"])
            if where not in kept:  # moved into a position that went: stay where a side had it
                where = next((c[0] for c in (ct, cm) if c[0] in kept), where)
        else:
            present = cm if cm is not _GONE else ct
            side = 1 if cm is not _GONE else 2
            if present[0] in contested:  # it goes, or stays, with its position
                chosen = present if whole_from.get(present[0]) == side else _GONE
            else:
                chosen = pick(f"citations.{cid}", label, *(_whole_citation(c) for c in (cb, cm, ct)),
                              show=_shown_citation)
                chosen = present if chosen is not _GONE else _GONE
            if chosen is _GONE:
                continue
            where, citation = chosen[0], copy.deepcopy(chosen[1])
        if where in kept:
            placed[cid] = (where, citation)
    for pid, position in kept.items():
        order = _order(*([cid for cid, (p, _) in s.items() if p == pid] for s in cite_sides))
        position.citations = [placed[cid][1] for cid in order if cid in placed and placed[cid][0] == pid]
    return list(kept.values())


def _merge_review(base: Brief, mine: Brief, theirs: Brief, pick: _Picker) -> list[ReviewItem]:
    sides: list[dict[str, Any]] = [{item.id: item for item in b.review} for b in (base, mine, theirs)]
    merged: list[ReviewItem] = []
    for rid in _order(*(list(s) for s in sides)):
        rb, rm, rt = (s.get(rid, _GONE) for s in sides)
        label = f"review comment {rid}"
        if rm is not _GONE and rt is not _GONE:
            values = {name: pick(f"review.{rid}.{name}", f"{label}: {name}",
                                 *(getattr(item, name, _GONE) for item in (rb, rm, rt)))
                      for name in _REVIEW_FIELDS}
            merged.append(ReviewItem(id=rid, **values, replies=_merge_replies(rb, rm, rt)))
            continue
        chosen = pick(f"review.{rid}", label, *(_whole_review(item) for item in (rb, rm, rt)),
                      show=_shown_review)
        if chosen is not _GONE:
            merged.append(copy.deepcopy(rm if rm is not _GONE else rt))
    return merged


def _merge_replies(base: Any, mine: Any, theirs: Any) -> list[Reply]:
    """Replies are facts (who said what when): keep each either side has, unless one side
    removed one that was in base."""
    keyed: list[dict[str, Reply]] = [
        {f"{r.author}\0{r.date}\0{r.text}": r for r in item.replies} if item is not _GONE else {}
        for item in (base, mine, theirs)]
    kb, km, kt = keyed
    order = _order(*(list(k) for k in keyed))
    return [copy.copy(km.get(key) or kt[key]) for key in order
            if not (key in kb and (key not in km or key not in kt))]


def _whole_review(item: Any) -> Any:
    if item is _GONE:
        return _GONE
    return (*(getattr(item, name) for name in _REVIEW_FIELDS),
            tuple((r.author, r.date, r.text) for r in item.replies))


def _shown_review(value: Any) -> str:
    if value is _GONE:
        return "(deleted)"
    author, text = value[1], " ".join(value[5].split())
    return f"{author}: “{text[:120]}”"


def _at(placed: Any) -> Any:
    return _GONE if placed is _GONE else placed[0]


def _placed(brief: Brief) -> dict[str, tuple[str, Citation]]:
    return {c.id: (p.id, c) for p, c in brief.citations()}


def _cite_field(placed: Any, name: str) -> Any:
    if placed is _GONE:
        return _GONE
    citation = placed[1]
    if name == "anchor":
        return (citation.source, citation.anchor)
    return getattr(citation, name)


def _whole(position: Any) -> Any:
    """A position as one comparable value (its citations' ids included), for delete-vs-change."""
    if position is _GONE:
        return _GONE
    return (*(getattr(position, f) for f in _POSITION_FIELDS),
            tuple(_whole_citation((position.id, c)) for c in position.citations))


def _whole_citation(placed: Any) -> Any:
    if placed is _GONE:
        return _GONE
    pid, c = placed
    return (pid, c.id, c.source, c.anchor, c.stance, c.note)


def _order(base: list[str], mine: list[str], theirs: list[str]) -> list[str]:
    """Mine's order unless mine kept base's and theirs changed it; what one side added goes
    before its successor on that side (at the end if it has none). Every id of mine or theirs
    is in the result once."""
    common = set(mine) & set(base)
    mine_reordered = [i for i in mine if i in common] != [i for i in base if i in common]
    primary, secondary = (mine, theirs) if mine_reordered else (theirs, mine)
    result = list(dict.fromkeys(primary))
    at = len(result)
    for ident in reversed(secondary):
        if ident in result:
            at = result.index(ident)
        else:
            result.insert(at, ident)
    return result


def _rename_collisions(base: Brief, mine: Brief, theirs: Brief) -> tuple[Brief, dict[str, str]]:
    """Citations both sides added under one id, with different content: mine gets a fresh id."""
    base_ids = {c.id for _, c in base.citations()}
    their = {c.id: _whole_citation((p.id, c)) for p, c in theirs.citations()}
    clashes = [c.id for p, c in mine.citations()
               if c.id not in base_ids and c.id in their and their[c.id] != _whole_citation((p.id, c))]
    if not clashes:
        return mine, {}
    mine = replace(mine, positions=copy.deepcopy(mine.positions), sections=dict(mine.sections))
    taken = {c.id for _, c in mine.citations()} | set(their) | base_ids
    renamed: dict[str, str] = {}
    for _, citation in mine.citations():
        if citation.id in clashes:
            new = _fresh(citation.source, taken)
            taken.add(new)
            renamed[citation.id] = new
            citation.id = new
    for name, text in mine.sections.items():
        if text != base.sections.get(name):
            mine.sections[name] = _rename_references(text, renamed)
    return mine, renamed


def _fresh(source: str, taken: set[str]) -> str:
    n = 1
    while f"{source}-{n}" in taken:
        n += 1
    return f"{source}-{n}"


def _rename_references(text: str, renamed: Mapping[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        return re.sub(r"@([^\s,;\]]+)", lambda m: "@" + renamed.get(m.group(1), m.group(1)), match.group(0))

    return CITATION.sub(one, text)


def _same(a: Any, b: Any) -> bool:
    return a is b or (a is not _GONE and b is not _GONE and a == b)


def _title(*positions: Any) -> str:
    return next((p.title for p in positions if p is not _GONE), "")


def _phrase(label: str, before: Any, after: Any) -> str:
    if before is _GONE:
        return f"{label} added"
    if after is _GONE:
        return f"{label} removed"
    return f"{label} changed"


def _shown(value: Any) -> str:
    if value is _GONE:
        return "(deleted)"
    if isinstance(value, tuple) and len(value) == 2:  # (source, anchor)
        return f"“{value[1].quote}” ({value[0]}, {value[1].start}-{value[1].end})"
    text = " ".join(str(value).split())
    return text if len(text) <= 200 else text[:199] + "…"


def _shown_position(value: Any) -> str:
    if value is _GONE:
        return "(deleted)"
    return f"“{value[0]}”, {len(value[3])} citations"


def _shown_citation(value: Any) -> str:
    if value is _GONE:
        return "(deleted)"
    _, _, source, anchor, stance, note = value
    return f"“{anchor.quote}” ({source}, {stance})" + (f" — {note}" if note else "")
