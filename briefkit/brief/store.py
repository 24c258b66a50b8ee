"""Brief files on disk: validated loading with file/line/field messages, atomic comment-keeping saves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from briefkit import yamlio
from briefkit.brief import splice
from briefkit.brief.model import (
    DEFAULT_STYLE,
    DEFAULT_TEMPLATE,
    ELEMENT_PATTERN,
    ID_PATTERN,
    META_FIELDS,
    REVIEW_KINDS,
    REVIEW_STATUSES,
    STANCES,
    Anchor,
    Brief,
    Citation,
    Position,
    Reply,
    ReviewItem,
)
from briefkit.errors import BriefFileError
from briefkit.fsio import atomic_write

FORMAT_VERSION = 1
TOP_KEYS = ("briefkit", "id", *META_FIELDS, "template", "style", "library", "sections", "positions", "review")
POSITION_KEYS = ("id", "title", "holder", "summary", "citations")
CITATION_KEYS = ("id", "source", "stance", "quote", "prefix", "suffix", "start", "end", "note")
REVIEW_KEYS = ("id", "kind", "author", "date", "element", "quoted", "text", "status", "replies")
REPLY_KEYS = ("author", "date", "text")


class _Reader:
    """Validates one loaded YAML document, raising the first problem with its line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, message: str, node: Any = None, key: Any = None, field: str | None = None) -> BriefFileError:
        line = yamlio.line_of(node, key) if node is not None else None
        return BriefFileError(message, path=self.path, line=line, field=field)

    def mapping(self, node: Any, what: str, allowed: tuple[str, ...], parent: Any, key: Any, field: str) -> dict:
        if not isinstance(node, dict):
            raise self.fail(f"{what} must be a mapping, not {_kind(node)}", parent, key, field)
        for k in node:
            if k not in allowed:
                hint = _closest(str(k), allowed)
                raise self.fail(f"unknown key '{k}'{hint}", node, k, f"{field}.{k}" if field else str(k))
        return node

    def text(self, node: dict, key: str, field: str, *, required: bool = False, multiline: bool = False) -> str:
        value = node.get(key)
        if type(value) is str and (multiline or "\n" not in value) and (not required or value.strip()):
            return value  # plain text that passes: most fields of a big brief, so first and fast
        if value is None:
            if required:
                raise self.fail(f"missing required field '{key}'", node, None, field)
            return ""
        if isinstance(value, (dt.date, dt.datetime)) and key == "date":
            return value.isoformat()
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(f"must be text, not {_kind(value)}", node, key, field)
        text = str(value)
        if required and not text.strip():
            raise self.fail("must not be empty", node, key, field)
        if not multiline and "\n" in text.strip():
            raise self.fail("must be a single line", node, key, field)
        return text

    def integer(self, node: dict, key: str, field: str) -> int:
        if key not in node:
            raise self.fail(f"missing required field '{key}'", node, None, field)
        value = node[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail("must be a whole number >= 0", node, key, field)
        return int(value)

    def ident(self, node: dict, field: str, seen: dict[str, int | None]) -> str:
        ident = self.text(node, "id", field, required=True)
        if not ID_PATTERN.fullmatch(ident):
            raise self.fail(
                f"'{ident}' is not a valid id (letters, digits, and _ . : - inside)", node, "id", field
            )
        if ident in seen:
            raise self.fail(f"duplicate id '{ident}' (first used on line {seen[ident]})", node, "id", field)
        seen[ident] = yamlio.line_of(node, "id")
        return ident


def load_brief(path: Path) -> Brief:
    """Load and validate a brief; every problem names the file, line and field."""
    path = Path(path)
    text = yamlio.read_text(path, BriefFileError)
    brief = parse_brief(yamlio.loads(text, path, BriefFileError), path)
    brief.source_text = text  # its layout is read when it is first saved (`_layout`)
    return brief


def parse_brief(data: Any, path: Path) -> Brief:
    r = _Reader(path)
    if data is None:
        raise BriefFileError("the file is empty; a brief starts with 'briefkit: 1'", path=path)
    if not isinstance(data, dict):
        raise BriefFileError(f"a brief must be a mapping of fields, not {_kind(data)}", path=path,
                             line=yamlio.line_of(data) or 1)
    r.mapping(data, "the brief", TOP_KEYS, None, None, "")
    version = data.get("briefkit")
    if version != FORMAT_VERSION or isinstance(version, bool):  # `briefkit: true` is not 1
        if "briefkit" not in data:
            raise BriefFileError("missing 'briefkit: 1' (the format version)", path=path, line=1, field="briefkit")
        raise r.fail(
            f"unsupported format version {version!r}; this briefkit reads version {FORMAT_VERSION}",
            data, "briefkit", "briefkit",
        )
    brief = Brief(
        title=r.text(data, "title", "title", required=True),
        id=r.text(data, "id", "id"),
        subtitle=r.text(data, "subtitle", "subtitle"),
        author=r.text(data, "author", "author"),
        organisation=r.text(data, "organisation", "organisation"),
        date=r.text(data, "date", "date"),
        audience=r.text(data, "audience", "audience"),
        template=r.text(data, "template", "template") or DEFAULT_TEMPLATE,
        style=r.text(data, "style", "style") or DEFAULT_STYLE,
        library=r.text(data, "library", "library") or ".",
        path=path.resolve(),
    )
    if brief.id and not ID_PATTERN.fullmatch(brief.id):
        raise r.fail("the brief's id must be letters and digits, with _ . : - inside", data, "id", "id")
    brief.key_lines = {str(k): line for k, line in getattr(data, "key_lines", {}).items()}
    sections = data.get("sections")
    if sections is not None:
        r.mapping(sections, "sections", tuple(str(k) for k in sections) if isinstance(sections, dict) else (),
                  data, "sections", "sections")
        for name in sections:
            if not isinstance(name, str) or not ID_PATTERN.fullmatch(name):
                raise r.fail(f"section name {name!r} must be a simple word", sections, name, "sections")
            brief.sections[name] = r.text(sections, name, f"sections.{name}", multiline=True)
            brief.section_lines[name] = yamlio.line_of(sections, name) or 0
    positions = data.get("positions")
    if positions is not None and not isinstance(positions, list):
        raise r.fail(f"positions must be a list, not {_kind(positions)}", data, "positions", "positions")
    position_ids: dict[str, int | None] = {}
    citation_ids: dict[str, int | None] = {}
    for i, node in enumerate(positions or []):
        field = f"positions[{i + 1}]"
        r.mapping(node, "a position", POSITION_KEYS, positions, i, field)
        pid = r.ident(node, f"{field}.id", position_ids)
        position = Position(
            id=pid,
            title=r.text(node, "title", f"{field}.title", required=True),
            holder=r.text(node, "holder", f"{field}.holder"),
            summary=r.text(node, "summary", f"{field}.summary", multiline=True),
            line=yamlio.line_of(positions, i),
        )
        cites = node.get("citations")
        if cites is not None and not isinstance(cites, list):
            raise r.fail(f"citations must be a list, not {_kind(cites)}", node, "citations", f"{field}.citations")
        for j, cnode in enumerate(cites or []):
            position.citations.append(_citation(r, cnode, cites, j, f"{pid}.citations[{j + 1}]", citation_ids))
        brief.positions.append(position)
    review = data.get("review")
    if review is not None and not isinstance(review, list):
        raise r.fail(f"review must be a list, not {_kind(review)}", data, "review", "review")
    review_ids: dict[str, int | None] = {}
    for i, node in enumerate(review or []):
        brief.review.append(_review_item(r, node, review, i, f"review[{i + 1}]", review_ids))
    return brief


def _review_item(r: _Reader, node: Any, parent: Any, index: int, field: str,
                 seen: dict[str, int | None]) -> ReviewItem:
    r.mapping(node, "a review entry", REVIEW_KEYS, parent, index, field)
    item = ReviewItem(
        id=r.ident(node, f"{field}.id", seen),
        kind=_choice(r, node, "kind", f"{field}.kind", REVIEW_KINDS),
        author=r.text(node, "author", f"{field}.author"),
        date=r.text(node, "date", f"{field}.date"),
        element=r.text(node, "element", f"{field}.element", required=True),
        quoted=r.text(node, "quoted", f"{field}.quoted", multiline=True),
        text=r.text(node, "text", f"{field}.text", multiline=True),
        status=_choice(r, node, "status", f"{field}.status", REVIEW_STATUSES),
        line=yamlio.line_of(parent, index),
    )
    if not ELEMENT_PATTERN.fullmatch(item.element):
        raise r.fail(f"'{item.element}' names no element (sections.NAME, positions.ID.title|summary, "
                     "citations.ID.quote|note)", node, "element", f"{field}.element")
    replies = node.get("replies")
    if replies is not None and not isinstance(replies, list):
        raise r.fail(f"replies must be a list, not {_kind(replies)}", node, "replies", f"{field}.replies")
    for j, rnode in enumerate(replies or []):
        at = f"{field}.replies[{j + 1}]"
        r.mapping(rnode, "a reply", REPLY_KEYS, replies, j, at)
        item.replies.append(Reply(author=r.text(rnode, "author", f"{at}.author"),
                                  date=r.text(rnode, "date", f"{at}.date"),
                                  text=r.text(rnode, "text", f"{at}.text", multiline=True)))
    return item


def _choice(r: _Reader, node: dict, key: str, field: str, allowed: tuple[str, ...]) -> str:
    value = r.text(node, key, field) or allowed[0]
    if value not in allowed:
        raise r.fail(f"{key} must be one of {', '.join(allowed)}, not '{value}'", node, key, field)
    return value


def _citation(r: _Reader, node: Any, parent: Any, index: int, field: str, seen: dict[str, int | None]) -> Citation:
    quick = _plain_citation(node, seen)
    if quick is not None:
        quick.line = yamlio.line_of(parent, index)
        return quick
    r.mapping(node, "a citation", CITATION_KEYS, parent, index, field)
    cid = r.ident(node, f"{field}.id", seen)
    stance = r.text(node, "stance", f"{field}.stance") or "supports"
    if stance not in STANCES:
        raise r.fail(f"stance must be one of {', '.join(STANCES)}, not '{stance}'", node, "stance", f"{field}.stance")
    start = r.integer(node, "start", f"{field}.start")
    end = r.integer(node, "end", f"{field}.end")
    if end < start:
        raise r.fail(f"end ({end}) is before start ({start})", node, "end", f"{field}.end")
    quote = r.text(node, "quote", f"{field}.quote", required=True, multiline=True)
    return Citation(
        id=cid,
        source=r.text(node, "source", f"{field}.source", required=True),
        anchor=Anchor(
            quote=quote,
            prefix=r.text(node, "prefix", f"{field}.prefix", multiline=True),
            suffix=r.text(node, "suffix", f"{field}.suffix", multiline=True),
            start=start,
            end=end,
        ),
        stance=stance,
        note=r.text(node, "note", f"{field}.note", multiline=True),
        line=yamlio.line_of(parent, index),
    )


_CITATION_KEYS = frozenset(CITATION_KEYS)


def _plain_citation(node: Any, seen: dict[str, int | None]) -> Citation | None:
    """The citation of a node that passes every rule of `_citation` at a glance (nearly every
    node: a big brief is mostly citations), or None, and `_citation` says what is wrong."""
    if not isinstance(node, dict) or not _CITATION_KEYS.issuperset(node):
        return None
    get = node.get
    cid, source, quote, start, end = get("id"), get("source"), get("quote"), get("start"), get("end")
    stance, prefix, suffix, note = (get("stance", "supports"), get("prefix", ""), get("suffix", ""),
                                    get("note", ""))
    if not (type(cid) is type(source) is type(quote) is type(stance) is type(prefix) is type(suffix)
            is type(note) is str and type(start) is type(end) is int and 0 <= start <= end
            and cid not in seen and ID_PATTERN.fullmatch(cid) and stance in STANCES
            and "\n" not in source and source.strip() and quote.strip()):
        return None
    seen[cid] = yamlio.line_of(node, "id")
    return Citation(id=cid, source=source, anchor=Anchor(quote, prefix, suffix, start, end),
                    stance=stance, note=note)


# Saving -----------------------------------------------------------------------------------------


def save_brief(brief: Brief, path: Path | None = None) -> Path:
    """Write the brief atomically, keeping comments, key order and quoting of what did not change.

    The text is read back with the loader before anything is written (see `dump_brief`); after
    the save, `brief.source_text` is exactly the text in the file.

    Raises:
        BriefFileError: the brief has no file name, or its text would not read back as it is
            (the message names the field); the file is then left as it was.
    """
    target = Path(path or brief.path or "")
    if not target.name:
        raise BriefFileError("the brief has no file name to save to")
    text, back, doc = _text_read_back(brief, target)
    atomic_write(target, text)
    brief.document = doc
    brief.source_text = text
    brief.key_lines, brief.section_lines = back.key_lines, back.section_lines
    for item, read_item in zip(brief.review, back.review):
        item.line = read_item.line
    for mine, theirs in zip(brief.positions, back.positions):
        mine.line = theirs.line
        for cite, read in zip(mine.citations, theirs.citations):
            cite.line = read.line
    if brief.path is None or path is not None:
        brief.path = target.resolve()
    return target


def dump_brief(brief: Brief) -> str:
    """The brief's file text, checked to read back as `brief`.

    Raises:
        BriefFileError: the loader would refuse the text or read any field differently.
    """
    return _text_read_back(brief, Path(brief.path or "brief"))[0]


def _text_read_back(brief: Brief, target: Path) -> tuple[str, Brief, yamlio.CommentedMap | None]:
    """The file text of `brief`, as read back, and the round-trip document it was dumped from
    (None where unchanged citations were spliced in: the next save starts from the text)."""
    spliced = _spliced(brief, target)
    if spliced is not None:
        return (*spliced, None)
    doc = _sync(brief)
    text = yamlio.dump(doc, _layout(brief))
    return text, _read_back(brief, text, target), doc


def _layout(brief: Brief) -> yamlio.Layout:
    """The indentation of the file as the analyst wrote it, read at the first save rather than
    at load: the first screen of a 5,000-citation brief waited 95 ms for it, the scan going to
    the file's end where it holds no nested mapping."""
    if brief.layout is None:
        brief.layout = yamlio.guess_layout(brief.source_text)
    return brief.layout


def _spliced(brief: Brief, target: Path) -> tuple[str, Brief] | None:
    """The file text with unchanged citations kept as they are in the file (splice.py), read
    back; None where that does not apply, and the whole document is dumped instead."""
    if not brief.source_text or isinstance(brief.document, yamlio.CommentedMap):
        return None
    try:
        data = yamlio.loads(brief.source_text, target, BriefFileError)
        before = {c.id: c for _, c in parse_brief(data, target).citations()}
    except BriefFileError:
        return None
    kept = {c.id for _, c in brief.citations() if _same_citation(before.get(c.id), c)}
    order = [[c.id for c in p.citations] for p in brief.positions]
    sk = splice.skeleton(brief.source_text, data, order, kept) if kept else None
    if sk is None:
        return None
    try:
        doc = yamlio.load_roundtrip(sk.text, target, BriefFileError)
        text = splice.restore(yamlio.dump(_sync(brief, doc, sk.tokens), _layout(brief)), sk)
        return (text, _read_back(brief, text, target)) if text is not None else None
    except BriefFileError:
        return None  # said again, by the whole-document save


def _same_citation(old: Citation | None, new: Citation) -> bool:
    return old is not None and (old.source, old.stance, old.anchor, old.note) == \
        (new.source, new.stance, new.anchor, new.note)


def _read_back(brief: Brief, text: str, path: Path) -> Brief:
    """`text` as the loader reads it, which must be `brief` field for field: no save can write a
    file that later fails to load (an id such as 'bad id!') or loads as something else."""
    for field, value, _ in _fields(brief, brief):
        problem = yamlio.unwritable(value) if isinstance(value, str) else None
        if problem is not None:  # say where, not only that the YAML would not load
            raise BriefFileError(f"not saved: {problem}", path=path, field=field)
    try:
        back = parse_brief(yamlio.loads(text, path, BriefFileError), path)
    except BriefFileError as exc:
        raise BriefFileError(f"not saved: {exc.message}", path=path,
                             field=_saved_field(brief, exc.field)) from None
    for field, mine, theirs in _fields(brief, back):
        if mine != theirs:
            raise BriefFileError(f"not saved: {_shown(mine)} would read back as {_shown(theirs)}",
                                 path=path, field=field)
    return back


def _fields(mine: Brief, back: Brief) -> Iterator[tuple[str, Any, Any]]:
    """(field, in memory, as read back) for every field a brief file holds, in file order."""
    for key in ("id", *META_FIELDS, "template", "style", "library"):
        yield key, getattr(mine, key), getattr(back, key)
    yield "sections", list(mine.sections), list(back.sections)
    for name, text in mine.sections.items():
        yield f"sections.{name}", text, back.sections.get(name)
    yield "positions", len(mine.positions), len(back.positions)
    for i, (p, q) in enumerate(zip(mine.positions, back.positions), 1):
        for key in POSITION_KEYS[:-1]:
            yield f"positions[{i}].{key}", getattr(p, key), getattr(q, key)
        yield f"positions[{i}].citations", len(p.citations), len(q.citations)
        for j, (c, d) in enumerate(zip(p.citations, q.citations), 1):
            at = f"positions[{i}].citations[{j}]"
            for key in ("id", "source", "stance"):
                yield f"{at}.{key}", getattr(c, key), getattr(d, key)
            for key in ("quote", "prefix", "suffix", "start", "end"):
                yield f"{at}.{key}", getattr(c.anchor, key), getattr(d.anchor, key)
            yield f"{at}.note", c.note, d.note
    yield "review", len(mine.review), len(back.review)
    for i, (a, b) in enumerate(zip(mine.review, back.review), 1):
        for key in REVIEW_KEYS[:-1]:
            yield f"review[{i}].{key}", getattr(a, key), getattr(b, key)
        yield f"review[{i}].replies", len(a.replies), len(b.replies)
        for j, (x, y) in enumerate(zip(a.replies, b.replies), 1):
            for key in REPLY_KEYS:
                yield f"review[{i}].replies[{j}].{key}", getattr(x, key), getattr(y, key)


def _saved_field(brief: Brief, field: str | None) -> str | None:
    """The loader's name of a citation field (`p1.citations[2].id`) as `positions[1]...`."""
    for i, p in enumerate(brief.positions, 1):
        if field and field.startswith(f"{p.id}.citations["):
            return f"positions[{i}]{field[len(p.id):]}"
    return field


def _shown(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sync(brief: Brief, doc: yamlio.CommentedMap | None = None,
          kept: Mapping[str, str | None] | None = None) -> yamlio.CommentedMap:
    """The round-trip document updated to `brief`; citations in `kept` stay the token items that
    stand for their runs in `doc` (a run's first id names its token, the others None)."""
    kept = kept or {}
    if doc is None and isinstance(brief.document, yamlio.CommentedMap):
        doc = brief.document
    elif doc is None and brief.source_text:
        doc = yamlio.load_roundtrip(brief.source_text, brief.path, BriefFileError)
    elif doc is None:
        doc = yamlio.CommentedMap()
    _put(doc, "briefkit", FORMAT_VERSION)
    _put(doc, "id", brief.id, optional=True)
    for key in META_FIELDS:
        _put(doc, key, getattr(brief, key), optional=key != "title")
    _put(doc, "template", brief.template, default=DEFAULT_TEMPLATE)
    _put(doc, "style", brief.style, default=DEFAULT_STYLE)
    _put(doc, "library", brief.library, default=".")
    sections = doc.get("sections")
    if not isinstance(sections, yamlio.CommentedMap):
        sections = yamlio.CommentedMap()
    for name in [k for k in sections if k not in brief.sections]:
        del sections[name]
    for name, text in brief.sections.items():
        _put(sections, name, text)
    _put_container(doc, "sections", sections, bool(brief.sections))
    old_positions = {n.get("id"): n for n in doc.get("positions") or [] if isinstance(n, dict)}
    positions = yamlio.CommentedSeq()
    for p in brief.positions:
        node = old_positions.pop(p.id, None) or yamlio.CommentedMap()  # each node once: no aliases
        _put(node, "id", p.id)
        _put(node, "title", p.title)
        _put(node, "holder", p.holder, optional=True)
        _put(node, "summary", p.summary, optional=True)
        old_list = node.get("citations") or []
        old_cites = {n.get("id"): n for n in old_list if isinstance(n, dict)}
        tokens = {n: n for n in old_list if isinstance(n, str)}  # the very items: the list stays
        cites = yamlio.CommentedSeq()
        for c in p.citations:
            if c.id in kept:
                token = kept[c.id]
                if token is not None:
                    cites.append(tokens.get(token, token))
                continue
            cnode = old_cites.pop(c.id, None) or yamlio.CommentedMap()
            _put(cnode, "id", c.id)
            _put(cnode, "source", c.source)
            _put(cnode, "stance", c.stance, default="supports")
            _put(cnode, "quote", c.anchor.quote)
            _put(cnode, "prefix", c.anchor.prefix, default="")
            _put(cnode, "suffix", c.anchor.suffix, default="")
            _put(cnode, "start", c.anchor.start)
            _put(cnode, "end", c.anchor.end)
            _put(cnode, "note", c.note, optional=True)
            cites.append(cnode)
        _put_list(node, "citations", cites, bool(p.citations))
        positions.append(node)
    _put_list(doc, "positions", positions, bool(brief.positions))
    _sync_review(doc, brief)
    return doc


def _sync_review(doc: yamlio.CommentedMap, brief: Brief) -> None:
    """The review list, each entry's node kept by id (and each reply's by position)."""
    old = {n.get("id"): n for n in doc.get("review") or [] if isinstance(n, dict)}
    items = yamlio.CommentedSeq()
    for item in brief.review:
        node = old.pop(item.id, None) or yamlio.CommentedMap()
        _put(node, "id", item.id)
        _put(node, "kind", item.kind, default="comment")
        _put(node, "author", item.author, optional=True)
        _put(node, "date", item.date, optional=True)
        _put(node, "element", item.element)
        _put(node, "quoted", item.quoted, optional=True)
        _put(node, "text", item.text)
        _put(node, "status", item.status, default="open")
        old_replies = [n for n in node.get("replies") or [] if isinstance(n, dict)]
        replies = yamlio.CommentedSeq()
        for j, reply in enumerate(item.replies):
            rnode = old_replies[j] if j < len(old_replies) else yamlio.CommentedMap()
            _put(rnode, "author", reply.author, optional=True)
            _put(rnode, "date", reply.date, optional=True)
            _put(rnode, "text", reply.text)
            replies.append(rnode)
        _put_list(node, "replies", replies, bool(item.replies))
        items.append(node)
    _put_list(doc, "review", items, bool(brief.review))


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    return value


def _put(node: dict[str, Any], key: str, value: Any, *, optional: bool = False, default: Any = None) -> None:
    """Set `key` only if its value changed, so untouched scalars keep their original form.

    An optional empty value removes the key; a value equal to `default` is not added where the
    author left the key out.
    """
    if optional and value in ("", None):
        node.pop(key, None)
        return
    if key not in node and default is not None and value == default:
        return
    if key in node and _plain(node[key]) == value:
        return
    node[key] = value


def _put_container(node: dict[str, Any], key: str, value: Any, present: bool) -> None:
    if not present:
        node.pop(key, None)
    elif node.get(key) is not value:
        node[key] = value


def _put_list(node: dict[str, Any], key: str, items: list, present: bool) -> None:
    """Set a list, keeping the old node where it holds the very same items (its layout stays)."""
    if _same_items(node.get(key), items):
        items = node[key]
    _put_container(node, key, items, present)


def _same_items(old: Any, new: list) -> bool:
    return isinstance(old, list) and len(old) == len(new) and all(a is b for a, b in zip(old, new))


def new_brief(path: Path, *, title: str, library: str, template: str = DEFAULT_TEMPLATE) -> Brief:
    """A fresh brief with the sections its template expects left empty for the analyst, and an id
    of its own that the Word files exported from it carry (so a review comes back to it however
    its title and date change meanwhile)."""
    import secrets

    brief = Brief(title=title, id=secrets.token_hex(6), library=library, template=template,
                  date=dt.date.today().isoformat())
    brief.path = Path(path).resolve()
    return brief


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return "text"
    return f"a {type(value).__name__}"


def _closest(word: str, options: tuple[str, ...]) -> str:
    import difflib  # loads only for a message: its import compiles regexes every export would pay for

    match = difflib.get_close_matches(word, options, n=1)
    return f" (did you mean '{match[0]}'?)" if match else f" (allowed: {', '.join(options)})"
